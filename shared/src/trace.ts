import { z } from 'zod';
import { EmittedEvent } from './events';
import { AlgorithmId, ClusterSettings } from './settings';

/**
 * A recorded run: one file, NDJSON, the same for a real cluster and for the simulator.
 *
 *   line 1      {"type":"trace","version":1,…}               what ran: algorithm, settings, when
 *   boot        {"type":"boot","node":"n2","boot":"…",…}     a node's core was created: its config and what its disk held
 *   input       {"type":"input","node":"n2","boot":"…","step":0,"lamport":41,"input":{…},"out":"9f3a…"}
 *                                                            one input to that core, in order, and a digest of its outputs
 *   truncated   {"type":"truncated","node":"n2","boot":"…","step":N,…}
 *                                                            that core's recording stopped at its bound
 *   event       {"type":"event","event":{seq,node,time,lamport,kind,data,…}}
 *
 * Because a core is pure, a boot line and its inputs are enough to re-create the core and
 * every step of it: re-running the inputs must give outputs with the recorded digests
 * (exact replay), and from any step the state is there to continue from (fork). The events
 * are what the dashboard shows of the run. Lines of different nodes may interleave; a node's
 * inputs are in step order.
 */

export const TRACE_VERSION = 1;

const nodeId = z.string().regex(/^n\d{1,2}$/, 'a node id like n2');
const bootId = z.string().min(1).max(64);

export const TraceHeader = z.object({
  type: z.literal('trace'),
  version: z.literal(TRACE_VERSION),
  /** `r3` for the third cluster a supervisor ran; `sim-26` for the simulator's seed 26. */
  run: z.string().min(1).max(64),
  source: z.enum(['real', 'sim']),
  algorithm: AlgorithmId,
  settings: ClusterSettings,
  nodes: z.number().int().positive(),
  /** Wall ms (the simulator: virtual ms, from 0). */
  startedAt: z.number(),
  /** The simulator's seed: `npm run sim -- --seed N` replays it. */
  seed: z.number().int().optional(),
  /** What a bound kept out of the recording, in sentences (a node's own cut is its `truncated` line). */
  truncated: z.array(z.string()).optional(),
});
export type TraceHeader = z.infer<typeof TraceHeader>;

/** What the algorithm's `create` took: enough to create the same core again. */
export const TraceCoreConfig = z.object({
  id: nodeId,
  settings: ClusterSettings,
  seed: z.number().int(),
  initialVoters: z.array(nodeId),
  snapshotChunkBytes: z.number().int().positive().optional(),
});
export type TraceCoreConfig = z.infer<typeof TraceCoreConfig>;

export const TraceBoot = z.object({
  type: z.literal('boot'),
  node: nodeId,
  /**
   * Which process of the node (a restarted node is a new boot): its message ids are
   * `<node>-<boot>-<n>`, so a message.sent names the boot that sent it.
   */
  boot: bootId,
  at: z.number(),
  config: TraceCoreConfig,
  /** The node's disk as the core was created from it (the algorithm's own shape); null for an empty one. */
  restored: z.unknown(),
});
export type TraceBoot = z.infer<typeof TraceBoot>;

/** A core input (server/src/node/core/types.ts CoreInput): checked here for its shape, by the algorithm for its messages. */
export const TraceCoreInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), now: z.number() }),
  z.object({ type: z.literal('tick'), now: z.number() }),
  z.object({ type: z.literal('message'), now: z.number(), from: nodeId, msg: z.unknown() }),
  z.object({ type: z.literal('undeliverable'), now: z.number(), to: nodeId, msg: z.unknown() }),
  z.object({ type: z.literal('peers'), now: z.number(), peers: z.array(nodeId) }),
  z.object({ type: z.literal('client'), now: z.number(), requestId: z.number().int(), request: z.object({ type: z.string() }).passthrough() }),
  z.object({ type: z.literal('durable'), now: z.number(), position: z.object({ index: z.number().int(), term: z.number().int() }) }),
]);
export type TraceCoreInput = z.infer<typeof TraceCoreInput>;

export const TraceInput = z.object({
  type: z.literal('input'),
  node: nodeId,
  boot: bootId,
  /** 0, 1, 2… per boot. */
  step: z.number().int().nonnegative(),
  input: TraceCoreInput,
  /** The id of the peer message this input is, as its events name it (`cause`). */
  cause: z.string().max(128).optional(),
  /**
   * The node's Lamport time as the step began: its events up to this time came before the
   * step, the ones it caused come after. So the core as it was at any event is known.
   */
  lamport: z.number().int().nonnegative(),
  /** outputsDigest() of what the core answered. */
  out: z.string().regex(/^[0-9a-f]{8}$/),
});
export type TraceInput = z.infer<typeof TraceInput>;

export const TraceTruncated = z.object({
  type: z.literal('truncated'),
  node: nodeId,
  boot: bootId,
  /** The first step not recorded. */
  step: z.number().int().nonnegative(),
  reason: z.string(),
});
export type TraceTruncated = z.infer<typeof TraceTruncated>;

export const TraceEvent = z.object({
  type: z.literal('event'),
  event: z.intersection(z.object({ seq: z.number().int().positive() }), EmittedEvent),
});
export type TraceEvent = z.infer<typeof TraceEvent>;

export const TraceLine = z.discriminatedUnion('type', [TraceHeader, TraceBoot, TraceInput, TraceTruncated, TraceEvent]);
export type TraceLine = z.infer<typeof TraceLine>;

/** A trace, read: its header, each boot with its inputs in step order, and the events in seq order. */
export type Trace = {
  header: TraceHeader;
  boots: TraceBootRecord[];
  events: TraceEvent['event'][];
};
export type TraceBootRecord = { boot: TraceBoot; inputs: TraceInput[]; truncated: TraceTruncated | null };

export class TraceFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/**
 * Reads a trace file, loudly: the first line that is not JSON, not a trace line, out of order
 * or about a boot never introduced is named, with why.
 */
export function parseTrace(text: string): Trace {
  const lines = text.split('\n');
  let header: TraceHeader | null = null;
  const boots = new Map<string, TraceBootRecord>();
  const events: TraceEvent['event'][] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const n = i + 1;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new TraceFormatError(n, `not JSON (${(err as Error).message})`);
    }
    const parsed = TraceLine.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TraceFormatError(n, `not a trace line: ${issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'does not match'}`);
    }
    const line = parsed.data;
    if (header === null && line.type !== 'trace') throw new TraceFormatError(n, 'a trace starts with its header line ({"type":"trace","version":1,…})');
    switch (line.type) {
      case 'trace':
        if (header !== null) throw new TraceFormatError(n, 'a second header line');
        header = line;
        break;
      case 'boot':
        if (boots.has(bootKey(line.node, line.boot))) throw new TraceFormatError(n, `boot ${line.boot} of ${line.node} appears twice`);
        boots.set(bootKey(line.node, line.boot), { boot: line, inputs: [], truncated: null });
        break;
      case 'input': {
        const b = bootOf(boots, line.boot, line.node, n);
        if (b.truncated) throw new TraceFormatError(n, `${line.node} has an input after its recording was truncated`);
        if (line.step !== b.inputs.length) throw new TraceFormatError(n, `${line.node}'s step ${line.step} where step ${b.inputs.length} was next`);
        b.inputs.push(line);
        break;
      }
      case 'truncated':
        bootOf(boots, line.boot, line.node, n).truncated = line;
        break;
      case 'event': {
        const last = events[events.length - 1];
        if (last && line.event.seq <= last.seq) throw new TraceFormatError(n, `event #${line.event.seq} after #${last.seq}: events are in sequence order`);
        events.push(line.event);
        break;
      }
    }
  }
  if (header === null) throw new TraceFormatError(1, 'empty: a trace starts with its header line');
  return { header, boots: [...boots.values()], events };
}

function bootOf(boots: Map<string, TraceBootRecord>, boot: string, node: string, line: number): TraceBootRecord {
  const b = boots.get(bootKey(node, boot));
  if (!b) throw new TraceFormatError(line, `${node}'s boot ${boot} has no boot line before it`);
  return b;
}

function bootKey(node: string, boot: string): string {
  return `${node}/${boot}`;
}

/**
 * A short digest of a step's outputs (FNV-1a over their JSON), to tell a replayed step from
 * the recorded one without recording every output in full. Two different output lists can
 * collide (1 in 4 billion); a real divergence shows in the steps after it too.
 */
export function outputsDigest(outputs: unknown): string {
  const text = JSON.stringify(outputs) ?? '';
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
