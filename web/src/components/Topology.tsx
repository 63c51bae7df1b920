import { useMemo } from 'react';
import type { NodeRole, ProcessStatus } from '@clusterlab/shared';
import { applyFaults, healFaults } from '../api/actions';
import { affectedLinks, nextLinkEdit } from '../lib/faults';
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
  const faults = useApp((s) => s.faults.list);
  const faultLinks = useMemo(() => affectedLinks(faults, dots.map((d) => d.id)), [faults, dots]);
  const listedSet = useMemo(() => new Set(listed.split(',').filter(Boolean)), [listed]);
  const leader = dots.find((d) => d.role === 'leader' && d.status === 'running');

  const description = leader
    ? `${leader.id} leads ${dots.filter((d) => d.role === 'follower' && d.leader === leader.id).map((d) => d.id).join(', ') || 'no followers'}`
    : 'no leader';
  // The picture is one image to assistive technology: its name says which links are cut or slowed.
  const faultNote = faultLinks.length > 0 ? `; ${faultLinks.map((l) => l.title).join('; ')}` : '';
  const at = (party: string): Point => positions.get(party) ?? { x: CENTER, y: CENTER };

  return (
    <figure className="panel topology">
      <div className="topology__canvas">
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label={`Cluster topology: ${description}${faultNote}`}>
        <defs>
          <marker id="fault-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="fault-arrow" />
          </marker>
        </defs>
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
        {faultLinks.length > 0 && (
          <g className="fault-links">
            {faultLinks.map((l) => {
              const a = at(l.cutFrom ?? l.a);
              const b = at(l.cutTo ?? l.b);
              // Stop short of the far end's circle (or the registry box), so a one-way arrow shows.
              const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
              const endGap = (l.cutTo ?? l.b) === 'registry' ? 22 : NODE_R + 3;
              const x2 = b.x - ((b.x - a.x) / len) * endGap;
              const y2 = b.y - ((b.y - a.y) / len) * endGap;
              return (
                <g key={`f-${l.a}-${l.b}`} data-link={`${l.a}-${l.b}`} data-state={l.state}>
                  <title>{l.title}</title>
                  <line x1={a.x} y1={a.y} x2={l.state === 'cut-one-way' ? x2 : b.x} y2={l.state === 'cut-one-way' ? y2 : b.y}
                    className={`link link--fault-${l.state}`} markerEnd={l.state === 'cut-one-way' ? 'url(#fault-arrow)' : undefined} />
                </g>
              );
            })}
          </g>
        )}
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
      <LinkEditor dots={dots} at={at} />
      </div>
      <figcaption className="topology__legend">
        <span><i className="dot dot--heartbeat" /> heartbeat</span>
        <span><i className="dot dot--election" /> election</span>
        <span><i className="dot dot--victory" /> victory</span>
        <span><i className="dot dot--replication" /> replication</span>
        <span><i className="dot dot--other" /> other</span>
        <span><i className="swatch" /> cut</span>
        <span><i className="swatch swatch--slow" /> slowed</span>
        <label className="topology__toggle">
          <input type="checkbox" checked={animate} onChange={(e) => setAnimateMessages(e.target.checked)} />
          Animate messages
        </label>
      </figcaption>
    </figure>
  );
}

/**
 * Over the drawing, one invisible, clickable (and focusable) target per link: each press moves
 * it on from working → cut one way → cut both ways → working. A link a partition cuts says so.
 */
function LinkEditor({ dots, at }: { dots: readonly Dot[]; at: (party: string) => Point }) {
  const faults = useApp((s) => s.faults.list);
  const busy = useApp((s) => s.ui.busy.faults !== undefined);
  const parties = [...dots.map((d) => d.id), 'registry'];
  const pairs: [string, string][] = [];
  for (let i = 0; i < parties.length; i++) for (let j = i + 1; j < parties.length; j++) pairs.push([parties[i]!, parties[j]!]);
  const press = (a: string, b: string) => {
    if (busy) return;
    const edit = nextLinkEdit(faults, a, b);
    if (edit.kind === 'cut') void applyFaults(`Cut ${edit.fault.kind === 'cut' ? `${edit.fault.from} → ${edit.fault.to}` : ''}`, [edit.fault]);
    else if (edit.kind === 'heal') void healFaults(`Heal ${a} ↔ ${b}`, edit.ids);
  };
  return (
    <svg viewBox={`0 0 ${SIZE} ${SIZE}`} className="topology__editor" role="group" aria-label="Link editor: press a link to cut it one way, then both ways, then heal it">
      {pairs.map(([a, b]) => {
        // Stop short of each end, so the targets of links meeting at a node do not overlap there.
        const [p, q] = trim(at(a), at(b), a === 'registry' ? 24 : NODE_R + 2, b === 'registry' ? 24 : NODE_R + 2);
        const edit = nextLinkEdit(faults, a, b);
        const label = `Link ${a}–${b}: ${edit.label}`;
        return (
          <line key={`${a}-${b}`} x1={p.x} y1={p.y} x2={q.x} y2={q.y} className="link-hit" role="button" tabIndex={0}
            aria-label={label} aria-disabled={busy || edit.kind === 'blocked'} data-edit={`${a}-${b}`}
            onClick={() => press(a, b)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                press(a, b);
              }
            }}>
            <title>{label}</title>
          </line>
        );
      })}
    </svg>
  );
}

function trim(a: Point, b: Point, gapA: number, gapB: number): [Point, Point] {
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const ux = (b.x - a.x) / len;
  const uy = (b.y - a.y) / len;
  return [
    { x: a.x + ux * gapA, y: a.y + uy * gapA },
    { x: b.x - ux * gapB, y: b.y - uy * gapB },
  ];
}
