import { memo } from 'react';
import type { NodeView } from '@clusterlab/shared';
import { formatTerm, termNoun } from '../lib/format';
import { liveMoment } from '../lib/lessons';
import { useAlgorithm, useApp, useAppShallow } from '../stores/hooks';
import { HeartbeatAge } from './HeartbeatAge';
import { NodeControls } from './NodeControls';
import { RoleBadge } from './RoleBadge';
import { StatusBadge } from './StatusBadge';

type CardFields = Pick<
  NodeView,
  'id' | 'role' | 'status' | 'term' | 'leader' | 'lastIndex' | 'appliedIndex' | 'commitIndex' | 'keyCount' | 'votedFor' | 'membership' | 'pid' | 'port' | 'exit'
>;

const MEMBERSHIP_WORD = { voter: 'voter', learner: 'learner', none: 'not a member' } as const;

/**
 * One node, fixed size so the grid never reflows as values change. It reads only the fields
 * it shows; the heartbeat age (which changes on every heartbeat) lives in its own component.
 */
export const NodeCard = memo(function NodeCard({ id }: { id: string }) {
  const n = useAppShallow((s): CardFields | null => {
    const v = s.cluster.nodes[id];
    if (!v) return null;
    return {
      id: v.id,
      role: v.role,
      status: v.status,
      term: v.term,
      leader: v.leader,
      lastIndex: v.lastIndex,
      appliedIndex: v.appliedIndex,
      commitIndex: v.commitIndex,
      keyCount: v.keyCount,
      votedFor: v.votedFor,
      membership: v.membership,
      pid: v.pid,
      port: v.port,
      exit: v.exit,
    };
  });
  const algorithm = useAlgorithm();
  // The step of a lesson being played that is about this node (one of two leaders, the one refused).
  const lesson = useApp((s) => {
    const m = liveMoment(s.lessons.runs, s.lessons.list);
    return m?.nodes.includes(id) ? m.title : null;
  });
  if (!n) return null;
  const role = n.status === 'stopped' ? 'unknown' : n.role;
  const raft = algorithm === 'raft';
  return (
    <article
      className={`node-card node-card--${role} node-card--${n.status} node-card--${algorithm}${lesson ? ' node-card--lesson' : ''}`}
      role="group"
      aria-label={`Node ${id}`}
      aria-description={lesson ? `The lesson's moment: ${lesson}` : undefined}
    >
      {/* Drawn over the card's edge, so marking a card never moves what is in it. */}
      {lesson && (
        <span className="node-card__lesson" aria-hidden="true">
          Lesson · {lesson}
        </span>
      )}
      <div className="node-card__head">
        <span className="node-card__id">{id}</span>
        <RoleBadge role={role} />
        {/* Spaced, so a screen reader (and a text search) reads "leader voter", not "leadervoter". */}
        {raft && <span className={`member member--${n.membership}`}> {MEMBERSHIP_WORD[n.membership]} </span>}
        <StatusBadge status={n.status} />
      </div>
      <dl className="node-card__facts">
        <div>
          <dt>{termNoun(algorithm) === 'epoch' ? 'Epoch' : 'Term'}</dt>
          <dd>{formatTerm(algorithm, n.term)}</dd>
        </div>
        {raft ? (
          <>
            <div>
              <dt>Voted for</dt>
              <dd>{n.votedFor ?? '—'}</dd>
            </div>
            <div>
              <dt>Log</dt>
              <dd title={`last index ${n.lastIndex}, committed up to ${n.commitIndex}, applied up to ${n.appliedIndex}`}>{n.lastIndex}</dd>
            </div>
            <div>
              <dt>Commit</dt>
              <dd>{n.commitIndex}</dd>
            </div>
          </>
        ) : null}
        <div>
          <dt>Applied</dt>
          <dd title={`commit index ${n.commitIndex}`}>{n.appliedIndex}</dd>
        </div>
        <div>
          <dt>Keys</dt>
          <dd>{n.keyCount}</dd>
        </div>
        <div className="node-card__wide">
          <dt>Last heartbeat</dt>
          <dd>
            <HeartbeatAge id={id} />
          </dd>
        </div>
        <div>
          <dt>Follows</dt>
          <dd>{role === 'follower' && n.leader ? n.leader : '—'}</dd>
        </div>
        <div>
          <dt>PID</dt>
          <dd>{n.pid ?? '—'}</dd>
        </div>
        <div>
          <dt>Port</dt>
          <dd>{n.port ?? '—'}</dd>
        </div>
        <div>
          <dt>Exit</dt>
          <dd>{n.status === 'stopped' && n.exit ? (n.exit.signal ?? `code ${n.exit.code ?? '?'}`) : '—'}</dd>
        </div>
      </dl>
      <NodeControls node={n} />
    </article>
  );
});
