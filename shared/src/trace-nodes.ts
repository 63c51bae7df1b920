import { compareNodeIds, type NodeId } from './ids';
import type { Trace } from './trace';

/** Every node a trace recorded, in rank order (zod-free, for the page as much as the server). */
export function traceNodes(trace: Pick<Trace, 'boots'>): NodeId[] {
  return [...new Set(trace.boots.map((b) => b.boot.node))].sort(compareNodeIds);
}
