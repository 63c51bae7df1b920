import { useMemo } from 'react';
import type { NodeRole, ProcessStatus } from '@clusterlab/shared';
import { useActions, useApp } from '../stores/hooks';
import { MessageLayer, type Point } from './MessageLayer';

const SIZE = 300;
const CENTER = SIZE / 2;
const RADIUS = 112;
const NODE_R = 21;

type Dot = { id: string; role: NodeRole; status: ProcessStatus; leader: string | null };

/** Nodes around a ring, the registry in the middle, messages flying between them. */
export function Topology() {
  // One string per render input: the drawing re-renders when a role or status changes, not on every heartbeat.
  const key = useApp((s) =>
    s.cluster.nodeIds
      .map((id) => {
        const n = s.cluster.nodes[id];
        return n ? `${id},${n.status === 'stopped' ? 'unknown' : n.role},${n.status},${n.leader ?? ''}` : '';
      })
      .join(';'),
  );
  const listed = useApp((s) => (s.cluster.registry?.nodes ?? []).map((e) => e.id).join(','));
  const registryStatus = useApp((s) => s.cluster.registry?.status ?? 'stopped');
  const animate = useApp((s) => s.ui.animateMessages);
  const { setAnimateMessages } = useActions();

  const dots: Dot[] = useMemo(
    () =>
      key
        ? key.split(';').filter(Boolean).map((s) => {
            const [id, role, status, leader] = s.split(',') as [string, NodeRole, ProcessStatus, string];
            return { id, role, status, leader: leader || null };
          })
        : [],
    [key],
  );
  const positions = useMemo(() => {
    const m = new Map<string, Point>();
    dots.forEach((d, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, dots.length);
      m.set(d.id, { x: CENTER + RADIUS * Math.cos(angle), y: CENTER + RADIUS * Math.sin(angle) });
    });
    return m;
  }, [dots]);
  const listedSet = useMemo(() => new Set(listed.split(',').filter(Boolean)), [listed]);
  const leader = dots.find((d) => d.role === 'leader' && d.status === 'running');

  const description = leader
    ? `${leader.id} leads ${dots.filter((d) => d.role === 'follower' && d.leader === leader.id).map((d) => d.id).join(', ') || 'no followers'}`
    : 'no leader';

  return (
    <figure className="panel topology">
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label={`Cluster topology: ${description}`}>
        {dots.map((d) => {
          const p = positions.get(d.id)!;
          return (
            <line key={`r-${d.id}`} x1={CENTER} y1={CENTER} x2={p.x} y2={p.y}
              className={listedSet.has(d.id) ? 'link link--registry' : 'link link--registry-absent'} />
          );
        })}
        {leader &&
          dots
            .filter((d) => d.id !== leader.id && d.status !== 'stopped')
            .map((d) => {
              const a = positions.get(leader.id)!;
              const b = positions.get(d.id)!;
              return <line key={`l-${d.id}`} x1={a.x} y1={a.y} x2={b.x} y2={b.y}
                className={d.leader === leader.id ? 'link link--follows' : 'link link--stray'} />;
            })}
        <g className={`topo-registry topo-registry--${registryStatus}`}>
          <rect x={CENTER - 34} y={CENTER - 13} width={68} height={26} rx={6} />
          <text x={CENTER} y={CENTER + 4}>registry</text>
        </g>
        <MessageLayer positions={positions} />
        {dots.map((d) => {
          const p = positions.get(d.id)!;
          return (
            <g key={d.id} className={`topo-node topo-node--${d.role} topo-node--${d.status}`}>
              <circle cx={p.x} cy={p.y} r={NODE_R} />
              <text x={p.x} y={p.y + 4} className="topo-node__id">
                {d.id}
              </text>
              {d.role === 'leader' && (
                <text x={p.x} y={p.y - NODE_R - 4} className="topo-node__crown">
                  ♛
                </text>
              )}
              {d.status === 'paused' && (
                <text x={p.x + NODE_R - 2} y={p.y - NODE_R + 8} className="topo-node__mark">❚❚</text>
              )}
              {d.status === 'stopped' && (
                <text x={p.x + NODE_R - 2} y={p.y - NODE_R + 8} className="topo-node__mark">✕</text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="topology__legend">
        <span><i className="dot dot--heartbeat" /> heartbeat</span>
        <span><i className="dot dot--election" /> election</span>
        <span><i className="dot dot--victory" /> victory</span>
        <span><i className="dot dot--replication" /> replication</span>
        <span><i className="dot dot--other" /> other</span>
        <label className="topology__toggle">
          <input type="checkbox" checked={animate} onChange={(e) => setAnimateMessages(e.target.checked)} />
          Animate messages
        </label>
      </figcaption>
    </figure>
  );
}
