import { z } from 'zod';
import { PROCESS_ACTIONS } from './api';
import { Fault } from './faults';
import { MAX_KEY_BYTES, MAX_NODES } from './limits';
import { ClusterSettings, DEFAULT_SETTINGS } from './settings';

/**
 * Scenarios are data: a lesson's steps — faults, client reads and writes, waits on conditions
 * and expectations — written once and run by the supervisor on real processes (the dashboard's
 * lessons, POST /api/lessons/:id/run) and by the tests. One file per lesson in `lessons/`.
 *
 *   { "version": 1, "id": "failover", "title": "…", "summary": "…", "algorithm": "bully", "nodes": 3,
 *     "steps": [
 *       { "title": "A leader is elected", "say": "…", "do": [{ "await": { "leader": true } }, { "remember": "old", "as": "leader" }] },
 *       { "title": "Kill it", "say": "…", "do": [{ "fault": { "kind": "kill", "node": "$old" } }, { "await": { "leader": true, "not": "$old" } }] } ] }
 *
 * A node is named by id (`n2`) or by a name a step remembered (`$old`: whoever led then), so a
 * lesson does not depend on which node happens to win. In a fault's partition, `"*"` in a group
 * is every node no group names. Waits are on conditions, each with a deadline; a `sleep`
 * is only for a step that is about time. `{ "await": { "leader": true, "followedByAll": true } }`
 * waits for the election to have settled, every running node following one leader: under bully
 * a write taken by a leader that a late node's newer epoch then replaces would be undone.
 *
 * A lesson that compares settings starts over with them changed: `{ "restart": { "settings":
 * { "writeAck": "all" } } }` is a fresh cluster of the same size and algorithm, the settings in
 * force then with these changed. The cluster the names stood for is gone, so its `$names` and
 * fault names are forgotten; named reads and writes are kept. `{ "registry": "kill" }` does to
 * the registry what a process fault does to a node (kill, stop, pause, resume, restart).
 *
 * Every read and write a lesson makes is recorded as a client's history; `{ "workload": { "ops":
 * 40, "clients": 3 } }` adds many at once, and `{ "expect": { "checker": "lost-write" } }` has
 * the checker judge them (and what every node holds) as it judges a workload's. `{ "await":
 * { "applied": "$new", "atLeast": 40 } }` waits for a node to have applied its log that far.
 */
export const SCENARIO_VERSION = 1;

const Name = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'a name is lower-case letters, digits and dashes, starting with a letter');
export const NodeRef = z.string().regex(/^(n[1-9][0-9]?|\$[a-z][a-z0-9-]{0,30})$/, 'a node is n1..n99, or $name for one a step remembered');
export type NodeRef = z.infer<typeof NodeRef>;
const Key = z.string().min(1).max(MAX_KEY_BYTES);
const Ms = z.number().int().min(1).max(120_000);
/** Settings a lesson changes from the defaults; the algorithm is the scenario's own. */
const AnySettings = z.strictObject(ClusterSettings.shape).omit({ algorithm: true }).partial();
/**
 * Only the keys written: a setting with a default (Raft's) that a restart does not name must
 * keep the value in force, not go back to its default.
 */
const LessonSettings = z.record(z.string(), z.unknown()).transform((raw, ctx): z.output<typeof AnySettings> => {
  const parsed = AnySettings.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return Object.fromEntries(Object.entries(parsed.data).filter(([k]) => k in raw));
});

/**
 * One of several shapes told apart by which key it has (`{ "await": … }`, `{ "expect": … }`),
 * so a mistake is reported inside the shape it was meant to be, not as "matches none of them".
 */
function byKey<T extends Record<string, z.ZodType>>(what: string, shapes: T) {
  const keys = Object.keys(shapes);
  return z.unknown().transform((value, ctx): z.output<T[keyof T]> => {
    const key = value && typeof value === 'object' ? keys.find((k) => k in value) : undefined;
    if (key === undefined) {
      ctx.addIssue({ code: 'custom', message: `${what} is one of: ${keys.map((k) => `{ "${k}": … }`).join(', ')}` });
      return z.NEVER;
    }
    const parsed = shapes[key]!.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    }
    return parsed.data as z.output<T[keyof T]>;
  });
}

/** Replaces every `$name` in a fault with what it stands for (and checks the result is a fault). */
export function bindFault(raw: unknown, bind: (ref: string) => string): unknown {
  if (typeof raw === 'string') return raw.startsWith('$') ? bind(raw) : raw;
  if (Array.isArray(raw)) return raw.map((x) => bindFault(x, bind));
  if (raw && typeof raw === 'object') return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, bindFault(v, bind)]));
  return raw;
}

/**
 * What a fault must be once its names are bound; checked on load with each name standing for
 * a node of its own (a cut from `$up` to `$stale` is a link; from `$up` to `$up` is not).
 */
const FaultWithNames = z.unknown().superRefine((raw, ctx) => {
  const stand = new Map<string, string>();
  const bound = bindFault(raw, (ref) => stand.get(ref) ?? stand.set(ref, `n${stand.size + 1}`).get(ref)!);
  const parsed = Fault.safeParse(expandStar(bound, [...stand.values(), `n${stand.size + 1}`]));
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});

/** In a partition's group, `"*"` is every node the groups do not name (`["*", "registry"]`: those and the registry). */
export function expandStar(raw: unknown, nodes: readonly string[]): unknown {
  if (!raw || typeof raw !== 'object' || (raw as { kind?: unknown }).kind !== 'partition') return raw;
  const groups = (raw as { groups?: unknown }).groups;
  if (!Array.isArray(groups)) return raw;
  const named = new Set(groups.flat().filter((p): p is string => typeof p === 'string' && p !== '*'));
  const rest = nodes.filter((n) => !named.has(n));
  return { ...raw, groups: groups.map((g) => (Array.isArray(g) ? g.flatMap((p) => (p === '*' ? rest : [p])) : g)) };
}

export const Condition = byKey('a condition', {
  /**
   * The cluster agrees on one leader (other than `not`); with `followedByAll`, every running
   * node follows it too — a bully election has settled, and no node still on its way in will
   * claim a newer epoch and undo what this leader took.
   */
  leader: z.strictObject({ leader: z.literal(true), not: NodeRef.optional(), followedByAll: z.literal(true).optional() }),
  /** At least this many nodes say they lead, at once: split brain. */
  leaders: z.strictObject({ leaders: z.number().int().min(1).max(MAX_NODES) }),
  /** An event of this kind, since the step began (from this node; with these fields in its data, a `$name` standing for its node). */
  event: z.strictObject({
    event: z.string().regex(/^[a-z]+\.[a-z_.]+$/, 'an event kind, like leader.stepped_down'),
    node: NodeRef.optional(),
    data: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
  }),
  /** A node is in this role (a follower: one that follows the leader the cluster agrees on). */
  role: z.strictObject({ role: NodeRef, is: z.enum(['leader', 'follower', 'candidate', 'pre-candidate']) }),
  /** A node has applied its log up to this index at least: "until n2 has index 40". */
  applied: z.strictObject({ applied: NodeRef, atLeast: z.number().int().min(1).max(1_000_000) }),
});
export type Condition = z.infer<typeof Condition>;

/** What a lesson can expect the checker to say. */
export const CHECKER_FINDINGS = ['linearizable', 'lost-write', 'stale-read'] as const;
export type CheckerFinding = (typeof CHECKER_FINDINGS)[number];

export const Expectation = byKey('an expectation', {
  /** Exactly this many nodes say they lead. */
  leaders: z.strictObject({ leaders: z.number().int().min(0).max(MAX_NODES) }),
  /** This node leads. */
  leader: z.strictObject({ leader: NodeRef }),
  /** Every running node holds this value for the key (null: absent), within `withinMs` of asking. */
  everyNode: z.strictObject({ everyNode: z.strictObject({ key: Key, value: z.string().nullable() }), withinMs: Ms.optional() }),
  /** A read a step named returned this value (null: absent). */
  read: z.strictObject({ read: Name, value: z.string().nullable() }),
  /** A write a step named was acknowledged (true) or refused (false). */
  write: z.strictObject({ write: Name, acknowledged: z.boolean() }),
  /**
   * The checker, run on every read and write the lesson made so far (and what each node holds
   * now), finds the history linearizable with nothing lost — or finds at least one lost
   * acknowledged write, or one stale read.
   */
  checker: z.strictObject({ checker: z.enum(CHECKER_FINDINGS) }),
});
export type Expectation = z.infer<typeof Expectation>;

export const Action = byKey('an action', {
  /** `$name` stands for the node that leads now, or for the lowest-numbered follower of it (waiting until there is one). */
  remember: z.strictObject({ remember: Name, as: z.enum(['leader', 'follower']) }),
  /** A lasting fault may be named, for a later heal. */
  fault: z.strictObject({ fault: FaultWithNames, name: Name.optional() }),
  heal: z.strictObject({ heal: z.union([Name, z.literal('all')]) }),
  /** Starts one more node (with Raft, joining the configuration), remembered as `$name`. */
  addNode: z.strictObject({ addNode: Name }),
  /** Removes a node (with Raft, out of the configuration first, through the log). */
  removeNode: z.strictObject({ removeNode: NodeRef }),
  /**
   * A write; with `ifVersionOf`, a compare-and-set: it applies only if the key is still at the
   * version the named read saw (If-Match, or If-None-Match: * when it saw none), else it is
   * refused with a 412 — another write came between.
   */
  write: z.strictObject({ write: Key, value: z.string().max(4096), via: NodeRef.optional(), name: Name.optional(), ifVersionOf: Name.optional() }),
  read: z.strictObject({ read: Key, via: NodeRef.optional(), mode: z.enum(['local', 'leader', 'linearizable']).optional(), name: Name.optional() }),
  await: z.strictObject({ await: Condition, timeoutMs: Ms.optional() }),
  expect: z.strictObject({ expect: Expectation }),
  /** Only for a step about time: everything else waits on a condition. */
  sleep: z.strictObject({ sleep: Ms }),
  /**
   * A workload: `clients` clients at once, `ops` reads and writes between them over `keys` keys
   * (named `prefix`1, `prefix`2, …), a `reads` share of them reads; each write's value is its
   * own, so the checker can tell every write apart. Recorded with the lesson's other operations.
   */
  workload: z.strictObject({
    workload: z.strictObject({
      clients: z.number().int().min(1).max(16).default(3),
      ops: z.number().int().min(1).max(2000),
      keys: z.number().int().min(1).max(50).default(3),
      prefix: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'a key prefix is lower-case letters, digits and dashes').default('w'),
      reads: z.number().min(0).max(1).default(0),
    }),
  }),
  /** A fresh cluster, the settings in force with these changed; every `$name` is forgotten. */
  restart: z.strictObject({ restart: z.strictObject({ settings: LessonSettings }) }),
  /** A process action on the registry, as its buttons do. */
  registry: z.strictObject({ registry: z.enum(PROCESS_ACTIONS, { error: `the registry's actions are ${PROCESS_ACTIONS.join(', ')}` }) }),
});
export type Action = z.infer<typeof Action>;

export const ScenarioStep = z.strictObject({
  title: z.string().min(1).max(80),
  /** What happens and why, in a few plain sentences. */
  say: z.string().min(1).max(1000),
  do: z.array(Action).min(1).max(20),
});
export type ScenarioStep = z.infer<typeof ScenarioStep>;

export const Scenario = z
  .strictObject({
    version: z.literal(SCENARIO_VERSION),
    id: Name,
    /** Its place in the table of contents. */
    number: z.number().int().min(1).max(99),
    title: z.string().min(1).max(80),
    summary: z.string().min(1).max(300),
    algorithm: z.enum(['bully', 'raft']),
    nodes: z.number().int().min(1).max(9),
    settings: LessonSettings.optional(),
    steps: z.array(ScenarioStep).min(1).max(12),
  })
  .superRefine((s, ctx) => {
    // Settings that each hold but not together (a minimum above its maximum) would fail only
    // when the lesson runs; each restart's are checked as they will be in force.
    let settings = { ...DEFAULT_SETTINGS, ...s.settings, algorithm: s.algorithm };
    const together = (path: (string | number)[]) => {
      const parsed = ClusterSettings.safeParse(settings);
      if (!parsed.success) ctx.addIssue({ code: 'custom', path, message: parsed.error.issues[0]!.message });
    };
    if (s.settings) together(['settings']);
    // A name must be remembered before it is used, or the lesson would fail half-way through.
    const known = new Set<string>();
    s.steps.forEach((step, i) =>
      step.do.forEach((action, j) => {
        if ('restart' in action) {
          settings = { ...settings, ...action.restart.settings };
          together(['steps', i, 'do', j, 'restart', 'settings']);
          known.clear();
        }
        if ('remember' in action) known.add(`$${action.remember}`);
        if ('addNode' in action) known.add(`$${action.addNode}`);
        for (const ref of refsOf(action)) {
          if (!known.has(ref)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'do', j], message: `${ref} is used before a step remembers it` });
        }
      }),
    );
  });
export type Scenario = z.infer<typeof Scenario>;

/** The `$names` an action uses. */
export function refsOf(action: Action): string[] {
  const found: string[] = [];
  const walk = (x: unknown) => {
    if (typeof x === 'string' && x.startsWith('$')) found.push(x);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') Object.entries(x).forEach(([k, v]) => k !== 'remember' && walk(v));
  };
  walk(action);
  return found;
}

/** A scenario from a file's text: a loud error naming the file and where in it, never a half-read lesson. */
export function parseScenario(text: string, file: string): Scenario {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON: ${(err as Error).message}`);
  }
  const parsed = Scenario.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
  }
  return parsed.data;
}
