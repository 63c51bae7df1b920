import {
  describeFault,
  describeHeal,
  MAX_ACTIVE_FAULTS,
  type ActiveFault,
  type ClusterEvent,
  type EventBody,
  type FaultId,
  type FaultView,
  type LastingFault,
} from '@clusterlab/shared';
import { HttpError } from '../http/json-http';
import { ActiveFaults } from '../net/active-faults';

/**
 * The lasting faults in force on the real cluster, as the supervisor holds them: the one
 * ActiveFaults set (server/src/net), plus when each began. Every change is an event
 * (fault.network, fault.healed, with the fault as data) and goes out to every node whole
 * (`onChange`), so a node's link rules are always the supervisor's set, never a difference.
 * Ids are the kind and a counter (`partition-1`, `cut-2`), never reused within one supervisor.
 */
export type FaultStateOptions = {
  /** Emits an event from the supervisor and answers it as stamped (its seq). */
  emit(body: EventBody): ClusterEvent;
  /** The new set, after every change that changed something. */
  onChange(active: readonly ActiveFault[]): void;
};

export class FaultState {
  private readonly active = new ActiveFaults();
  private readonly began = new Map<FaultId, { since: number; sinceSeq: number }>();
  private readonly counters = new Map<string, number>();

  constructor(private readonly opts: FaultStateOptions) {}

  list(): readonly ActiveFault[] {
    return this.active.list();
  }

  views(): FaultView[] {
    return this.active.list().map((f) => this.view(f));
  }

  /** Puts a lasting fault in force under a fresh id; says so; hands the new set out. */
  apply(fault: LastingFault): FaultView {
    if (this.active.list().length >= MAX_ACTIVE_FAULTS) {
      throw new HttpError(409, `${MAX_ACTIVE_FAULTS} faults are in force already, the most there may be; heal some first`);
    }
    const id = this.nextId(fault.kind);
    this.active.apply(id, fault);
    const event = this.opts.emit({ kind: 'fault.network', data: { id, fault, description: describeFault(fault) } });
    this.began.set(id, { since: event.time, sinceSeq: event.seq });
    this.opts.onChange(this.active.list());
    return this.view({ id, fault });
  }

  /** Ends one fault, or every one; idempotent: what is not in force heals nothing and says nothing. */
  heal(target: FaultId | 'all'): ActiveFault[] {
    const healed = this.active.heal(target);
    if (healed.length === 0) return healed;
    for (const { id, fault } of healed) {
      this.began.delete(id);
      this.opts.emit({ kind: 'fault.healed', data: { id, fault, description: describeHeal(id, fault) } });
    }
    this.opts.onChange(this.active.list());
    return healed;
  }

  private nextId(kind: string): FaultId {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${kind}-${n}`;
  }

  private view({ id, fault }: ActiveFault): FaultView {
    const began = this.began.get(id) ?? { since: Date.now(), sinceSeq: 0 };
    return { id, fault, description: describeFault(fault), ...began };
  }
}
