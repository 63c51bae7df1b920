import { useId, useState } from 'react';
import { kvRequest, readFromAll } from '../api/actions';
import { useApp } from '../stores/hooks';

/**
 * Write, delete or read one key through a chosen node. Sending to a follower shows the
 * redirect to the leader; reading from a follower shows what a stale read looks like.
 */
export function KvForm() {
  const nodeIds = useApp((s) => s.cluster.nodeIds);
  const pending = useApp((s) => s.keys.pending);
  const [key, setKey] = useState('color');
  const [value, setValue] = useState('blue');
  const [via, setVia] = useState('');
  const ids = { key: useId(), value: useId(), via: useId() };
  const through = via === '' ? null : via;
  const noKey = key.trim() === '';
  const busy = pending !== null;

  return (
    <form className="kv-form" onSubmit={(e) => {
        e.preventDefault();
        if (!noKey) void kvRequest('put', key, through, value);
      }}>
      <div className="field">
        <label htmlFor={ids.key}>Key</label>
        <input id={ids.key} value={key} onChange={(e) => setKey(e.target.value)} required spellCheck={false} autoComplete="off" />
      </div>
      <div className="field field--grow">
        <label htmlFor={ids.value}>Value</label>
        <input id={ids.value} value={value} onChange={(e) => setValue(e.target.value)} spellCheck={false} autoComplete="off" />
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
      <div className="kv-form__buttons">
        <button type="submit" className="btn btn--primary" disabled={noKey || busy}>
          {pending === 'put' ? 'Writing…' : 'Write'}
        </button>
        <button type="button" className="btn" disabled={noKey || busy} onClick={() => void kvRequest('delete', key, through)}>
          Delete
        </button>
        <button type="button" className="btn" disabled={noKey || busy} onClick={() => void kvRequest('get', key, through)}>
          Read
        </button>
        <button type="button" className="btn" disabled={noKey || busy} onClick={() => void readFromAll(key)}>
          Read from all nodes
        </button>
      </div>
    </form>
  );
}
