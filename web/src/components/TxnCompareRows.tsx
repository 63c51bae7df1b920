import { operatorsFor, problemKey, rowName, TARGETS, withTarget, type CompareRow, type Operator, type Target } from '../lib/txnForm';
import type { RowsProps } from './TxnOpRows';

const TARGET_WORDS: Record<Target, string> = { value: 'value', version: 'version', exists: 'exists' };

/** The compares: each one a key, what of it to compare (value, version, exists), an operator and what to compare with. */
export function TxnCompareRows({ rows, onChange, onRemove, controlId, invalid, describedBy }: RowsProps<CompareRow>) {
  if (rows.length === 0) return <p className="txn__none">No compare: the success branch always runs.</p>;
  return (
    <div className="txn__rows txn__rows--compare">
      <div className="txn__cols" aria-hidden="true">
        <span />
        <span>Key</span>
        <span>Target</span>
        <span>Op</span>
        <span>Value</span>
        <span />
      </div>
      {rows.map((row, i) => {
        const name = rowName('compare', i);
        const field = (control: 'key' | 'op' | 'value') => {
          const bad = invalid.has(problemKey('compare', row.id, control));
          return { id: controlId('compare', row.id, control), 'aria-invalid': bad || undefined, 'aria-describedby': bad ? describedBy : undefined };
        };
        return (
          <div key={row.id} className="txn__row">
            <span className="txn__num" aria-hidden="true">
              {i + 1}
            </span>
            <input {...field('key')} aria-label={`${name} key`} value={row.key} spellCheck={false} autoComplete="off" onChange={(e) => onChange({ ...row, key: e.target.value })} />
            <select aria-label={`${name} target`} value={row.target} onChange={(e) => onChange(withTarget(row, e.target.value as Target))}>
              {TARGETS.map((t) => (
                <option key={t} value={t}>
                  {TARGET_WORDS[t]}
                </option>
              ))}
            </select>
            <select {...field('op')} aria-label={`${name} operator`} value={row.op} onChange={(e) => onChange({ ...row, op: e.target.value as Operator })}>
              {operatorsFor(row.target).map((op) => (
                <option key={op} value={op}>
                  {op}
                </option>
              ))}
            </select>
            {row.target === 'exists' ? (
              <select {...field('value')} aria-label={`${name} value`} value={row.value} onChange={(e) => onChange({ ...row, value: e.target.value })}>
                <option value="true">true</option>
                <option value="false">false</option>
              </select>
            ) : (
              <input
                {...field('value')}
                aria-label={`${name} value`}
                value={row.value}
                inputMode={row.target === 'version' ? 'numeric' : undefined}
                placeholder={row.target === 'version' ? '0 = absent' : 'text'}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => onChange({ ...row, value: e.target.value })}
              />
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
