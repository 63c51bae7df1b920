import { LamportClock } from '@clusterlab/shared';

/**
 * The simulated processes' Lamport clocks, kept as the real ones are: each party (node,
 * registry, supervisor) ticks its own; the supervisor hears every event, so what it says
 * (a kill, a restart) comes after everything said before it; and a node's clock survives its
 * restarts — the real supervisor hands a new process its own time to start from.
 */
export class LamportClocks {
  private readonly clocks = new Map<string, LamportClock>();

  of(party: string): LamportClock {
    let clock = this.clocks.get(party);
    if (!clock) this.clocks.set(party, (clock = new LamportClock()));
    return clock;
  }

  /** A process starts: whatever it says comes after the supervisor started it. */
  spawned(party: string): void {
    this.of(party).witness(this.of(SUPERVISOR).now);
  }

  /** `party` says something: its time, which the supervisor has now heard. */
  stamp(party: string): number {
    if (party === SUPERVISOR) return this.of(SUPERVISOR).tick();
    const time = this.of(party).tick();
    this.of(SUPERVISOR).witness(time);
    return time;
  }
}

const SUPERVISOR = 'supervisor';
