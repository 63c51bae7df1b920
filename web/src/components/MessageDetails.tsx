import type { AlgorithmId, ClusterEvent } from '@clusterlab/shared';
import { formatClock, formatTerm, summarizeEvent } from '../lib/format';
import type { Message } from '../lib/spaceTimeBuffer';

export type DiagramSelection = { kind: 'message'; id: string } | { kind: 'event'; event: ClusterEvent } | null;

type Props = {
  message: Message | undefined;
  event: ClusterEvent | undefined;
  caused: readonly ClusterEvent[];
  /** What the message carried, as JSON (or why it is not known yet); null for one that never arrived. */
  payload: string | null;
  /** For a lane event: the message it answered (its `cause`), when the buffer still has it. */
  answering: Message | undefined;
  algorithm: AlgorithmId;
  onSelect: (s: DiagramSelection) => void;
};

/** How a message's receipt or loss reads: "20:11:05.123 (Lamport 812)". */
function at(e: ClusterEvent): string {
  return `${formatClock(e.time)} (Lamport ${e.lamport})`;
}

/** The message (or lane event) clicked or opened with Enter, in a box of fixed size so nothing moves. */
export function MessageDetails({ message, event, caused, payload, answering, algorithm, onSelect }: Props) {
  let body;
  if (message) {
    const m = message;
    const rows: [string, string][] = [
      ['Type', `${m.type} (${m.family})`],
      ['Term', formatTerm(algorithm, m.term)],
      ['From → to', `${m.from} → ${m.to}`],
      ['Sent', m.sent ? at(m.sent) : m.sentMs !== null ? `${formatClock(m.sentMs)} (its event has left the diagram's buffer)` : 'not seen (before this page opened)'],
    ];
    if (m.received) {
      rows.push(['Received', at(m.received)]);
      if (m.sentMs !== null) rows.push(['Transit', `${Math.max(0, m.received.time - m.sentMs)} ms`]);
      if (m.duplicates > 0) rows.push(['Duplicates', `delivered ${m.duplicates + 1} times`]);
    } else if (m.lost && m.lost.kind === 'message.lost') {
      rows.push(['Lost', `${at(m.lost)} at ${m.lost.node}: ${m.lost.data.reason}`]);
    } else rows.push(['Received', 'not yet (in flight, or its fate is not in the events)']);
    if (payload !== null) rows.push(['Payload', payload]);
    body = (
      <>
        <h3 className="mdiagram__details-title">
          {m.type} · {m.from} → {m.to}
        </h3>
        <dl className="mdiagram__dl">
          {rows.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <h4 className="mdiagram__caused-title small">Events it caused</h4>
        {caused.length === 0 ? (
          <p className="muted small">{m.received ? 'None: its receiver did nothing in answer that the events record.' : m.lost ? 'None: it never reached its receiver.' : 'None yet.'}</p>
        ) : (
          <ul className="mdiagram__caused" aria-label="Events it caused">
            {caused.map((e) => (
              <li key={e.seq}>
                <button
                  type="button"
                  className="mdiagram__caused-btn"
                  onClick={() => onSelect(e.kind === 'message.sent' ? { kind: 'message', id: e.data.id } : { kind: 'event', event: e })}
                >
                  <span className="mono">#{e.seq}</span> {e.node} {e.kind} <span className="muted">{summarizeEvent(e, algorithm)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </>
    );
  } else if (event) {
    body = (
      <>
        <h3 className="mdiagram__details-title">
          Event #{event.seq} · {event.kind}
        </h3>
        <dl className="mdiagram__dl">
          <div>
            <dt>Lane</dt>
            <dd>{event.node}</dd>
          </div>
          <div>
            <dt>At</dt>
            <dd>{at(event)}</dd>
          </div>
          <div>
            <dt>What</dt>
            <dd>{summarizeEvent(event, algorithm)}</dd>
          </div>
          {event.cause !== undefined && (
            <div>
              <dt>Answering</dt>
              <dd>
                <button type="button" className="mdiagram__caused-btn" onClick={() => onSelect({ kind: 'message', id: event.cause! })}>
                  {answering ? `${answering.type} · ${answering.from} → ${answering.to}` : `message ${event.cause}`}
                </button>
              </dd>
            </div>
          )}
        </dl>
      </>
    );
  } else {
    body = <p className="muted small">Click a message (or focus the diagram, move with ← →, and press Enter) to see its details and what it caused. Hover over one to light up everything that happened before it.</p>;
  }
  return (
    <div className="mdiagram__details" role="region" aria-label="Message details">
      {body}
    </div>
  );
}
