import { OP_TYPES, problemKey, rowName, type Branch, type OpRow, type OpType, type Part } from '../lib/txnForm';

export type RowsProps<R> = {
  rows: R[];
  onChange(row: R): void;
  onRemove(id: number): void;
  /** The element id of one row's control, so the panel can move focus to it. */
  controlId(part: Part, rowId: number, control: string): string;
  /** problemKey()s of the controls that hold something wrong. */
  invalid: ReadonlySet<string>;
  /** The id of the line that says what is wrong. */
  describedBy: string;
};

/** One branch's ops: put (key and value), delete or get (key only). */
export function TxnOpRows({ branch, rows, onChange, onRemove, controlId, invalid, describedBy }: RowsProps<OpRow> & { branch: Branch }) {
  if (rows.length === 0) return <p className="txn__none">No ops: nothing happens on this branch.</p>;
  return (
    <div className="txn__rows txn__rows--ops">
      <div className="txn__cols" aria-hidden="true">
        <span />
        <span>Op</span>
        <span>Key</span>
        <span>Value</span>
        <span />
      </div>
      {rows.map((row, i) => {
        const name = rowName(branch, i);
        const bad = invalid.has(problemKey(branch, row.id, 'key'));
        return (
          <div key={row.id} className="txn__row">
            <span className="txn__num" aria-hidden="true">
              {i + 1}
            </span>
            <select aria-label={`${name} type`} value={row.type} onChange={(e) => onChange({ ...row, type: e.target.value as OpType })}>
              {OP_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
            <input
              id={controlId(branch, row.id, 'key')}
              aria-label={`${name} key`}
              aria-invalid={bad || undefined}
              aria-describedby={bad ? describedBy : undefined}
              value={row.key}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => onChange({ ...row, key: e.target.value })}
            />
            {row.type === 'put' ? (
              <input aria-label={`${name} value`} value={row.value} spellCheck={false} autoComplete="off" onChange={(e) => onChange({ ...row, value: e.target.value })} />
            ) : (
              <span className="txn__novalue">{row.type === 'get' ? 'reads it' : 'no value'}</span>
            )}
            <button type="button" className="btn btn--small btn--quiet txn__remove" aria-label={`Remove ${name.toLowerCase()}`} title={`Remove ${name.toLowerCase()}`} onClick={() => onRemove(row.id)}>
              ✕
            </button>
          </div>
        );
      })}
    </div>
  );
}
