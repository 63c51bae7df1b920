import type { HistoryOp } from './history';
import type { WorkloadVerdict } from './workloads';

/**
 * What a history diagram can show of a checked run, and which operations it draws for each:
 * the findings (violated keys, then each anomaly), and for one of them the operations it
 * names with their neighbourhood, bounded. One definition for the supervisor, which answers a
 * run's diagram with just those operations (GET /api/workloads/:id/ops), and the dashboard,
 * which picks them from an imported file itself. Zod-free (type imports only).
 */

export type Finding = {
  id: string;
  kind: 'not-linearizable' | 'lost-write' | 'stale-read' | 'divergent-replicas' | 'sample';
  key: string;
  /** A few words for the list: "k3: not linearizable", "k1: lost write". */
  title: string;
  sentence: string;
  /** The operations the sentence names, drawn highlighted. */
  opIds: number[];
  /** The one it is about (the culprit, the lost write, the stale read), if any. */
  primaryOpId: number | null;
  /** A sample's operations, drawn as they are (no neighbourhood to work out). */
  sampleIds?: number[];
};

/** GET /api/workloads/:id/ops: one finding and the operations drawn for it. */
export type FindingOps = { finding: Finding; ops: HistoryOp[] };

const KIND_WORDS: Record<Exclude<Finding['kind'], 'sample'>, string> = {
  'not-linearizable': 'not linearizable',
  'lost-write': 'acknowledged write lost',
  'stale-read': 'stale read',
  'divergent-replicas': 'replicas diverge',
};

/** The violated keys first (as the checker listed them), then each anomaly. */
export function findings(verdict: WorkloadVerdict): Finding[] {
  const out: Finding[] = [];
  for (const k of verdict.keys) {
    if (k.verdict !== 'not-linearizable') continue;
    const ids = uniq([...(k.witnessOpIds ?? []), ...(k.culpritOpId !== undefined ? [k.culpritOpId] : [])]);
    out.push({ id: `key:${k.key}`, kind: 'not-linearizable', key: k.key, title: `${k.key}: ${KIND_WORDS['not-linearizable']}`, sentence: k.explanation ?? `No order of ${k.key}’s operations fits what the clients saw.`, opIds: ids, primaryOpId: k.culpritOpId ?? null });
  }
  verdict.anomalies.forEach((a, i) => {
    const ids = uniq([...(a.opId !== null ? [a.opId] : []), ...a.relatedOpIds]);
    out.push({ id: `anomaly:${i}`, kind: a.kind, key: a.key, title: `${a.key}: ${KIND_WORDS[a.kind]}`, sentence: a.sentence, opIds: ids, primaryOpId: a.opId });
  });
  return out;
}

/**
 * With nothing found, still something to look at: one key's operations around the first
 * fault (or from the start), so a learner sees what a clean history looks like.
 */
export function sampleFinding(history: readonly HistoryOp[], faults: readonly { fromMs: number; toMs: number | null }[], count = 40): Finding | null {
  if (history.length === 0) return null;
  const perKey = new Map<string, number>();
  for (const op of history) perKey.set(op.key, (perKey.get(op.key) ?? 0) + 1);
  const key = [...perKey].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
  const around = faults[0]?.fromMs ?? -Infinity;
  const onKey = history.filter((op) => op.key === key).sort((a, b) => a.invokeMs - b.invokeMs);
  const start = Math.max(0, Math.min(onKey.length - count, onKey.findIndex((op) => op.invokeMs >= around) - Math.floor(count / 2)));
  const picked = onKey.slice(start, start + count);
  return {
    id: 'sample',
    kind: 'sample',
    key,
    title: `${key}: a sample`,
    sentence: `Nothing to explain: ${picked.length} of ${key}’s operations${Number.isFinite(around) ? ' around the first fault' : ''}, as the clients saw them.`,
    opIds: [],
    primaryOpId: null,
    sampleIds: picked.map((op) => op.id),
  };
}

/** The most operations a diagram draws, whatever the history's length: past this, bars get too thin to point at. */
export const MAX_DIAGRAM_OPS = 120;

/** When an op stops mattering: its completion, or for an unanswered one, never. */
const endOf = (op: HistoryOp) => (op.completeMs === null ? Infinity : op.completeMs);

/**
 * The operations to draw for a finding: the named ones, plus the operations on the same keys
 * that overlap the named ones' time span (they are what could have ordered differently),
 * nearest first, up to `cap` in all. Sorted by invocation.
 */
export function neighbourhood(history: readonly HistoryOp[], focusIds: readonly number[], cap = MAX_DIAGRAM_OPS, marginMs = 0): HistoryOp[] {
  const byId = new Map(history.map((op) => [op.id, op]));
  const focus = uniq(focusIds).map((id) => byId.get(id)).filter((op): op is HistoryOp => op !== undefined);
  if (focus.length === 0) return [];
  const from = Math.min(...focus.map((op) => op.invokeMs)) - marginMs;
  const to = Math.max(...focus.map((op) => op.completeMs ?? op.invokeMs)) + marginMs;
  const keys = new Set(focus.map((op) => op.key));
  const chosen = new Set(focus.map((op) => op.id));
  // How far an op is from the nearest named one (0: they overlap), so a cap keeps what surrounds each of them.
  const gap = (a: HistoryOp, b: HistoryOp) => Math.max(0, a.invokeMs - endOf(b), b.invokeMs - endOf(a));
  const distance = (op: HistoryOp) => Math.min(...focus.map((f) => gap(op, f)));
  const near = history
    .filter((op) => !chosen.has(op.id) && keys.has(op.key) && op.invokeMs <= to && endOf(op) >= from - marginMs)
    .map((op) => ({ op, d: distance(op) }))
    .sort((a, b) => a.d - b.d || a.op.invokeMs - b.op.invokeMs || a.op.id - b.op.id)
    .map((x) => x.op);
  const picked = [...focus, ...near.slice(0, Math.max(0, cap - focus.length))];
  return picked.sort((a, b) => a.invokeMs - b.invokeMs || a.id - b.id);
}

/** The ops a finding draws: the named ones and their neighbourhood, or a sample's own. */
export function opsForFinding(history: readonly HistoryOp[], finding: Finding, cap = MAX_DIAGRAM_OPS): HistoryOp[] {
  const { sampleIds } = finding;
  if (sampleIds) {
    const ids = new Set(sampleIds.slice(0, cap));
    return history.filter((op) => ids.has(op.id)).sort((a, b) => a.invokeMs - b.invokeMs || a.id - b.id);
  }
  // Nothing named (replicas that diverge: a state, not an op): the key's last operations, which left that state.
  if (finding.opIds.length === 0) return history.filter((op) => op.key === finding.key).sort((a, b) => a.invokeMs - b.invokeMs || a.id - b.id).slice(-Math.min(cap, 40));
  // A little either side of the named ops, so the learner sees what came just before and after.
  const ids = new Set(finding.opIds);
  const named = history.filter((op) => ids.has(op.id));
  const spanMs = named.length ? Math.max(...named.map((op) => op.completeMs ?? op.invokeMs)) - Math.min(...named.map((op) => op.invokeMs)) : 0;
  return neighbourhood(history, finding.opIds, cap, Math.max(5, spanMs * 0.25));
}

function uniq<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
