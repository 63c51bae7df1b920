import type { EmittedEvent, MessageFamily, NodeId, NodeStatus, PeerMessage, Trace, TraceBootRecord, TraceEvent } from '@clusterlab/shared';
import { traceNodes } from '@clusterlab/shared';
import { algorithmFor } from '../node/algorithms';
import type { AnyAlgorithm, AnyCore, CoreInput, CoreOutput } from '../node/core/types';
import { replayBoot } from '../node/replay/replay-boot';

/** One node as it was at the fork point. */
export type NodeAtPoint = {
  id: NodeId;
  /** Its live core, or null: it had exited (or never started) by then. */
  core: AnyCore | null;
  /** Its disk: the boot's disk plus every record its replayed steps persisted. */
  disk: unknown;
  record: TraceBootRecord | null;
  /** Which boot of the node that is (1, 2…; a restart is a new one). */
  incarnation: number;
  /** Steps of its boot replayed to get here. */
  steps: number;
  /** The `now` of its last replayed input: a fork never tells it an earlier time. */
  lastNow: number;
  /** Its peers, as it last heard from the registry. */
  peers: NodeId[];
  /** A kill (or stop, or restart) was asked and the exit not yet seen: the fork says it exited. */
  exiting: boolean;
};

/** One replayed step, as the invariants are shown it: in Lamport order across the nodes. */
export type ReplayedStep = {
  node: NodeId;
  /** Which boot of the node (1, 2…): a restart is a new life. */
  incarnation: number;
  lamport: number;
  input: CoreInput;
  outputs: CoreOutput[];
  status: NodeStatus;
  /** The step began a new boot: the node had restarted from its disk. */
  restarted: boolean;
};

/** A message sent by the fork point and neither received nor lost by then. */
export type InFlight = { id: string; from: NodeId; to: NodeId; msg: PeerMessage; type: string; family: MessageFamily };

export type ForkPoint = {
  algorithm: AnyAlgorithm;
  /** The event the fork continues after, and its time. */
  seq: number;
  time: number;
  nodes: Map<NodeId, NodeAtPoint>;
  inFlight: InFlight[];
  /** Every replayed step of every boot up to the point, in Lamport order: the fork's invariants see the run from its start. */
  steps: ReplayedStep[];
  /** The recorded events up to the point (what the diagram shows before the fork). */
  events: TraceEvent['event'][];
};

/** Events the supervisor says about a node on its own clock, not the node's. */
const SAID_FOR_A_NODE = new Set(['node.spawned', 'node.exited', 'node.removed']);

/**
 * The cluster exactly as it was just after event `seq` of a recorded run: each node's core
 * re-created from its boot and re-run through the inputs it had taken by then (the inputs'
 * Lamport times say which), its disk, and the messages then in flight, with their payloads
 * (from the senders' replayed outputs; a message's k-th send output is its boot's k-th
 * message.sent). Pure: the trace is all it reads.
 */
export function forkPoint(trace: Trace, seq: number): ForkPoint {
  const at = trace.events.findIndex((e) => e.seq === seq);
  if (at < 0) throw new Error(`the trace has no event #${seq}`);
  const upTo = trace.events.slice(0, at + 1);
  const algorithm = algorithmFor(trace.header.algorithm);
  const nodes = new Map<NodeId, NodeAtPoint>();
  const sends: { id: string | null; from: NodeId; to: NodeId; msg: PeerMessage }[] = [];
  const steps: ReplayedStep[] = [];

  for (const [id, where] of whereEachNodeWas(trace, upTo)) {
    const { record, alive, exiting, taken, boots } = where;
    if (!record) {
      nodes.set(id, { id, core: null, disk: algorithm.emptyDisk(), record: null, incarnation: 1, steps: 0, lastNow: 0, peers: [], exiting: false });
      continue;
    }
    const live = boots.indexOf(record);
    // The boots before the live one ran to their end; their steps are history for the invariants.
    boots.slice(0, live).forEach((b, i) => replayCollecting(b, b.inputs.length, id, i + 1, steps));
    const { core, outputs } = replayCollecting(record, taken, id, live + 1, steps);
    // A copy: folding records changes the disk it is given, and the trace's must stay as recorded.
    let disk = record.boot.restored === null ? algorithm.emptyDisk() : structuredClone(record.boot.restored);
    let peers: NodeId[] = [];
    for (const input of record.inputs.slice(0, taken)) if (input.input.type === 'peers') peers = input.input.peers;
    const sentIds = trace.events.filter((e) => e.kind === 'message.sent' && e.node === id && e.data.id.startsWith(`${id}-${record.boot.boot}-`)).map((e) => (e.kind === 'message.sent' ? e.data.id : ''));
    let k = 0;
    for (const out of outputs) {
      if (out.type === 'persist') disk = algorithm.fold(disk, out.record);
      if (out.type === 'send') sends.push({ id: sentIds[k++] ?? null, from: id, to: out.to, msg: out.msg });
    }
    nodes.set(id, { id, core: alive ? core : null, disk, record, incarnation: live + 1, steps: taken, lastNow: record.inputs[taken - 1]?.input.now ?? 0, peers, exiting });
  }

  const settled = new Set<string>();
  for (const e of upTo) if (e.kind === 'message.received' || e.kind === 'message.lost') settled.add(e.data.id);
  const inFlight = sends
    .filter((s): s is typeof s & { id: string } => s.id !== null && !settled.has(s.id))
    .map((s) => ({ id: s.id, from: s.from, to: s.to, msg: s.msg, type: s.msg.type, family: algorithm.protocol.familyOf(s.msg) }));
  steps.sort((a, b) => a.lamport - b.lamport || Number(a.node.slice(1)) - Number(b.node.slice(1)));
  return { algorithm, seq, time: upTo[upTo.length - 1]!.time, nodes, inFlight, steps, events: upTo };
}

/** A moment the trace cannot re-create (a node's recording stopped before it). */
export class ForkPointError extends Error {}

/** Where one node's recording stood at a moment: its boot then, how many of its inputs it had taken, whether its process ran. */
export type NodeWhere = {
  record: TraceBootRecord | null;
  boots: TraceBootRecord[];
  taken: number;
  /** Its process ran, and no kill, stop or restart had been asked of it: a fork treats it as running. */
  alive: boolean;
  /** Such a request had been asked and its exit not yet seen: a fork says the exit first. */
  exiting: boolean;
};

/**
 * For each node of the trace, in rank order, where it was just after these events (a prefix
 * of the trace's events) — without replaying anything. Throws ForkPointError for a moment past
 * a node's cut recording: what it did then is not known, and a guess must not be shown.
 */
export function whereEachNodeWas(trace: Trace, upTo: readonly EmittedEvent[]): Map<NodeId, NodeWhere> {
  const ids = traceNodes(trace);
  const out = new Map<NodeId, NodeWhere>();
  for (const id of ids) {
    const state = processState(upTo, id);
    const alive = state === 'running';
    const lastLamport = upTo.reduce((l, e) => (e.node === id && !SAID_FOR_A_NODE.has(e.kind) ? Math.max(l, e.lamport) : l), 0);
    const boots = trace.boots.filter((b) => b.boot.node === id);
    const record = liveBoot(boots, lastLamport);
    const last = record?.inputs[record.inputs.length - 1];
    if (record?.truncated && alive && (last === undefined || last.lamport < lastLamport)) {
      throw new ForkPointError(`${id}'s recording stopped before this moment (${record.truncated.reason}); pick an earlier one`);
    }
    out.set(id, { record, boots, alive, exiting: state === 'exiting', taken: record ? record.inputs.filter((i) => i.lamport <= lastLamport).length : 0 });
  }
  return out;
}

/**
 * `id`'s process at the end of these events: running (started, and not exited since), exiting
 * (a kill, stop or restart was asked and the exit not yet seen), or gone.
 */
function processState(events: readonly EmittedEvent[], id: NodeId): 'running' | 'exiting' | 'gone' {
  let state: 'running' | 'exiting' | 'gone' = 'gone';
  for (const e of events) {
    if (e.kind === 'node.spawned' && e.data.id === id) state = 'running';
    else if ((e.kind === 'node.exited' || e.kind === 'node.removed') && e.data.id === id) state = 'gone';
    else if (state === 'running' && e.kind === 'fault.injected' && e.data.target === id && (e.data.action === 'kill' || e.data.action === 'stop' || e.data.action === 'restart')) state = 'exiting';
  }
  return state;
}

/** The boot that was running (or ran last) by Lamport time `lamport`: the last whose first step is not later. */
function liveBoot(boots: TraceBootRecord[], lamport: number): TraceBootRecord | null {
  let live: TraceBootRecord | null = null;
  for (const b of boots) if (b.inputs.length === 0 || b.inputs[0]!.lamport <= lamport) live = b;
  return live ?? boots[0] ?? null;
}

function replayCollecting(record: TraceBootRecord, upTo: number, node: NodeId, incarnation: number, history: ReplayedStep[]): { core: AnyCore; outputs: CoreOutput[] } {
  const outputs: CoreOutput[] = [];
  const replay = replayBoot(record, {
    upTo,
    onOutputs: (out, step, core) => {
      outputs.push(...out);
      const input = record.inputs[step]!;
      history.push({ node, incarnation, lamport: input.lamport, input: input.input as CoreInput, outputs: out, status: core.status(), restarted: step === 0 && incarnation > 1 });
    },
  });
  if (replay.mismatch) throw new Error(`${record.boot.node}'s step ${replay.mismatch.step} does not replay as recorded: the trace cannot be forked there`);
  return { core: replay.core, outputs };
}
