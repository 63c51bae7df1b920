import { useEffect, useState } from 'react';
import { forkHere, forkStep, forkView, leaveFork, subscribeFork, type ForkChoiceInput } from '../api/travel';
import { useActions } from '../stores/hooks';

/** At most this many messages in flight are listed (oldest first); the rest are counted. */
const SHOWN = 24;

/**
 * "What if this one message had been lost": from the moment on screen, the run continues in
 * the simulator, in the page, and nothing happens on its own — the learner delivers, drops or
 * duplicates a message in flight, fires a node's timer, crashes, restarts, pauses or
 * partitions, or lets a seeded random schedule run. The whole dashboard follows the fork;
 * every step of every core is checked against the invariants, and a broken one is shown at the
 * step that broke it.
 */
export function ForkPanel() {
  const [, setVersion] = useState(0);
  const [seed, setSeed] = useState(1);
  const [hideHeartbeats, setHideHeartbeats] = useState(true);
  const [write, setWrite] = useState({ key: 'k', value: 'v1', node: '' });
  const { toast } = useActions();
  useEffect(() => subscribeFork(() => setVersion((v) => v + 1)), []);
  const view = forkView();

  const act = (choice: Parameters<typeof forkStep>[0]) => {
    try {
      forkStep(choice);
    } catch (err) {
      toast('error', err instanceof Error ? err.message : String(err));
    }
  };

  if (!view) {
    return (
      <div className="fork fork--closed">
        <button type="button" onClick={() => void forkHere().catch((err: unknown) => toast('error', `Fork failed — ${err instanceof Error ? err.message : String(err)}`))}>
          Fork from here
        </button>
        <span className="muted small">continue this run step by step, choosing what happens next</span>
      </div>
    );
  }

  /** One of a node's buttons: off once an invariant broke, or when `off`. */
  const nodeButton = (label: string, name: string, choice: ForkChoiceInput, off = false) => (
    <button type="button" disabled={off || !!view.violation} onClick={() => act(choice)} aria-label={name}>
      {label}
    </button>
  );
  const flights = view.inFlight.filter((f) => !hideHeartbeats || f.family !== 'heartbeat');
  return (
    <section className="fork" aria-labelledby="fork-heading">
      <div className="panel__head">
        <h3 id="fork-heading">Fork</h3>
        <span className="muted small">
          {view.label} · {view.steps} step{view.steps === 1 ? '' : 's'}
        </span>
        <button type="button" className="fork__leave" onClick={leaveFork}>
          Leave the fork
        </button>
      </div>
      {view.violation && (
        <p role="alert" className="fork__violation">
          Step {view.violation.step} broke an invariant — {view.violation.rule}: {view.violation.detail}
        </p>
      )}
      {view.recordedViolation && <p className="fork__violation">The recorded run itself broke an invariant before this moment: {view.recordedViolation}</p>}
      <div className="fork__grid">
        <div>
          <h4>
            In flight ({view.inFlight.length}){' '}
            <label className="small">
              <input type="checkbox" checked={hideHeartbeats} onChange={(e) => setHideHeartbeats(e.target.checked)} /> hide heartbeats
            </label>
          </h4>
          {flights.length === 0 ? (
            <p className="muted small">Nothing {hideHeartbeats && view.inFlight.length > 0 ? 'but heartbeats is ' : 'is '}in flight: fire a timer.</p>
          ) : (
            <ul className="fork__flights">
              {flights.slice(0, SHOWN).map((f) => {
                const name = `${f.type} ${f.from}→${f.to}`;
                return (
                  <li key={f.id}>
                    <span className="fork__msg">
                      <strong>{f.type}</strong> {f.from} → {f.to}
                    </span>
                    <button type="button" disabled={!!view.violation} aria-label={`Deliver ${name}`} onClick={() => act({ type: 'deliver', id: f.id })}>
                      Deliver
                    </button>
                    <button type="button" disabled={!!view.violation} aria-label={`Drop ${name}`} onClick={() => act({ type: 'drop', id: f.id })}>
                      Drop
                    </button>
                    <button type="button" disabled={!!view.violation} aria-label={`Duplicate ${name}`} onClick={() => act({ type: 'duplicate', id: f.id })}>
                      Duplicate
                    </button>
                  </li>
                );
              })}
              {flights.length > SHOWN && <li className="muted small">and {flights.length - SHOWN} more</li>}
            </ul>
          )}
        </div>
        <div>
          <h4>Timers and processes</h4>
          <ul className="fork__nodes">
            {view.nodes.map((n) => {
              const timer = view.timers.find((t) => t.node === n.id);
              const choice = (type: ForkChoiceInput['type']) => ({ type, node: n.id }) as ForkChoiceInput;
              return (
                <li key={n.id}>
                  <strong>{n.id}</strong>
                  <span className="muted small fork__state">
                    {n.state}
                    {timer ? ` · timer in ${timer.inMs} ms` : ''}
                  </span>
                  {nodeButton('Fire timer', `Fire ${n.id}'s timer`, { type: 'timer', node: n.id }, !timer)}
                  {n.state === 'crashed'
                    ? nodeButton('Restart', `Restart ${n.id} in the fork`, choice('restart'))
                    : nodeButton('Crash', `Crash ${n.id} in the fork`, choice('crash'))}
                  {nodeButton('Cut off', `Cut ${n.id} off in the fork`, { type: 'partition', groups: [[n.id], view.nodes.filter((o) => o.id !== n.id).map((o) => o.id)] }, view.partitioned)}
                  {n.state === 'paused'
                    ? nodeButton('Resume', `Resume ${n.id} in the fork`, choice('resume'))
                    : nodeButton('Pause', `Pause ${n.id} in the fork`, choice('pause'), n.state !== 'up')}
                </li>
              );
            })}
          </ul>
          <form
            className="fork__write"
            onSubmit={(e) => {
              e.preventDefault();
              const node = write.node || view.nodes.find((n) => n.state === 'up')?.id;
              if (node) act({ type: 'write', node, key: write.key, value: write.value });
            }}
          >
            <label>
              key <input value={write.key} onChange={(e) => setWrite({ ...write, key: e.target.value })} aria-label="Key to write in the fork" />
            </label>
            <label>
              = <input value={write.value} onChange={(e) => setWrite({ ...write, value: e.target.value })} aria-label="Value to write in the fork" />
            </label>
            <label>
              through{' '}
              <select value={write.node} onChange={(e) => setWrite({ ...write, node: e.target.value })} aria-label="Node to write through in the fork">
                <option value="">first running</option>
                {view.nodes
                  .filter((n) => n.state === 'up')
                  .map((n) => (
                    <option key={n.id} value={n.id}>
                      {n.id}
                    </option>
                  ))}
              </select>
            </label>
            <button type="submit" disabled={!!view.violation || write.key === ''}>
              Write in the fork
            </button>
          </form>
          <div className="fork__more">
            {view.partitioned ? (
              <button type="button" disabled={!!view.violation} onClick={() => act({ type: 'heal' })}>
                Heal the partition
              </button>
            ) : (
              <button type="button" disabled={!!view.violation || !view.isolate} onClick={() => view.isolate && act({ type: 'partition', groups: view.isolate })}>
                Isolate the leader
              </button>
            )}
            <label className="small">
              seed <input type="number" min={0} value={seed} aria-label="Seed of the random schedule" onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
            </label>
            <button type="button" disabled={!!view.violation} onClick={() => act({ type: 'random', steps: 20, seed })}>
              Run 20 random steps
            </button>
          </div>
        </div>
      </div>
    </section>
  );
}
