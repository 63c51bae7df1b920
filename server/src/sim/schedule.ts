import {
  FaultSchedule,
  FaultScheduleFile,
  REGISTRY_PARTY,
  type Fault,
  type FaultFamily,
  type NodeId,
  type TimedFault,
} from '@clusterlab/shared';
import type { Rng } from '@clusterlab/shared';

/**
 * Fault schedules: drawn at random from a seed, or read from a JSON file.
 *
 * A random schedule is one independent timeline per chosen family: quiet gaps and episodes
 * alternate, and every episode ends with its mend (heal, restart, resume, rate 0) before the
 * fault window closes — so by the end of the window the cluster is whole again and the quiet
 * period can ask whether it converged.
 */
export type ScheduleShape = {
  nodes: readonly NodeId[];
  clients: readonly string[];
  families: readonly FaultFamily[];
  /** Faults strike in [fromMs, toMs); every episode is mended by toMs. */
  fromMs: number;
  toMs: number;
};

/** Episode lengths and gaps, in ms: long enough for an election to happen inside, short enough for several per run. */
const EPISODE_MIN_MS = 200;
const EPISODE_MAX_MS = 3000;
const GAP_MEAN_MS = 1500;

export function randomSchedule(rng: Rng, shape: ScheduleShape): FaultSchedule {
  const out: TimedFault[] = [];
  for (const family of shape.families) {
    for (let timeline = 0; timeline < timelines(family, shape.nodes.length); timeline++) {
      let t = shape.fromMs + Math.round(rng.exponential(GAP_MEAN_MS));
      while (t < shape.toMs - EPISODE_MIN_MS) {
        const end = Math.min(t + rng.between(EPISODE_MIN_MS, EPISODE_MAX_MS), shape.toMs);
        const [fault, mend] = episode(rng, family, shape);
        out.push({ at: t, fault }, { at: end, fault: mend });
        t = end + Math.round(rng.exponential(GAP_MEAN_MS));
      }
    }
  }
  // Stable: at equal times the families keep their order, and a mend its place after its fault.
  return out.sort((a, b) => a.at - b.at);
}

/**
 * Crashes and pauses run on as many independent timelines as a minority of the cluster, so
 * in a cluster of five two nodes can be down at once (and, when the timelines pick the same
 * node, one crash can be cut short by the other's restart). Network faults are cluster-wide:
 * one timeline each.
 */
function timelines(family: FaultFamily, nodes: number): number {
  return family === 'crashes' || family === 'pauses' ? Math.max(1, Math.floor((nodes - 1) / 2)) : 1;
}

function episode(rng: Rng, family: FaultFamily, shape: ScheduleShape): [Fault, Fault] {
  switch (family) {
    case 'partitions':
      return [{ kind: 'partition', groups: randomGroups(rng, shape) }, { kind: 'heal' }];
    case 'crashes': {
      const node = rng.pick(shape.nodes);
      return [{ kind: 'crash', node }, { kind: 'restart', node }];
    }
    case 'pauses': {
      const node = rng.pick(shape.nodes);
      return [{ kind: 'pause', node }, { kind: 'resume', node }];
    }
    case 'drops':
      return [{ kind: 'drop', rate: round2(0.05 + rng.next() * 0.45) }, { kind: 'drop', rate: 0 }];
    case 'duplicates':
      return [{ kind: 'duplicate', rate: round2(0.05 + rng.next() * 0.35) }, { kind: 'duplicate', rate: 0 }];
    case 'delays':
      return [
        { kind: 'delay', extraMs: rng.between(5, 100), jitterMs: rng.between(0, 200) },
        { kind: 'delay', extraMs: 0, jitterMs: 0 },
      ];
    default: {
      const never: never = family;
      throw new Error(`unknown fault family ${String(never)}`);
    }
  }
}

/**
 * Two groups (sometimes three, with five nodes or more), none empty. Each client is put on one
 * side half of the time (else it reaches everyone), and the registry a third of the time — so
 * some partitions also cut clients off from the leader and nodes off from discovery.
 */
function randomGroups(rng: Rng, shape: ScheduleShape): string[][] {
  const nodes = rng.shuffled(shape.nodes);
  const count = nodes.length >= 5 && rng.chance(0.3) ? 3 : 2;
  const groups: string[][] = Array.from({ length: count }, () => []);
  nodes.forEach((node, i) => groups[i < count ? i : rng.int(count)]!.push(node));
  for (const client of shape.clients) if (rng.chance(0.5)) groups[rng.int(count)]!.push(client);
  if (rng.chance(1 / 3)) groups[rng.int(count)]!.push(REGISTRY_PARTY);
  return groups;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Reads a hand-written schedule and checks that it names only nodes and clients this run has. */
export function parseSchedule(json: unknown, nodes: readonly NodeId[], clients: readonly string[]): FaultSchedule {
  const parsed = FaultScheduleFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not a fault schedule: ${issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'invalid'}`);
  }
  const schedule = Array.isArray(parsed.data) ? parsed.data : parsed.data.faults;
  const known = new Set<string>([...nodes, ...clients, REGISTRY_PARTY]);
  schedule.forEach((tf, i) => {
    const named = tf.fault.kind === 'partition' ? tf.fault.groups.flat() : 'node' in tf.fault ? [tf.fault.node] : [];
    for (const party of named) {
      if (!known.has(party)) throw new Error(`fault #${i + 1} (at ${tf.at} ms) names ${party}, which this run does not have`);
    }
  });
  return FaultSchedule.parse([...schedule].sort((a, b) => a.at - b.at));
}
