import type { ClusterEvent, EventKind, KeysTable, KvResult, NodeId } from '@clusterlab/shared';
import { call, kvWrite } from './http';
import type { TestCluster } from './test-supervisor';
import { waitFor } from './wait-for';

/**
 * Client load for tests that crash nodes under it: writes through the supervisor's
 * PUT /api/kv/:key, each of a key never written before, and a record of which were
 * acknowledged — the only ones a database promises to keep. Plus a recorder of the cluster's
 * events (the supervisor's ring buffer rolls over in seconds under load) and the check that
 * every acknowledged write is on every node.
 */

/** What one write came to. Only `acked` is a promise; `maybe` may or may not have been applied. */
export type WriteOutcome =
  | { kind: 'acked'; result: KvResult }
  | { kind: 'refused' | 'maybe'; status: number | null; error: string };

export type AckedWrite = { value: string; index: number; servedBy: NodeId | null };

/** One PUT through the supervisor, which follows a follower's redirect to the leader. */
export async function putOnce(lab: TestCluster, key: string, value: string): Promise<WriteOutcome> {
  try {
    const answer = await call<KvResult>(lab.api(`/kv/${encodeURIComponent(key)}`), kvWrite(value));
    if (answer.status === 200) return { kind: 'acked', result: answer.body };
    const error = typeof answer.body === 'object' && answer.body !== null ? String(answer.body.error ?? '') : String(answer.body);
    // A 503 "no leader" is a clean refusal. A 504, a 502 (the node died while asked) or a
    // leader that lost office with the write in hand (also 503) may have applied it.
    return { kind: answer.status === 503 && /^no leader/.test(error) ? 'refused' : 'maybe', status: answer.status, error };
  } catch (err) {
    return { kind: 'maybe', status: null, error: (err as Error).message };
  }
}

/** Every write made and what it came to, shared by all the loops of a test. */
export class WriteLedger {
  readonly acked = new Map<string, AckedWrite>();
  /** Every value ever sent for a key (one each here: keys are never reused). */
  readonly attempted = new Map<string, string>();
  readonly statuses = new Map<string, number>();

  async put(lab: TestCluster, key: string, value: string): Promise<WriteOutcome> {
    if (this.attempted.has(key)) throw new Error(`the key ${key} was already written: every write must have a key of its own`);
    this.attempted.set(key, value);
    const outcome = await putOnce(lab, key, value);
    const label = outcome.kind === 'acked' ? '200' : `${outcome.status ?? 'error'}`;
    this.statuses.set(label, (this.statuses.get(label) ?? 0) + 1);
    if (outcome.kind === 'acked') {
      this.acked.set(key, { value, index: outcome.result.index ?? -1, servedBy: outcome.result.servedBy });
    }
    return outcome;
  }

  summary(): string {
    return `${this.attempted.size} writes, ${this.acked.size} acknowledged; answers ${JSON.stringify(Object.fromEntries(this.statuses))}`;
  }
}

export type WriterOptions = {
  writers: number;
  /** Key prefix, so loops of one test never share a key. */
  prefix: string;
  /** Bounds: each loop stops after this many writes, and all of them after `maxMs`. */
  maxWritesEach: number;
  maxMs: number;
  /** After a write that was not acknowledged (an election, say), wait this long before the next. */
  backoffMs?: number;
  /** Where to record the writes; a fresh ledger by default. */
  ledger?: WriteLedger;
};

/** Writer loops running until stopped (or their bounds): `w3-17` is writer 3's 17th write. */
export class Writers {
  readonly ledger: WriteLedger;
  private stopped = false;
  private finished = false;
  /** Writes these loops had acknowledged (the ledger may be shared with others). */
  acked = 0;
  private readonly loops: Promise<void>;

  constructor(
    private readonly lab: TestCluster,
    private readonly options: WriterOptions,
  ) {
    this.ledger = options.ledger ?? new WriteLedger();
    const deadline = Date.now() + options.maxMs;
    this.loops = Promise.all(Array.from({ length: options.writers }, (_, w) => this.loop(w, deadline))).then(() => {
      this.finished = true;
    });
  }

  private async loop(w: number, deadline: number): Promise<void> {
    const { prefix, maxWritesEach, backoffMs = 25 } = this.options;
    for (let n = 0; n < maxWritesEach && !this.stopped && Date.now() < deadline; n++) {
      const key = `${prefix}w${w}-${n}`;
      const outcome = await this.ledger.put(this.lab, key, `${key}@${Date.now().toString(36)}`);
      if (outcome.kind === 'acked') this.acked++;
      // A short pause in a bounded loop, not a wait for a condition: without it a cluster
      // with no leader yet is asked thousands of times a second by every loop.
      else await new Promise((resolve) => setTimeout(resolve, backoffMs));
    }
  }

  /**
   * Waits until these loops have had `count` writes acknowledged in all. If they end first,
   * fails — or, with `orDone`, returns.
   */
  async untilAcked(count: number, options: { timeoutMs?: number; orDone?: boolean } = {}): Promise<void> {
    await waitFor(() => this.acked >= count || this.finished, {
      what: `${count} acknowledged writes (${this.ledger.summary()})`,
      timeoutMs: options.timeoutMs ?? 15_000,
      intervalMs: 10,
    });
    if (this.acked < count && !options.orDone) {
      throw new Error(`the writers reached their bounds before ${count} writes were acknowledged (${this.ledger.summary()})`);
    }
  }

  /** Stops every loop and waits for the writes in flight to be answered. */
  async stop(): Promise<WriteLedger> {
    this.stopped = true;
    return this.done();
  }

  /** Waits for every loop to end by itself (its bounds). */
  async done(): Promise<WriteLedger> {
    await this.loops;
    return this.ledger;
  }
}

/**
 * Every event the supervisor logs while a test runs, message traffic aside, read straight
 * from its ring buffer often enough that nothing rolls off before it is seen (and it says so
 * if anything did).
 */
export class EventRecorder {
  readonly events: ClusterEvent[] = [];
  private lastSeq = 0;
  private gaps = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly lab: TestCluster) {
    this.timer = setInterval(() => this.poll(), 25);
  }

  /** Reads what is new now (also done every 25 ms). */
  poll(): void {
    let supervisor;
    try {
      supervisor = this.lab.supervisor;
    } catch {
      return; // stopped
    }
    for (;;) {
      const batch = supervisor.events(this.lastSeq, 5000);
      if (batch.length === 0) return;
      if (batch[0]!.seq !== this.lastSeq + 1) this.gaps += batch[0]!.seq - this.lastSeq - 1;
      for (const e of batch) if (!e.kind.startsWith('message.')) this.events.push(e);
      this.lastSeq = batch[batch.length - 1]!.seq;
    }
  }

  /** How many events rolled out of the supervisor's buffer before the recorder saw them (0, or the test cannot trust what it counts). */
  get missed(): number {
    return this.gaps;
  }

  get seq(): number {
    this.poll();
    return this.lastSeq;
  }

  of<K extends EventKind>(kind: K, match: (e: Extract<ClusterEvent, { kind: K }>) => boolean = () => true): Extract<ClusterEvent, { kind: K }>[] {
    this.poll();
    return this.events.filter((e): e is Extract<ClusterEvent, { kind: K }> => e.kind === kind && match(e as Extract<ClusterEvent, { kind: K }>));
  }

  /** Waits for an event of `kind` after seq `since` matching `match`. */
  async next<K extends EventKind>(
    kind: K,
    match: (e: Extract<ClusterEvent, { kind: K }>) => boolean,
    options: { since: number; what: string; timeoutMs?: number },
  ): Promise<Extract<ClusterEvent, { kind: K }>> {
    return waitFor(() => this.of(kind, (e) => e.seq > options.since && match(e))[0], {
      what: options.what,
      timeoutMs: options.timeoutMs ?? 15_000,
      intervalMs: 20,
    });
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** What is wrong with the nodes' copies: acknowledged writes missing or different, replicas disagreeing. */
export function replicaProblems(table: KeysTable, ledger: WriteLedger, ids: NodeId[]): string[] {
  const problems: string[] = [];
  const rows = new Map(table.keys.map((row) => [row.key, row.values]));
  if (table.truncated) problems.push('the keys table is truncated: more keys than it returns');
  for (const id of ids) {
    if (!table.nodes.some((n) => n.id === id && n.reachable)) problems.push(`${id} did not answer with its keys`);
  }
  for (const [key, { value, index }] of ledger.acked) {
    if (index < 0) problems.push(`${key} was acknowledged without the index it was logged at`);
    for (const id of ids) {
      const held = rows.get(key)?.[id];
      if (held?.value !== value) problems.push(`acknowledged ${key}=${value} (index ${index}) is ${held ? `${held.value}` : 'missing'} on ${id}`);
    }
  }
  // Writes that were not acknowledged may or may not be there, but the same on every node, and only as written.
  for (const [key, values] of rows) {
    const written = ledger.attempted.get(key);
    const seen = ids.map((id) => values[id]?.value ?? null);
    if (seen.some((v) => v !== null && v !== written)) problems.push(`${key} holds ${JSON.stringify(seen)}, but only ${written} was ever written`);
    else if (new Set(seen).size > 1) problems.push(`the nodes disagree on ${key}: ${JSON.stringify(Object.fromEntries(ids.map((id, i) => [id, seen[i]])))}`);
  }
  return problems.length > MAX_PROBLEMS ? [...problems.slice(0, MAX_PROBLEMS), `…and ${problems.length - MAX_PROBLEMS} more`] : problems;
}

/** Enough to see the pattern of a failure without drowning it. */
const MAX_PROBLEMS = 30;

/**
 * Waits until every one of `ids` is running and holds every acknowledged write (and the
 * replicas agree), and returns what is still wrong when time runs out ([] when all is well):
 * the caller asserts on it, so a lost write fails the test by name.
 */
export async function waitForReplicasToAgree(
  lab: TestCluster,
  ledger: WriteLedger,
  ids: NodeId[],
  timeoutMs = 15_000,
): Promise<{ problems: string[]; table: KeysTable | null }> {
  let problems: string[] = ['not asked yet'];
  let table: KeysTable | null = null;
  await waitFor(
    async () => {
      const view = await lab.cluster();
      const down = ids.filter((id) => view.nodes.find((n) => n.id === id)?.status !== 'running');
      if (down.length > 0) {
        problems = [`not running: ${down.join(', ')}`];
        return false;
      }
      const answer = await call<KeysTable>(lab.api('/keys?limit=10000'));
      if (answer.status !== 200) {
        problems = [`GET /api/keys answered ${answer.status}`];
        return false;
      }
      table = answer.body;
      problems = replicaProblems(table, ledger, ids);
      return problems.length === 0;
    },
    { what: 'every node to hold every acknowledged write', timeoutMs, intervalMs: 200 },
  ).catch(() => {});
  return { problems, table };
}
