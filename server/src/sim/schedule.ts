import {
  CLIENT_PARTY,
  FaultSchedule,
  FaultScheduleFile,
  isHeal,
  isLastingFault,
  partiesNamed,
  REGISTRY_PARTY,
  type Fault,
  type FaultFamily,
  type LastingFault,
  type NodeId,
  type ProcessFault,
  type ScheduleStep,
} from '@clusterlab/shared';
import type { Rng } from '@clusterlab/shared';

/**
 * Fault schedules: drawn at random from a seed, or read from a JSON file (the form is in
 * shared/src/faults.ts).
 *
 * A random schedule is independent timelines per chosen family: quiet gaps and episodes
 * alternate, and every episode ends before the fault window closes — a lasting fault healed
 * by its id, a kill undone by a restart, a pause by a resume — so by the end of the window the
 * cluster is whole again and the quiet period can ask whether it converged.
 */
export type ScheduleShape = {
  nodes: readonly NodeId[];
  clients: readonly string[];
  families: readonly FaultFamily[];
  /** Faults strike in [fromMs, toMs); every episode is over by toMs. */
  fromMs: number;
  toMs: number;
};

/** Episode lengths and gaps, in ms: long enough for an election to happen inside, short enough for several per run. */
const EPISODE_MIN_MS = 200;
const EPISODE_MAX_MS = 3000;
const GAP_MEAN_MS = 1500;

/** A fault, and what ends it: another process fault, or (null) healing it by its id. */
type Episode = { fault: Fault; undo: ProcessFault | null };

export function randomSchedule(rng: Rng, shape: ScheduleShape): FaultSchedule {
  const out: ScheduleStep[] = [];
  const ids = new FaultIds();
  for (const family of shape.families) {
    for (let timeline = 0; timeline < timelines(family, shape.nodes.length); timeline++) {
      let t = shape.fromMs + Math.round(rng.exponential(GAP_MEAN_MS));
      while (t < shape.toMs - EPISODE_MIN_MS) {
        const end = Math.min(t + rng.between(EPISODE_MIN_MS, EPISODE_MAX_MS), shape.toMs);
        const { fault, undo } = episode(rng, family, shape);
        if (undo) out.push({ at: t, fault }, { at: end, fault: undo });
        else {
          const id = ids.next(fault.kind);
          out.push({ at: t, id, fault }, { at: end, heal: id });
        }
        t = end + Math.round(rng.exponential(GAP_MEAN_MS));
      }
    }
  }
  // Stable: at equal times the families keep their order, and an end its place after its fault.
  return out.sort((a, b) => a.at - b.at);
}

/**
 * Crashes, pauses, cuts and clock faults run on as many independent timelines as a minority
 * of the cluster, so in a cluster of five two nodes can be down (or skewed, or cut off one
 * way) at once — and two timelines that pick the same node compose: one crash cut short by
 * the other's restart, two clock offsets added. The other network faults are cluster-wide
 * in effect: one timeline each.
 */
function timelines(family: FaultFamily, nodes: number): number {
  const perMinority = family === 'crashes' || family === 'pauses' || family === 'cuts' || family === 'clocks';
  return perMinority ? Math.max(1, Math.floor((nodes - 1) / 2)) : 1;
}

function episode(rng: Rng, family: FaultFamily, shape: ScheduleShape): Episode {
  switch (family) {
    case 'partitions':
      return { fault: { kind: 'partition', groups: randomGroups(rng, shape) }, undo: null };
    case 'crashes': {
      const node = rng.pick(shape.nodes);
      return { fault: { kind: 'kill', node }, undo: { kind: 'restart', node } };
    }
    case 'pauses': {
      const node = rng.pick(shape.nodes);
      return { fault: { kind: 'pause', node }, undo: { kind: 'resume', node } };
    }
    case 'drops':
      return { fault: { kind: 'loss', rate: round2(0.05 + rng.next() * 0.45), ...someLinks(rng, shape) }, undo: null };
    case 'duplicates':
      return { fault: { kind: 'duplicate', rate: round2(0.05 + rng.next() * 0.35), ...someLinks(rng, shape) }, undo: null };
    case 'delays': {
      const ms = rng.between(5, 150);
      return { fault: { kind: 'delay', ms, jitterMs: rng.between(0, ms), ...someLinks(rng, shape) }, undo: null };
    }
    case 'cuts':
      return { fault: randomCut(rng, shape), undo: null };
    case 'clocks': {
      // Up to ten election timeouts either way: far enough for a node to jump past every deadline it has.
      const offsetMs = rng.between(50, 3000) * (rng.chance(0.5) ? 1 : -1);
      return { fault: { kind: 'clock', node: rng.pick(shape.nodes), offsetMs }, undo: null };
    }
    default: {
      const never: never = family;
      throw new Error(`unknown fault family ${String(never)}`);
    }
  }
}

/** Half the time every link; else every link from one node, or to one. */
function someLinks(rng: Rng, shape: ScheduleShape): { from?: NodeId; to?: NodeId } {
  const where = rng.next();
  if (where < 0.5) return {};
  const node = rng.pick(shape.nodes);
  return where < 0.75 ? { from: node } : { to: node };
}

/** Mostly one node stops hearing another (one way); now and then a node's link to or from the registry. */
function randomCut(rng: Rng, shape: ScheduleShape): LastingFault {
  const [a, b] = rng.shuffled(shape.nodes);
  const which = rng.next();
  if (which < 0.1 || b === undefined) return { kind: 'cut', from: a!, to: REGISTRY_PARTY };
  if (which < 0.2) return { kind: 'cut', from: REGISTRY_PARTY, to: a! };
  return { kind: 'cut', from: a!, to: b };
}

/**
 * Two groups (sometimes three, with five nodes or more), none empty, every node in one. Each
 * client is put on one side half of the time (else it keeps every link), and the registry a
 * third of the time — so some partitions also cut clients off from the leader and nodes off
 * from discovery.
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

/** Ids for lasting faults: `partition-1`, `cut-2`, …, skipping any a schedule already uses. */
class FaultIds {
  private readonly counts = new Map<string, number>();

  constructor(private readonly taken: ReadonlySet<string> = new Set()) {}

  next(kind: string): string {
    for (;;) {
      const n = (this.counts.get(kind) ?? 0) + 1;
      this.counts.set(kind, n);
      const id = `${kind}-${n}`;
      if (!this.taken.has(id)) return id;
    }
  }
}

/** The id each lasting fault of a schedule is in force under: its own, or a made-up one that heals only with "all". */
export function idsForUnnamedFaults(schedule: FaultSchedule): Map<ScheduleStep, string> {
  const named = new Set(schedule.flatMap((step) => (!isHeal(step) && step.id !== undefined ? [step.id] : [])));
  const ids = new FaultIds(named);
  const out = new Map<ScheduleStep, string>();
  for (const step of schedule) {
    if (isHeal(step) || !isLastingFault(step.fault)) continue;
    out.set(step, step.id ?? ids.next(step.fault.kind));
  }
  return out;
}

/** Faults schedules used to be written with, and what to write now. */
const RENAMED: Record<string, string> = {
  heal: 'a heal is a step of its own now: { "at": …, "heal": "<the fault\'s id>" } or { "at": …, "heal": "all" }',
  crash: '"crash" is called "kill" now',
  drop: '"drop" is called "loss" now, and it ends with a heal, not a rate of 0',
};

/** Reads a hand-written schedule and checks that it names only nodes and clients this run has. */
export function parseSchedule(json: unknown, nodes: readonly NodeId[], clients: readonly string[]): FaultSchedule {
  refuseOldKinds(json);
  const parsed = FaultScheduleFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not a fault schedule: ${issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'invalid'}`);
  }
  const schedule = Array.isArray(parsed.data) ? parsed.data : parsed.data.faults;
  const known = new Set<string>([...nodes, ...clients, REGISTRY_PARTY, CLIENT_PARTY]);
  schedule.forEach((step, i) => {
    if (isHeal(step)) return;
    for (const party of partiesNamed(step.fault)) {
      if (!known.has(party)) throw new Error(`fault #${i + 1} (at ${step.at} ms) names ${party}, which this run does not have`);
    }
  });
  return FaultSchedule.parse([...schedule].sort((a, b) => a.at - b.at));
}

function refuseOldKinds(json: unknown): void {
  const steps: unknown = Array.isArray(json) ? json : (json as { faults?: unknown } | null)?.faults;
  if (!Array.isArray(steps)) return;
  steps.forEach((step: unknown, i) => {
    const kind = (step as { fault?: { kind?: unknown } } | null)?.fault?.kind;
    if (typeof kind === 'string' && Object.hasOwn(RENAMED, kind)) {
      throw new Error(`not a fault schedule: fault #${i + 1} is a "${kind}": ${RENAMED[kind]}`);
    }
  });
}
