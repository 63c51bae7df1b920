import { outputsDigest, TRACE_VERSION, type EmittedEvent, type NodeId, type TraceBoot, type TraceCoreConfig, type TraceHeader, type TraceInput } from '@clusterlab/shared';
import type { CoreInput, CoreOutput } from '../node/core/types';

/**
 * What the simulator records of a run for its trace file (shared/src/trace.ts): each core's
 * boot and every input it was stepped with, in order, with a digest of what it answered —
 * the same lines a real node writes, so a simulated run replays and forks the same way.
 */
export class SimTraceRecorder {
  private readonly lines: (TraceBoot | TraceInput)[] = [];
  /** Per node and boot (`n2/3`), the next step's number. */
  private readonly steps = new Map<string, number>();

  boot(node: NodeId, boot: string, at: number, config: TraceCoreConfig, restored: unknown): void {
    this.steps.set(`${node}/${boot}`, 0);
    this.lines.push({ type: 'boot', node, boot, at, config: copy(config), restored: restored === undefined ? null : copy(restored) });
  }

  /** Call before the step (the core may change what it is given); `done` after it, with its outputs. */
  input(node: NodeId, boot: string, input: CoreInput, cause: string | undefined, lamport: number): (outputs: readonly CoreOutput[]) => void {
    const recorded = copy(input) as TraceInput['input'];
    return (outputs) => {
      const step = this.steps.get(`${node}/${boot}`) ?? 0;
      this.steps.set(`${node}/${boot}`, step + 1);
      this.lines.push({ type: 'input', node, boot, step, lamport, input: recorded, ...(cause === undefined ? {} : { cause }), out: outputsDigest(outputs) });
    };
  }

  /** The whole trace, as the file holds it. */
  toNdjson(header: Omit<TraceHeader, 'type' | 'version'>, events: readonly EmittedEvent[]): string {
    const out = [JSON.stringify({ type: 'trace', version: TRACE_VERSION, ...header })];
    for (const line of this.lines) out.push(JSON.stringify(line));
    events.forEach((event, i) => out.push(JSON.stringify({ type: 'event', event: { seq: i + 1, ...event } })));
    return `${out.join('\n')}\n`;
  }
}

/** What JSON keeps of a value: what the file will hold, and what a replay is given. */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
