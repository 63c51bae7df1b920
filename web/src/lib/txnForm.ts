import type { TxnCompare, TxnOp, TxnOpResult, TxnReply } from '@clusterlab/shared';

/*
 * The Transaction form: its rows as the learner types them (strings), the examples, the
 * request body they make, and the answer in words. The shapes and limits are shared/src/txn.ts's;
 * that module builds zod schemas, so the page cannot import it at runtime (txnForm.test.ts
 * checks the two agree, and that every body made here is one the server's schema accepts).
 */

export const TARGETS = ['version', 'value', 'exists'] as const;
export const OPERATORS = ['=', '!=', '<', '>'] as const;
export const OP_TYPES = ['put', 'delete', 'get'] as const;
export const MAX_KEYS = 64;

export type Target = (typeof TARGETS)[number];
export type Operator = (typeof OPERATORS)[number];
export type OpType = (typeof OP_TYPES)[number];

export type CompareRow = { id: number; key: string; target: Target; op: Operator; value: string };
export type OpRow = { id: number; type: OpType; key: string; value: string };
export type Branch = 'success' | 'failure';
export type Part = 'compare' | Branch;
export type TxnFormValues = { compare: CompareRow[]; success: OpRow[]; failure: OpRow[] };

/** POST /api/txn's body, and its 200 answer (the node's, plus who served it). */
export type TxnBody = { compare: TxnCompare[]; success: TxnOp[]; failure: TxnOp[] };
export type TxnAnswer = TxnReply & { servedBy: string; redirectedFrom: string | null };

// Row ids only keep React's keys and the focus steady as rows come and go.
let lastRowId = 0;
export const newCompare = (c: Partial<Omit<CompareRow, 'id'>> = {}): CompareRow => ({ id: ++lastRowId, key: '', target: 'value', op: '=', value: '', ...c });
export const newOp = (o: Partial<Omit<OpRow, 'id'>> = {}): OpRow => ({ id: ++lastRowId, type: 'put', key: '', value: '', ...o });

/** How each row is called on screen and in its controls' names ("Compare 1 key", "Success op 2 type"). */
export function rowName(part: Part, index: number): string {
  return part === 'compare' ? `Compare ${index + 1}` : `${part === 'success' ? 'Success' : 'Failure'} op ${index + 1}`;
}

/** What a target is compared by: exists is true or false, so only = and != mean anything. */
export function operatorsFor(target: Target): readonly Operator[] {
  return target === 'exists' ? ['=', '!='] : OPERATORS;
}

/** A compare moved to another target, kept sensible: a value that cannot be one of the new target's is cleared. */
export function withTarget(row: CompareRow, target: Target): CompareRow {
  const op = operatorsFor(target).includes(row.op) ? row.op : '=';
  const value =
    target === 'exists' ? (row.value === 'false' ? 'false' : 'true') : target === 'version' ? (/^\s*\d+\s*$/.test(row.value) ? row.value : '') : row.target === 'exists' ? '' : row.value;
  return { ...row, target, op, value };
}

export const EXAMPLES: { id: string; name: string; explains: string; values: () => TxnFormValues }[] = [
  {
    id: 'open',
    name: 'Example: open accounts',
    explains: 'no compare, so the success branch always runs: alice gets "100", bob "0"',
    values: () => ({ compare: [], success: [newOp({ key: 'alice', value: '100' }), newOp({ key: 'bob', value: '0' })], failure: [] }),
  },
  {
    id: 'transfer',
    name: 'Example: transfer',
    explains: 'if alice still holds "100", move 30 to bob in one step; if not, read alice to see why',
    values: () => ({
      compare: [newCompare({ key: 'alice', target: 'value', op: '=', value: '100' })],
      success: [newOp({ key: 'alice', value: '70' }), newOp({ key: 'bob', value: '30' })],
      failure: [newOp({ type: 'get', key: 'alice' })],
    }),
  },
];

/** A problem with one control (`field` as `problemKey` makes it), in words that name the control. */
export type FormProblem = { field: string; text: string };
export type TxnCheck = { body: TxnBody; problems: [] } | { body: null; problems: FormProblem[] };

export const problemKey = (part: Part, rowId: number, control: 'key' | 'op' | 'value') => `${part}:${rowId}:${control}`;

const WHOLE = /^\s*\d{1,15}\s*$/;

/** The request body the rows make, or what is wrong with them, control by control. */
export function checkTxnForm(values: TxnFormValues): TxnCheck {
  const problems: FormProblem[] = [];
  const say = (part: Part, row: { id: number }, index: number, control: 'key' | 'op' | 'value', text: string) =>
    problems.push({ field: problemKey(part, row.id, control), text: `${rowName(part, index)} ${control === 'op' ? 'operator' : control}: ${text}` });

  const compare: TxnCompare[] = values.compare.map((c, i) => {
    if (c.key === '') say('compare', c, i, 'key', 'type the key to compare');
    if (!operatorsFor(c.target).includes(c.op)) say('compare', c, i, 'op', `an exists compare is = or !=, not ${c.op}`);
    if (c.target === 'version') {
      if (!WHOLE.test(c.value)) say('compare', c, i, 'value', 'a version is a whole number of 0 or more (0: the key is absent)');
      return { key: c.key, target: 'version', op: c.op, value: Number(c.value) };
    }
    if (c.target === 'exists') return { key: c.key, target: 'exists', op: c.op, value: c.value !== 'false' };
    return { key: c.key, target: 'value', op: c.op, value: c.value };
  });
  const branch = (part: Branch): TxnOp[] =>
    values[part].map((o, i) => {
      if (o.key === '') say(part, o, i, 'key', 'type the key');
      return o.type === 'put' ? { put: o.key, value: o.value } : o.type === 'delete' ? { delete: o.key } : { get: o.key };
    });
  const body: TxnBody = { compare, success: branch('success'), failure: branch('failure') };

  const keys = new Set([...values.compare, ...values.success, ...values.failure].map((r) => r.key).filter((k) => k !== ''));
  if (keys.size > MAX_KEYS) problems.push({ field: 'form', text: `a transaction names at most ${MAX_KEYS} keys; this one names ${keys.size}` });
  return problems.length === 0 ? { body, problems: [] } : { body: null, problems };
}

/** Which branch ran, and why, given how many compares were sent. */
export function branchHeadline(answer: Pick<TxnAnswer, 'succeeded'>, compares: number): string {
  if (!answer.succeeded) return compares === 1 ? 'Failure branch ran: the compare did not hold' : 'Failure branch ran: a compare did not hold';
  if (compares === 0) return 'Success branch ran: there was no compare to fail';
  return compares === 1 ? 'Success branch ran: the compare held' : 'Success branch ran: every compare held';
}

/** Where it was applied: its log index and the node that served it. */
export function answerWhere(answer: Pick<TxnAnswer, 'index' | 'servedBy' | 'redirectedFrom' | 'node'>): string {
  const by = answer.servedBy || answer.node;
  return `One log entry at index ${answer.index}, served by ${by}${answer.redirectedFrom ? ` (redirected from ${answer.redirectedFrom})` : ''}`;
}

/**
 * One op's result as a table row: what it did and to which key. `sent` is the op as it was
 * sent (results come in the branch's order): a put's answer holds only its version, the value is the request's.
 */
export function describeResult(r: TxnOpResult, sent?: TxnOp): { op: OpType; key: string; result: string } {
  switch (r.type) {
    case 'get':
      return { op: 'get', key: r.key, result: r.value === null ? 'absent (version 0)' : `${JSON.stringify(r.value)} (version ${r.version})` };
    case 'put':
      return { op: 'put', key: r.key, result: sent && 'put' in sent ? `${JSON.stringify(sent.value)} written (version ${r.version})` : `written (version ${r.version})` };
    case 'delete':
      return { op: 'delete', key: r.key, result: r.deleted ? 'deleted' : 'was absent: nothing to delete' };
  }
}

/** A transaction that did not run, or whose fate is unknown, in a sentence. */
export function txnErrorSentence(status: number, reason: string): string {
  if (status === 400) return `Not run, nothing applied (400): ${onScreen(reason)}`;
  if (status === 503) return `Not run (503): ${reason}`;
  if (status === 504) return `No answer in time (504): ${reason}`;
  if (status === 0) return `Not sent: ${reason}`;
  return `Failed (${status}): ${reason}`;
}

/**
 * The server's 400 names the JSON path of the problem (`compare.0.value: …`, after "not a
 * transaction: "); said with the names the rows have on screen, or left out when the sentence
 * names the branch itself ("success: the success branch writes…").
 */
function onScreen(reason: string): string {
  const text = reason.replace(/^not a transaction: /, '');
  const m = /^(compare|success|failure)(?:\.(\d+))?(?:\.(\w+))?: (.*)$/s.exec(text);
  if (!m) return text;
  const [, part, index, control, rest] = m;
  if (index === undefined) return rest!;
  return `${rowName(part as Part, Number(index))}${control ? ` ${control}` : ''}: ${rest}`;
}
