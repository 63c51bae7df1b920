import type { WorkloadMix } from '@clusterlab/shared';
import type { RecordedOp, RunClientWork } from './client-work';
import type { OpCall, OpResult } from './send-op';

/**
 * A client of a registers workload: each op a read, write, delete or compare-and-set of one of
 * the run's keys, by the mix's weights. Every write's value is unique (`c3-17`). A cas writes
 * only if the key is still at the version this client last saw it at (If-Match), and is recorded
 * as a cas expecting the value it saw then; a key it has not seen yet is read first.
 */
export class RegisterClient implements RunClientWork {
  private writes = 0;
  private call: OpCall | null = null;
  /** What this client last saw of each key: the value and its version (0: absent). */
  private readonly seen = new Map<string, { value: string | null; version: number }>();

  constructor(
    private readonly client: string,
    private readonly keys: readonly string[],
    private readonly mix: WorkloadMix,
    private readonly draw: () => number,
  ) {}

  next(): { call: OpCall; ops: RecordedOp[]; latency: 'read' | 'write' } {
    const { read, write, delete: deletes, cas } = this.mix;
    const key = this.keys[Math.floor(this.draw() * this.keys.length)]!;
    const roll = this.draw() * (read + write + deletes + cas);
    const last = this.seen.get(key);
    const call: OpCall =
      roll < read
        ? { kind: 'read', key, value: null }
        : roll < read + write
          ? { kind: 'write', key, value: `${this.client}-${++this.writes}` }
          : roll < read + write + deletes
            ? { kind: 'delete', key, value: null }
            : last
              ? { kind: 'cas', key, value: `${this.client}-${++this.writes}`, expected: last.value, version: last.version }
              : { kind: 'read', key, value: null }; // a key not seen yet has no version to compare with
    this.call = call;
    return { call, ops: [{ kind: call.kind, key, value: call.value, expected: call.expected }], latency: call.kind === 'read' ? 'read' : 'write' };
  }

  settle(result: OpResult): { outcome: OpResult['outcome']; value?: string | null }[] {
    const call = this.call!;
    if (result.version !== undefined) this.seen.set(call.key, { value: call.kind === 'read' ? (result.value ?? null) : call.kind === 'delete' ? null : call.value, version: result.version });
    else if (call.kind !== 'read') this.seen.delete(call.key); // what the key holds now is not known: read it before the next cas
    return [{ outcome: result.outcome, value: result.value }];
  }
}
