import { ActiveFault, MAX_ACTIVE_FAULTS, type NodeId, type Party } from '@clusterlab/shared';
import { z } from 'zod';
import { clockOffsetMs } from '../../net/clock-offset';
import { linkRules, type LinkRules } from '../../net/link-rules';

/**
 * The lasting faults in force, as one node holds them: the whole set the supervisor last sent
 * (in the environment at spawn, then over IPC on every change), and what they mean for this
 * node's links — read through the one pure definition in server/src/net, as the simulator's
 * network reads it — and for its clock.
 */
export class LinkFaults {
  private active: readonly ActiveFault[] = [];

  constructor(
    readonly self: NodeId,
    active: readonly ActiveFault[] = [],
  ) {
    this.active = active;
  }

  set(active: readonly ActiveFault[]): void {
    this.active = active;
  }

  list(): readonly ActiveFault[] {
    return this.active;
  }

  /** What this node sends to `to`. */
  to(to: Party): LinkRules {
    return linkRules(this.active, this.self, to);
  }

  /** What `from` sends to this node. */
  from(from: Party): LinkRules {
    return linkRules(this.active, from, this.self);
  }

  /** How far this node's clock reads from true time (ms, ahead when positive). */
  clockOffsetMs(): number {
    return clockOffsetMs(this.active, this.self);
  }
}

const ActiveFaults = z.array(ActiveFault).max(MAX_ACTIVE_FAULTS);

/** The faults a supervisor handed over at spawn (FAULTS_ENV); none, with a warning, if they do not parse. */
export function parseActiveFaults(raw: string | undefined, warn: (line: string) => void): ActiveFault[] {
  if (raw === undefined || raw === '') return [];
  try {
    const parsed = ActiveFaults.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
    warn(`ignoring the faults handed over at start: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  } catch (err) {
    warn(`ignoring the faults handed over at start: ${(err as Error).message}`);
  }
  return [];
}
