import type { ActiveFault, FaultId, LastingFault } from '@clusterlab/shared';

/**
 * The lasting faults in force, in the order they were applied: what the link rules and clock
 * offsets are read from. Healing is idempotent: healing an id no longer in force heals nothing.
 */
export class ActiveFaults {
  private faults: ActiveFault[] = [];

  list(): readonly ActiveFault[] {
    return this.faults;
  }

  apply(id: FaultId, fault: LastingFault): void {
    if (this.faults.some((f) => f.id === id)) throw new Error(`a fault with id ${id} is already in force`);
    this.faults = [...this.faults, { id, fault }];
  }

  /** Ends the fault with this id, or every one; returns what it ended. */
  heal(target: FaultId | 'all'): ActiveFault[] {
    const healed = target === 'all' ? this.faults : this.faults.filter((f) => f.id === target);
    if (healed.length > 0) this.faults = target === 'all' ? [] : this.faults.filter((f) => f.id !== target);
    return healed;
  }
}
