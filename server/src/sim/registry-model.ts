import { nodeRank, type EventBody, type NodeId, type ProcessAction } from '@clusterlab/shared';
import { RegistryTable } from '../registry/registry-table';

/**
 * The registry, in virtual time: the real registry's table (server/src/registry) with the
 * real one's habits — every registration first sweeps out the expired, and a sweep also runs
 * on a timer — so nodes find each other and forget the silent exactly as they do for real.
 *
 * Reachability: the registry sits on every node's loopback, so every node reaches it unless
 * a fault names "registry": a partition that puts it in a group, or a cut, loss or delay on
 * its links. A node that
 * cannot reach it stops refreshing its entry and, after the TTL, disappears from everyone
 * else's peer list (while it keeps the last list it had).
 *
 * Its process can be killed, stopped, paused, resumed and restarted, as the supervisor's can.
 * Down or paused, it answers nobody, so every node keeps the last list it had; it keeps its
 * table only in memory, so a killed, stopped or restarted one starts empty and is filled again
 * by the nodes' next heartbeats. A paused one keeps its table, and sweeps it on waking.
 */
export class RegistryModel {
  private table: RegistryTable;
  private state: 'running' | 'paused' | 'stopped' = 'running';
  /** How often the registry's own timer sweeps, as in registry/main.ts. */
  readonly sweepIntervalMs: number;

  constructor(
    ttlMs: number,
    private readonly emit: (event: EventBody) => void,
  ) {
    this.table = new RegistryTable(ttlMs);
    this.sweepIntervalMs = Math.min(250, Math.max(10, Math.floor(ttlMs / 4)));
  }

  /** A node's heartbeat: refresh it and answer with the live list (it included), in rank order; null: no answer comes. */
  register(id: NodeId, incarnation: number, now: number): NodeId[] | null {
    if (this.state !== 'running') return null;
    this.sweep(now);
    // A restarted process listens on a new port, as a real one binding port 0 would.
    const port = 10_000 + nodeRank(id) * 100 + (incarnation % 100);
    const outcome = this.table.register({ id, host: '127.0.0.1', port }, now);
    if (outcome.ok && outcome.announced) this.emit({ kind: 'registry.registered', data: { id, host: '127.0.0.1', port } });
    return this.table.list().map((e) => e.id);
  }

  /** A node leaving on SIGTERM, as DELETE /nodes/:id does. */
  leave(id: NodeId): void {
    if (this.state === 'running' && this.table.deregister(id)) this.emit({ kind: 'registry.deregistered', data: { id } });
  }

  sweep(now: number): void {
    if (this.state !== 'running') return;
    for (const { id, silentMs } of this.table.sweep(now)) this.emit({ kind: 'registry.expired', data: { id, silentMs } });
  }

  live(): NodeId[] {
    return this.table.list().map((e) => e.id);
  }

  /** What the supervisor's registry buttons do; one that makes no sense now throws, as the supervisor answers 409. */
  act(action: ProcessAction, ttlMs: number): void {
    switch (action) {
      case 'kill':
      case 'stop':
        if (this.state === 'stopped') throw new Error(`cannot ${action} the registry: it is already stopped`);
        this.goDown(ttlMs);
        return;
      case 'pause':
        if (this.state !== 'running') throw new Error(`cannot pause the registry: it is ${this.state}`);
        this.state = 'paused';
        return;
      case 'resume':
        if (this.state !== 'paused') throw new Error(`cannot resume the registry: it is not paused (it is ${this.state})`);
        this.state = 'running';
        return;
      case 'restart':
        this.goDown(ttlMs);
        this.state = 'running';
        return;
    }
  }

  private goDown(ttlMs: number): void {
    this.state = 'stopped';
    this.table = new RegistryTable(ttlMs);
  }
}
