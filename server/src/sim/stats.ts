import type { EventBody, FaultFamily, NodeId } from '@clusterlab/shared';

/** Counters for the summary: what happened in a run, by kind, without keeping every event. */
export class SimStats {
  sent = 0;
  delivered = 0;
  dropped = 0;
  duplicated = 0;
  events = 0;
  electionsStarted = 0;
  /** Every leader.elected: a won election. */
  readonly leaders: { atMs: number; node: NodeId; term: number }[] = [];
  steppedDown = 0;
  snapshotsSent = 0;
  /** Entries a node dropped to take a leader's snapshot: where acknowledged writes go to die. */
  readonly truncations: { atMs: number; node: NodeId; fromIndex: number; toIndex: number; leader: NodeId | null }[] = [];
  registryExpiries = 0;
  readonly faults = new Map<FaultFamily, number>();
  quietFromMs: number | null = null;

  event(node: string, e: EventBody, now: number): void {
    this.events++;
    switch (e.kind) {
      case 'election.started':
        this.electionsStarted++;
        break;
      case 'leader.elected':
        this.leaders.push({ atMs: now, node, term: e.data.term });
        break;
      case 'leader.stepped_down':
        this.steppedDown++;
        break;
      case 'replication.sync_sent':
        if (e.data.mode === 'snapshot') this.snapshotsSent++;
        break;
      case 'replication.truncated':
        this.truncations.push({ atMs: now, node, fromIndex: e.data.fromIndex, toIndex: e.data.toIndex, leader: null });
        break;
      case 'replication.synced': {
        // The snapshot that caused a truncation is announced right after it: note whose it was.
        const last = this.truncations.at(-1);
        if (e.data.mode === 'snapshot' && last && last.node === node && last.atMs === now && last.leader === null) last.leader = e.data.leader;
        break;
      }
      case 'registry.expired':
        this.registryExpiries++;
        break;
      default:
        break;
    }
  }

  faultApplied(family: FaultFamily): void {
    this.faults.set(family, (this.faults.get(family) ?? 0) + 1);
  }
}
