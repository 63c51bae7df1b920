import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { runTxn } from '../api/actions';
import { checkTxnForm, EXAMPLES, newCompare, newOp, type Branch, type Part, type TxnFormValues } from '../lib/txnForm';
import { useApp } from '../stores/hooks';
import { TxnAnswer } from './TxnAnswer';
import { TxnCompareRows } from './TxnCompareRows';
import { TxnOpRows } from './TxnOpRows';

const TRANSFER = EXAMPLES.find((e) => e.id === 'transfer')!;

/**
 * Compares, then the ops of the branch they choose, as etcd's Txn: the whole of it one log
 * entry, applied at once on every node. Opens on the transfer example, so a learner sees one.
 */
export function TransactionPanel() {
  const [values, setValues] = useState<TxnFormValues>(TRANSFER.values);
  const pending = useApp((s) => s.keys.txnPending);
  const uid = useId();
  const check = useMemo(() => checkTxnForm(values), [values]);
  const invalid = useMemo(() => new Set(check.problems.map((p) => p.field)), [check]);
  // Where focus goes once the next render is on screen: a new row's key, or the Add button of a row just removed.
  const focusNext = useRef<string | null>(null);
  useEffect(() => {
    if (focusNext.current === null) return;
    document.getElementById(focusNext.current)?.focus();
    focusNext.current = null;
  });

  const controlId = (part: Part, rowId: number, control: string) => `${uid}-${part}-${rowId}-${control}`;
  const addId = (part: Part) => `${uid}-add-${part}`;
  const problemsId = `${uid}-problems`;
  const rowProps = { controlId, invalid, describedBy: problemsId };

  const setPart = <P extends Part>(part: P, rows: TxnFormValues[P]) => setValues((v) => ({ ...v, [part]: rows }));
  const add = (part: Part) => {
    const row = part === 'compare' ? newCompare() : newOp();
    focusNext.current = controlId(part, row.id, 'key');
    setValues((v) => ({ ...v, [part]: [...v[part], row] }));
  };
  const remove = (part: Part, id: number) => {
    focusNext.current = addId(part);
    setValues((v) => ({ ...v, [part]: (v[part] as { id: number }[]).filter((r) => r.id !== id) }));
  };
  const branch = (b: Branch, legend: string, when: string) => (
    <fieldset className="txn__part">
      <legend>{legend}</legend>
      <span className="txn__when">{when}</span>
      <TxnOpRows
        branch={b}
        rows={values[b]}
        onChange={(row) => setPart(b, values[b].map((r) => (r.id === row.id ? row : r)))}
        onRemove={(id) => remove(b, id)}
        {...rowProps}
      />
      <button type="button" id={addId(b)} className="btn btn--small txn__add" onClick={() => add(b)}>
        Add {b} op
      </button>
    </fieldset>
  );

  return (
    <section className="panel txn" aria-labelledby={`${uid}-heading`}>
      <div className="panel__head">
        <h2 id={`${uid}-heading`}>Transaction</h2>
        <span className="muted small">if every compare holds, the success ops run, otherwise the failure ops: one log entry, all at once</span>
      </div>
      <div className="txn__examples" role="group" aria-label="Transaction examples">
        {EXAMPLES.map((ex) => (
          <button key={ex.id} type="button" className="btn btn--small" title={ex.explains} onClick={() => setValues(ex.values())}>
            {ex.name}
          </button>
        ))}
        <span className="muted small">Open the accounts, then run the transfer twice: the second time alice no longer holds “100”.</span>
      </div>
      <form
        className="txn__form"
        aria-label="Transaction to run"
        onSubmit={(e) => {
          e.preventDefault();
          if (check.body && !pending) void runTxn(check.body);
        }}
      >
        <fieldset className="txn__part txn__part--compare">
          <legend>Compares</legend>
          <span className="txn__when">all must hold for the success branch</span>
          <TxnCompareRows
            rows={values.compare}
            onChange={(row) => setPart('compare', values.compare.map((r) => (r.id === row.id ? row : r)))}
            onRemove={(id) => remove('compare', id)}
            {...rowProps}
          />
          <button type="button" id={addId('compare')} className="btn btn--small txn__add" onClick={() => add('compare')}>
            Add compare
          </button>
        </fieldset>
        <div className="txn__branches">
          {branch('success', 'Success branch', 'runs when every compare holds')}
          {branch('failure', 'Failure branch', 'runs when one does not')}
        </div>
        <div className="txn__actions">
          <button type="submit" className="btn btn--primary" disabled={check.body === null || pending}>
            {pending ? 'Running…' : 'Run transaction'}
          </button>
          <button type="button" className="btn" onClick={() => setValues({ compare: [], success: [], failure: [] })}>
            Clear transaction
          </button>
          {/* Kept in the layout even when empty, so a problem appearing does not push the answer down. */}
          <p id={problemsId} className="txn__problems">
            {check.problems.map((p) => `${p.text}.`).join(' ')}
          </p>
        </div>
      </form>
      <TxnAnswer />
    </section>
  );
}
