import { useId, useState, type RefObject } from 'react';
import { kvRequest, readFromAll } from '../api/actions';
import { allows, parseVersionField, versionHint, type VersionField } from '../lib/kvCondition';
import { useApp } from '../stores/hooks';

const NOT_A_NUMBER: VersionField = parseVersionField('not a number');

type Props = {
  keyName: string;
  onKeyName(key: string): void;
  /** "Only if version is", as typed. */
  ifVersion: string;
  onIfVersion(text: string): void;
  valueInput: RefObject<HTMLInputElement | null>;
};

/**
 * Write, delete or read one key through a chosen node. Sending to a follower shows the
 * redirect to the leader; reading from a follower shows what a stale read looks like.
 * "Only if version is" makes Write and Delete conditional: compare-and-set on the key's version.
 */
export function KvForm({ keyName: key, onKeyName, ifVersion, onIfVersion, valueInput }: Props) {
  const nodeIds = useApp((s) => s.cluster.nodeIds);
  const pending = useApp((s) => s.keys.pending);
  const [value, setValue] = useState('blue');
  const [via, setVia] = useState('');
  const ids = { key: useId(), value: useId(), via: useId(), version: useId(), hint: useId() };
  const through = via === '' ? null : via;
  const noKey = key.trim() === '';
  const busy = pending !== null;
  // A number input holding what is not a number ("1e") reports "": that must not read as "no condition".
  const [badInput, setBadInput] = useState(false);
  const field = badInput && ifVersion === '' ? NOT_A_NUMBER : parseVersionField(ifVersion);
  const version = field.kind === 'version' ? field.version : undefined;
  const canWrite = !noKey && !busy && allows('put', field);

  return (
    <form className="kv-form" onSubmit={(e) => {
        e.preventDefault();
        if (canWrite) void kvRequest('put', key, through, value, version);
      }}>
      <div className="field">
        <label htmlFor={ids.key}>Key</label>
        <input id={ids.key} value={key} onChange={(e) => onKeyName(e.target.value)} required spellCheck={false} autoComplete="off" />
      </div>
      <div className="field field--grow">
        <label htmlFor={ids.value}>Value</label>
        <input id={ids.value} ref={valueInput} value={value} onChange={(e) => setValue(e.target.value)} spellCheck={false} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={ids.via}>Through node</label>
        <select id={ids.via} value={via} onChange={(e) => setVia(e.target.value)}>
          <option value="">leader</option>
          {nodeIds.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </div>
      <div className="field kv-form__version">
        <label htmlFor={ids.version}>Only if version is</label>
        <input
          id={ids.version}
          type="number"
          min={0}
          step={1}
          inputMode="numeric"
          placeholder="any"
          value={ifVersion}
          aria-invalid={field.kind === 'invalid' ? true : undefined}
          aria-describedby={ids.hint}
          onInput={(e) => setBadInput(e.currentTarget.validity.badInput)}
          onChange={(e) => onIfVersion(e.target.value)}
        />
      </div>
      <div className="kv-form__buttons">
        <button type="submit" className="btn btn--primary" disabled={!canWrite}>
          {pending === 'put' ? 'Writing…' : 'Write'}
        </button>
        <button type="button" className="btn" disabled={noKey || busy || !allows('delete', field)} onClick={() => void kvRequest('delete', key, through, '', version)}>
          Delete
        </button>
        <button type="button" className="btn" disabled={noKey || busy} onClick={() => void kvRequest('get', key, through)}>
          Read
        </button>
        <button type="button" className="btn" disabled={noKey || busy} onClick={() => void readFromAll(key)}>
          Read from all nodes
        </button>
        <p id={ids.hint} className={`kv-form__hint${field.kind === 'invalid' ? ' kv-form__hint--bad' : ''}`}>
          {versionHint(field)}
        </p>
      </div>
    </form>
  );
}
