import { useMemo, useState, type DragEvent } from 'react';
import type { LastingFault } from '@clusterlab/shared';
import { describeFault } from '@clusterlab/shared/fault-sentences';
import { applyFaults } from '../api/actions';
import { useApp } from '../stores/hooks';

const SIDES = ['A', 'B', 'C'] as const;
type Side = (typeof SIDES)[number] | 'none';

/**
 * Build a partition by hand: drag the nodes (and the registry) into sides, or pick each one's
 * side from its menu (the keyboard way); the sentence previews what applying will cut.
 */
export function PartitionBuilder() {
  const nodeIds = useApp((s) => s.cluster.nodeIds);
  const busy = useApp((s) => s.ui.busy.faults !== undefined);
  const [sides, setSides] = useState<Record<string, Side>>({});
  const parties = useMemo(() => [...nodeIds, 'registry'], [nodeIds]);
  const sideOf = (p: string): Side => sides[p] ?? 'none';
  const groups = SIDES.map((s) => parties.filter((p) => sideOf(p) === s)).filter((g) => g.length > 0);
  const fault: LastingFault | null = groups.length >= 2 ? { kind: 'partition', groups } : null;
  const move = (p: string, side: Side) => setSides((prev) => ({ ...prev, [p]: side }));

  const onDrop = (side: Side) => (e: DragEvent) => {
    e.preventDefault();
    const p = e.dataTransfer.getData('text/plain');
    if (parties.includes(p)) move(p, side);
  };

  return (
    <div className="partition" role="group" aria-labelledby="partition-heading">
      <h3 id="partition-heading" className="faults__subhead">
        Build a partition
      </h3>
      <div className="partition__zones">
        {(['none', ...SIDES] as const).map((side) => (
          <div key={side} className="partition__zone" data-side={side} style={{ minHeight: 20 + parties.length * 23 }} onDragOver={(e) => e.preventDefault()} onDrop={onDrop(side)}>
            <span className="partition__zone-name">{side === 'none' ? 'In no group' : `Side ${side}`}</span>
            {parties
              .filter((p) => sideOf(p) === side)
              .map((p) => (
                <span key={p} className="partition__chip" draggable onDragStart={(e) => e.dataTransfer.setData('text/plain', p)}>
                  {p}
                  <select aria-label={`Side of ${p}`} value={sideOf(p)} onChange={(e) => move(p, e.target.value as Side)}>
                    <option value="none">–</option>
                    {SIDES.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                </span>
              ))}
          </div>
        ))}
      </div>
      <div className="partition__apply">
        <button type="button" className="btn btn--small" disabled={!fault || busy} onClick={() => fault && void applyFaults('Apply partition', [fault])}>
          Apply partition
        </button>
        <span className="faults__explains">{fault ? describeFault(fault) : 'Put parties in at least two sides: links between sides are cut both ways.'}</span>
      </div>
    </div>
  );
}
