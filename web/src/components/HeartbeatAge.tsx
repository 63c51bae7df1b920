import { formatDuration } from '../lib/format';
import { useServerNow } from '../hooks/useNow';
import { useApp } from '../stores/hooks';

/**
 * How long since this node last heard its leader, ticking. It turns amber once it is past the
 * shortest election timeout (the node may start an election any moment) and red past the longest,
 * allowing for how late events reach the page.
 * Its own component so the tick re-renders one line, not the card.
 */
export function HeartbeatAge({ id }: { id: string }) {
  const at = useApp((s) => s.cluster.nodes[id]?.lastHeartbeatAt ?? null);
  const role = useApp((s) => s.cluster.nodes[id]?.role);
  const live = useApp((s) => s.cluster.nodes[id]?.status === 'running');
  const min = useApp((s) => s.cluster.settings?.electionTimeoutMinMs ?? Infinity);
  const max = useApp((s) => s.cluster.settings?.electionTimeoutMaxMs ?? Infinity);
  const lag = useApp((s) => s.cluster.feedLagMs);
  // A paused or dead node hears nothing either: its age keeps growing, shown grey.
  const ticking = !(live && role === 'leader') && at !== null;
  const now = useServerNow(ticking ? 100 : 0);

  if (role === 'leader' && live) return <span className="hb hb--self">sends them</span>;
  if (at === null) return <span className="hb hb--none">never</span>;
  const age = Math.max(0, now - at);
  // The node heard it `lag` ms before we heard that it did; judge lateness on the node's clock.
  const nodeAge = age - lag;
  const tone = !live ? 'hb--frozen' : nodeAge > max ? 'hb--late' : nodeAge > min ? 'hb--due' : 'hb--fresh';
  return (
    <span className={`hb ${tone}`} title={`Events reach this page about ${lag} ms after they happen, so this reads that much high.`}>
      {formatDuration(age)} ago
    </span>
  );
}
