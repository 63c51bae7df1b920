import { z } from 'zod';
import { NODE_ID_PATTERN } from './ids';

/**
 * Faults are data. One schema for the simulator's schedules, the dashboard's fault buttons and
 * the scenario tests, so a schedule written once (or generated from a seed) means the same
 * thing everywhere. Every fault that breaks something has an explicit counterpart that mends
 * it, and a schedule says both:
 *
 *   partition ↔ heal · crash ↔ restart · pause ↔ resume ·
 *   drop {rate} ↔ drop {rate: 0} · duplicate {rate} ↔ duplicate {rate: 0} ·
 *   delay {extraMs, jitterMs} ↔ delay {extraMs: 0, jitterMs: 0}
 */

const nodeId = z.string().regex(NODE_ID_PATTERN, 'a node id is n1..n99');

/** Who a partition can separate: nodes, clients (`c1`, `c2`, …) and the registry. */
export const REGISTRY_PARTY = 'registry';
const CLIENT_ID_PATTERN = /^c[1-9][0-9]*$/;
const party = z
  .string()
  .refine((p) => NODE_ID_PATTERN.test(p) || CLIENT_ID_PATTERN.test(p) || p === REGISTRY_PARTY, {
    message: 'a partition groups node ids (n1..n99), client ids (c1, c2, …) and "registry"',
  });

const rate = z.number().min(0).max(1);
const ms = z.number().int().min(0).max(600_000);

export const Fault = z.discriminatedUnion('kind', [
  /**
   * Only parties in the same group can talk. Nodes named in no group form one more group
   * together ("everyone else"); clients and the registry named in no group reach every node,
   * as they do on one machine's loopback.
   */
  z.object({
    kind: z.literal('partition'),
    groups: z
      .array(z.array(party).min(1))
      .min(1)
      .refine((groups) => new Set(groups.flat()).size === groups.flat().length, {
        message: 'a party may appear in only one group',
      }),
  }),
  /** Ends the partition: every link works again. */
  z.object({ kind: z.literal('heal') }),
  /** The process dies: it keeps only what it persisted. */
  z.object({ kind: z.literal('crash'), node: nodeId }),
  z.object({ kind: z.literal('restart'), node: nodeId }),
  /** SIGSTOP: the process keeps its memory but runs nothing; messages to it wait in its socket buffer. */
  z.object({ kind: z.literal('pause'), node: nodeId }),
  z.object({ kind: z.literal('resume'), node: nodeId }),
  /** Each peer message is lost with this probability (0 mends it). */
  z.object({ kind: z.literal('drop'), rate }),
  /** Each peer message is delivered twice with this probability (0 mends it). */
  z.object({ kind: z.literal('duplicate'), rate }),
  /** Every message takes extraMs more, plus up to jitterMs at random, so messages also overtake each other (0, 0 mends it). */
  z.object({ kind: z.literal('delay'), extraMs: ms, jitterMs: ms }),
]);
export type Fault = z.infer<typeof Fault>;
export type FaultKind = Fault['kind'];

/** A fault and the time it strikes, in ms since the run started. */
export const TimedFault = z.object({ at: z.number().nonnegative(), fault: Fault });
export type TimedFault = z.infer<typeof TimedFault>;

/** A schedule: applied in time order (faults at the same time in the order given). */
export const FaultSchedule = z.array(TimedFault).max(100_000);
export type FaultSchedule = z.infer<typeof FaultSchedule>;

/** A schedule file: a bare array, or an object with `faults` (and room for a comment). */
export const FaultScheduleFile = z.union([FaultSchedule, z.object({ description: z.string().optional(), faults: FaultSchedule })]);

/** The families a random schedule can draw from, each a fault and its mend. */
export const FAULT_FAMILIES = ['partitions', 'crashes', 'pauses', 'drops', 'delays', 'duplicates'] as const;
export const FaultFamily = z.enum(FAULT_FAMILIES);
export type FaultFamily = z.infer<typeof FaultFamily>;

/** The family a fault belongs to (its mend belongs to the same one). */
export function faultFamily(fault: Fault): FaultFamily {
  switch (fault.kind) {
    case 'partition':
    case 'heal':
      return 'partitions';
    case 'crash':
    case 'restart':
      return 'crashes';
    case 'pause':
    case 'resume':
      return 'pauses';
    case 'drop':
      return 'drops';
    case 'duplicate':
      return 'duplicates';
    case 'delay':
      return 'delays';
    default: {
      const never: never = fault;
      throw new Error(`unknown fault ${JSON.stringify(never)}`);
    }
  }
}

/** Does this fault mend something rather than break it? */
export function isMend(fault: Fault): boolean {
  switch (fault.kind) {
    case 'heal':
    case 'restart':
    case 'resume':
      return true;
    case 'drop':
    case 'duplicate':
      return fault.rate === 0;
    case 'delay':
      return fault.extraMs === 0 && fault.jitterMs === 0;
    default:
      return false;
  }
}

/** One line for a learner: "partition n1 | n2 n3", "crash n2", "drop 10% of peer messages". */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'partition':
      return `partition ${fault.groups.map((g) => g.join(' ')).join(' | ')}`;
    case 'heal':
      return 'heal the partition';
    case 'crash':
    case 'restart':
    case 'pause':
    case 'resume':
      return `${fault.kind} ${fault.node}`;
    case 'drop':
      return fault.rate === 0 ? 'stop dropping messages' : `drop ${percent(fault.rate)} of peer messages`;
    case 'duplicate':
      return fault.rate === 0 ? 'stop duplicating messages' : `duplicate ${percent(fault.rate)} of peer messages`;
    case 'delay':
      return fault.extraMs === 0 && fault.jitterMs === 0
        ? 'back to normal latency'
        : `delay messages by ${fault.extraMs} ms + up to ${fault.jitterMs} ms`;
    default: {
      const never: never = fault;
      throw new Error(`unknown fault ${JSON.stringify(never)}`);
    }
  }
}

function percent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
