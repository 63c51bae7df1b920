import type { ActiveFault, NodeId } from '@clusterlab/shared';

/**
 * How far a node's clock is off true time, in ms (ahead when positive): the sum of the clock
 * faults in force on it. A host adds it to the `now` it hands that node's core and nothing
 * else — events and histories keep true time, so what a skewed node did can still be put in
 * order against everyone else.
 */
export function clockOffsetMs(active: readonly ActiveFault[], node: NodeId): number {
  let offset = 0;
  for (const { fault } of active) if (fault.kind === 'clock' && fault.node === node) offset += fault.offsetMs;
  return offset;
}
