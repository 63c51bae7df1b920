import { z } from 'zod';
import { NODE_ID_PATTERN } from './ids';
import { isParty, linkExists } from './parties';

/**
 * Faults are data: one schema for the simulator's schedules, the supervisor's fault API, the
 * dashboard's controls, the event log and the lessons' scenario files, so a fault written once
 * (or drawn from a seed) means the same thing everywhere.
 *
 * Two sorts:
 *
 * - **Lasting faults** — `partition`, `cut`, `delay`, `loss`, `duplicate` (the network) and
 *   `clock` — are in force from the moment they are applied until they are healed. Any number
 *   can be in force at once and they compose: partitions and cuts both cut, delays add,
 *   losses combine as 1 − Π(1 − rate), so do duplicates, and a node's clock offsets add
 *   (server/src/net/link-rules.ts is the one place that says so). Healing one names it by
 *   id; healing what is no longer in force does nothing.
 * - **Process faults** — `kill`, `stop`, `pause`, `resume`, `restart` — are things done to a
 *   node once. What undoes one is another (restart after kill or stop, resume after pause),
 *   not a heal: a killed node stays dead until someone starts it.
 *
 * Parties are node ids, `registry`, and clients: `client` is every client (the supervisor's
 * own requests and workload clients), `c1`, `c2`, … one of them (see parties.ts).
 *
 * A schedule is a list of steps, each at a time in ms since the run began:
 *
 *   { "at": 3000, "id": "isolate-n1", "fault": { "kind": "partition", "groups": [["n1"], ["n2", "n3"]] } },
 *   { "at": 7000, "heal": "isolate-n1" },
 *   { "at": 8000, "fault": { "kind": "kill", "node": "n3" } },
 *   { "at": 9000, "fault": { "kind": "restart", "node": "n3" } },
 *   { "at": 9000, "fault": { "kind": "loss", "rate": 0.2 } },
 *   { "at": 9500, "heal": "all" }
 *
 * A step that applies a lasting fault may give it an `id`; a later `{ "heal": id }` ends it,
 * and `{ "heal": "all" }` ends every lasting fault in force. That is the fault API step for
 * step (POST /api/faults, DELETE /api/faults/:id, DELETE /api/faults), so a scenario plays the
 * same against the simulator and a real cluster, and overlapping faults or "heal everything"
 * are one line each. A lasting fault without an id lasts until `"heal": "all"` (or the end of
 * the run). Steps at the same time happen in the order written.
 */

const nodeId = z.string().regex(NODE_ID_PATTERN, 'a node id is n1..n99');
const party = z.string().refine(isParty, {
  message: 'a party is a node id (n1..n99), "registry", "client" (every client) or one client (c1, c2, …)',
});
/** Duplicates happen between nodes only: a request a client or a node waits on goes over TCP, which never hands it over twice. */
const peerParty = z.string().regex(NODE_ID_PATTERN, 'duplicates happen between nodes only: a request to or from a client or the registry is never delivered twice');

const ms = z.number().int().min(0).max(600_000);
const rate = z.number().gt(0, 'a rate of 0 changes nothing: heal the fault instead').max(1);

/** `from`/`to` on a link fault: both given, they must be two ends of a link that exists. */
function endsOfALink(f: { from?: string | undefined; to?: string | undefined }): boolean {
  return f.from === undefined || f.to === undefined || linkExists(f.from, f.to);
}
const NO_SUCH_LINK = { message: 'from and to must be two different parties with a link between them: one of them a node (clients and the registry never talk to each other)' };

const partition = z.strictObject({
  kind: z.literal('partition'),
  /** Links between groups are cut both ways; a party in no group keeps every link. */
  groups: z
    .array(z.array(party).min(1))
    .min(2, 'a partition needs at least two groups: a party in no group keeps all its links')
    .refine((groups) => new Set(groups.flat()).size === groups.flat().length, { message: 'a party may appear in only one group' }),
});
/** One way: what `from` sends to `to` is lost; `to` → `from` still works. */
const cut = z.strictObject({ kind: z.literal('cut'), from: party, to: party }).refine(endsOfALink, NO_SUCH_LINK);
/** Messages on matching links (a side left out matches everyone) take `ms` more, give or take up to `jitterMs`, so they also overtake each other. */
const delay = z
  .strictObject({ kind: z.literal('delay'), from: party.optional(), to: party.optional(), ms, jitterMs: ms })
  .refine(endsOfALink, NO_SUCH_LINK)
  .refine((f) => f.ms > 0, { message: 'a delay of 0 ms changes nothing: heal the fault instead', path: ['ms'] })
  .refine((f) => f.jitterMs <= f.ms, { message: 'jitterMs may not exceed ms: a message cannot arrive sooner than the network carries it', path: ['jitterMs'] });
/** Each message on a matching link is lost with this probability. */
const loss = z.strictObject({ kind: z.literal('loss'), from: party.optional(), to: party.optional(), rate }).refine(endsOfALink, NO_SUCH_LINK);
/** Each message on a matching link between nodes arrives twice with this probability. */
const duplicate = z.strictObject({ kind: z.literal('duplicate'), from: peerParty.optional(), to: peerParty.optional(), rate }).refine(endsOfALink, NO_SUCH_LINK);
/** The node's clock reads `offsetMs` more (ahead) or less (behind) than true time: its core's `now`. */
const clock = z.strictObject({
  kind: z.literal('clock'),
  node: nodeId,
  offsetMs: z
    .number()
    .int()
    .min(-86_400_000)
    .max(86_400_000)
    .refine((x) => x !== 0, 'an offset of 0 changes nothing: heal the fault instead'),
});

const processFault = <K extends string>(kind: K) => z.strictObject({ kind: z.literal(kind), node: nodeId });
/** SIGKILL: the process dies at once and keeps only what it had written to disk. */
const kill = processFault('kill');
/** SIGTERM: the process leaves the registry and exits; it too keeps only its disk. */
const stop = processFault('stop');
/** SIGSTOP: the process keeps its memory but runs nothing; messages to it wait in its socket buffer. */
const pause = processFault('pause');
/** SIGCONT: a paused process takes what waited for it, in arrival order. */
const resume = processFault('resume');
/** Kill if running, then start again from the disk, as a new process on a new port. */
const restart = processFault('restart');

export const LastingFault = z.discriminatedUnion('kind', [partition, cut, delay, loss, duplicate, clock]);
export type LastingFault = z.infer<typeof LastingFault>;
export const ProcessFault = z.discriminatedUnion('kind', [kill, stop, pause, resume, restart]);
export type ProcessFault = z.infer<typeof ProcessFault>;
export const Fault = z.discriminatedUnion('kind', [partition, cut, delay, loss, duplicate, clock, kill, stop, pause, resume, restart]);
export type Fault = z.infer<typeof Fault>;
export type FaultKind = Fault['kind'];

export const PROCESS_FAULT_KINDS = ['kill', 'stop', 'pause', 'resume', 'restart'] as const satisfies readonly ProcessFault['kind'][];

export function isProcessFault(fault: Fault): fault is ProcessFault {
  return (PROCESS_FAULT_KINDS as readonly string[]).includes(fault.kind);
}

export function isLastingFault(fault: Fault): fault is LastingFault {
  return !isProcessFault(fault);
}

/** How a lasting fault is named for healing: letters, digits, `.`, `_`, `-`; `all` is taken. */
export const FaultId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a fault id is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit')
  .refine((id) => id !== 'all', { message: '"all" means every fault in force: give the fault another id' });
export type FaultId = z.infer<typeof FaultId>;

/** The most lasting faults in force at once: every message's fate is read from all of them. */
export const MAX_ACTIVE_FAULTS = 100;

/** A lasting fault in force, under its id. */
export const ActiveFault = z.object({ id: FaultId, fault: LastingFault });
export type ActiveFault = z.infer<typeof ActiveFault>;

const at = z.number().nonnegative();

/** Apply a fault at `at`; a lasting one may carry an id to heal it by. */
export const TimedFault = z
  .strictObject({ at, id: FaultId.optional(), fault: Fault })
  .refine((s) => s.id === undefined || isLastingFault(s.fault), {
    message: 'only a lasting fault takes an id; a process fault is undone by another (restart after kill or stop, resume after pause)',
    path: ['id'],
  });
export type TimedFault = z.infer<typeof TimedFault>;

/** Heal, at `at`, the fault with this id, or every lasting fault in force. */
const HEAL_NAMES = 'heal names the id of a fault, or "all"';
export const TimedHeal = z.strictObject({
  at,
  heal: z.string({ error: HEAL_NAMES }).refine((h) => h === 'all' || FaultId.safeParse(h).success, { message: HEAL_NAMES }),
});
export type TimedHeal = z.infer<typeof TimedHeal>;

/**
 * A schema that picks which of several schemas a value is meant for by its shape, then
 * reports that one's issues alone — not "Invalid input" for a union none of whose members
 * matched, which tells a person writing a file by hand nothing.
 */
function byShape<T>(pick: (value: unknown) => z.ZodType<T>) {
  return z.unknown().transform((value, ctx): T => {
    const parsed = pick(value).safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  });
}

/** One step of a schedule: a heal if it has `heal`, else a fault. */
export const ScheduleStep = byShape<TimedFault | TimedHeal>((value) => (typeof value === 'object' && value !== null && 'heal' in value ? TimedHeal : TimedFault));
export type ScheduleStep = TimedFault | TimedHeal;

export function isHeal(step: ScheduleStep): step is TimedHeal {
  return 'heal' in step;
}

/**
 * A schedule: steps in time order (at equal times, in the order given). Ids are unique, and a
 * heal names a fault applied before it — a misspelt id would otherwise heal nothing, silently.
 */
export const FaultSchedule = z
  .array(ScheduleStep)
  .max(100_000)
  .superRefine((steps, ctx) => {
    const order = steps.map((step, i) => ({ step, i })).sort((a, b) => a.step.at - b.step.at);
    const applied = new Set<string>();
    for (const { step, i } of order) {
      if (isHeal(step)) {
        if (step.heal !== 'all' && !applied.has(step.heal)) {
          ctx.addIssue({ code: 'custom', path: [i, 'heal'], message: `heals ${JSON.stringify(step.heal)}, but no fault with that id was applied before ${step.at} ms` });
        }
      } else if (step.id !== undefined) {
        if (applied.has(step.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `the id ${JSON.stringify(step.id)} is used twice` });
        applied.add(step.id);
      }
    }
  });
export type FaultSchedule = z.infer<typeof FaultSchedule>;

/** A schedule file: a bare array, or an object with `faults` (and room for a comment). */
const DescribedSchedule = z.object({ description: z.string().optional(), faults: FaultSchedule });
export const FaultScheduleFile = byShape<FaultSchedule | z.infer<typeof DescribedSchedule>>((value) => (Array.isArray(value) ? FaultSchedule : DescribedSchedule));

/**
 * The families a random schedule draws from. The names are what `--faults` takes (kept from
 * before the faults had their present names: `crashes` kill, `drops` are losses).
 */
export const FAULT_FAMILIES = ['partitions', 'crashes', 'pauses', 'drops', 'delays', 'duplicates', 'cuts', 'clocks'] as const;
export const FaultFamily = z.enum(FAULT_FAMILIES);
export type FaultFamily = z.infer<typeof FaultFamily>;

/** The family a fault belongs to (the fault that undoes it belongs to the same one). */
export function faultFamily(fault: Fault): FaultFamily {
  switch (fault.kind) {
    case 'partition':
      return 'partitions';
    case 'cut':
      return 'cuts';
    case 'kill':
    case 'stop':
    case 'restart':
      return 'crashes';
    case 'pause':
    case 'resume':
      return 'pauses';
    case 'loss':
      return 'drops';
    case 'duplicate':
      return 'duplicates';
    case 'delay':
      return 'delays';
    case 'clock':
      return 'clocks';
    default: {
      const never: never = fault;
      throw new Error(`unknown fault ${JSON.stringify(never)}`);
    }
  }
}

/** Every party a fault names (to check a schedule against the cluster it will run on). */
export function partiesNamed(fault: Fault): string[] {
  switch (fault.kind) {
    case 'partition':
      return fault.groups.flat();
    case 'cut':
      return [fault.from, fault.to];
    case 'delay':
    case 'loss':
    case 'duplicate':
      return [fault.from, fault.to].filter((p): p is string => p !== undefined);
    default:
      return [fault.node];
  }
}
