import type { ClusterEvent, KeysTable, Trace } from '@clusterlab/shared';
import { traceNodes } from '@clusterlab/shared/trace-nodes';
import { momentAt, momentsFrom, travelHash, type Moments, type RunEvents, type TravelLink } from '../lib/travel';
import { showDiagramPast } from '../lib/diagramFeed';
import { parseLessonHash, withLessonHash } from '../lib/lessons';
import { appStore } from '../stores/store';
import { request } from './rest';
import { authToken } from './token';

/**
 * Time travel's side effects: fetching a recorded run (GET /api/runs/:id/trace), reading an
 * imported trace file, running a simulated seed in the page, and putting one moment of it on
 * screen. The trace itself stays here, outside the store: it can be tens of megabytes.
 * The trace reader (zod) and the simulator load only when first used.
 */

/** Events of the past the diagram is given (its own bound keeps fewer at a busy moment). */
const DIAGRAM_PAST_EVENTS = 30_000;

type Open = { id: string; label: string; link: TravelLink | null; trace: Trace; run: RunEvents; index: number };
let open: Open | null = null;

export type RunSummary = { id: string; startedAt: number; endedAt: number | null; algorithm: string; nodes: number; events: number; bytes: number; truncated: string[] };

export const listRuns = () => request<{ runs: RunSummary[] }>('/api/runs').then((r) => r.runs);

/** The run now being recorded, from its start up to now. */
export async function openCurrentRun(): Promise<void> {
  const [newest] = await listRuns();
  if (!newest) throw new Error('no run has been recorded yet');
  await openRun(newest.id, null);
}

/** A recorded run, at the event with seq `at` (its end when null). */
export async function openRun(id: string, at: number | null): Promise<void> {
  const headers: Record<string, string> = {};
  const token = authToken();
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`/api/runs/${encodeURIComponent(id)}/trace`, { headers });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `GET /api/runs/${id}/trace answered ${res.status}`);
  }
  show({ id, label: `run ${id}`, link: { run: id, at: null }, trace: await readTrace(await res.text()) }, at);
}

/** A trace file the learner picked (from `npm run sim -- --trace`, or downloaded). */
export async function openFile(file: File): Promise<void> {
  const trace = await readTrace(await file.text());
  show({ id: trace.header.run, label: `${file.name} (${trace.header.source === 'sim' ? `simulated, seed ${trace.header.seed}` : `run ${trace.header.run}`})`, link: null, trace }, null);
}

/**
 * A simulated run, made in the page: 20 s of 3 nodes under crashes and partitions, the same run
 * as the command it names (`npm run sim -- --seed N --duration 20s --faults crashes,partitions`).
 */
export async function openSim(seed: number, algorithm: 'bully' | 'raft', at: number | null): Promise<void> {
  const [{ runSimulation }, { defaultOptions }, { DEFAULT_SETTINGS }] = await Promise.all([
    import('../../../server/src/sim/runner'),
    import('../../../server/src/sim/options'),
    import('@clusterlab/shared/settings'),
  ]);
  const result = runSimulation(defaultOptions({ seed, nodes: 3, durationMs: 20_000, faults: ['crashes', 'partitions'], settings: { ...DEFAULT_SETTINGS, algorithm }, trace: true, check: false }));
  const trace = await readTrace(result.traceFile()!);
  show({ id: `sim-${seed}`, label: `simulated run, seed ${seed} (${algorithm}) · ${result.replay}`, link: { sim: seed, algorithm, at: null }, trace }, at);
}

async function readTrace(text: string): Promise<Trace> {
  const { parseTrace } = await import('@clusterlab/shared/trace');
  return parseTrace(text);
}

function show(o: Omit<Open, 'run' | 'index'>, at: number | null): void {
  const run: RunEvents = { settings: o.trace.header.settings, events: o.trace.events as ClusterEvent[] };
  const index = at === null ? run.events.length - 1 : indexOfSeq(run.events, at);
  open = { ...o, run, index };
  goTo(index);
}

/** Puts the moment just after event `index` on screen. */
export function goTo(index: number): void {
  if (!open) return;
  if (forked) {
    // Moving through the recording leaves the fork: it was a what-if from one moment.
    forked = null;
    forkListeners.forEach((l) => l());
  }
  const { events } = open.run;
  const i = Math.max(0, Math.min(index, events.length - 1));
  open.index = i;
  const e = events[i];
  appStore.getState().actions.showMoment({ id: open.id, label: open.label }, momentAt(open.run, i), { index: i, count: events.length, seq: e?.seq ?? 0, time: e?.time ?? 0 });
  showDiagramPast(events.slice(Math.max(0, i + 1 - DIAGRAM_PAST_EVENTS), i + 1));
  scheduleKeys(e?.time ?? 0);
  if (open.link) history.replaceState(null, '', withLessonHash(travelHash({ ...open.link, at: e?.seq ?? null }), parseLessonHash(location.hash)));
}

/**
 * The same, at the next frame: dragging the slider asks many times a frame, and each moment
 * folds the run's events up to it.
 */
let soonIndex: number | null = null;
export function goToSoon(index: number): void {
  if (soonIndex === null) {
    requestAnimationFrame(() => {
      const latest = soonIndex!;
      soonIndex = null;
      goTo(latest);
    });
  }
  soonIndex = index;
}

export function step(delta: number): void {
  if (open) goTo(open.index + delta);
}

export function moments(): Moments | null {
  return open ? momentsFrom(open.run, open.index, appStore.getState().cluster.leader) : null;
}

export function backToLive(): void {
  open = null;
  if (keysTimer) clearTimeout(keysTimer);
  keysTimer = null;
  forked = null;
  forkListeners.forEach((l) => l());
  appStore.getState().actions.backToLive();
  showDiagramPast(null);
  // The moment goes from the address bar; the lesson shown (#…&lesson=…) stays.
  if (location.hash.startsWith('#run=') || location.hash.startsWith('#sim=')) history.replaceState(null, '', location.pathname + location.search + withLessonHash('', parseLessonHash(location.hash)));
}

/** The trace on screen (for the replay check and the fork). */
export function openTrace(): { trace: Trace; index: number } | null {
  return open ? { trace: open.trace, index: open.index } : null;
}

/** The last event at or before `seq` (events are in seq order). */
function indexOfSeq(events: readonly ClusterEvent[], seq: number): number {
  let lo = 0;
  let hi = events.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.seq <= seq) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** What replaying one recorded core in the page found. */
export type CoreCheck = { node: string; boot: string; steps: number; recorded: number; mismatch: { step: number; expected: string; got: string; input: string } | null; truncated: string | null };

/**
 * Exact replay, in the page: every recorded core re-created from its boot and re-run through
 * its inputs by the same core code the nodes run (bundled for the browser), each step's
 * outputs compared with the recorded digest. Yields between cores so the page stays alive.
 */
export async function checkReplay(onCore: (c: CoreCheck) => void): Promise<{ steps: number; ms: number }> {
  if (!open) throw new Error('no run is open');
  const { replayBoot } = await import('../../../server/src/node/replay/replay-boot');
  const started = performance.now();
  let steps = 0;
  for (const record of open.trace.boots) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const r = replayBoot(record);
    steps += r.steps;
    onCore({
      node: r.node,
      boot: r.boot,
      steps: r.steps,
      recorded: record.inputs.length,
      mismatch: r.mismatch && { step: r.mismatch.step, expected: r.mismatch.expected, got: r.mismatch.got, input: JSON.stringify(r.mismatch.input).slice(0, 200) },
      truncated: record.truncated?.reason ?? null,
    });
  }
  return { steps, ms: performance.now() - started };
}

// ── Fork ─────────────────────────────────────────────────────────────────────────────────────

type ForkModule = typeof import('../../../server/src/sim/fork');
type ForkSession = { fork: InstanceType<ForkModule['Fork']>; at: number; events: ClusterEvent[]; label: string };
let forked: ForkSession | null = null;
const forkListeners = new Set<() => void>();

/** What the fork panel shows: what is in flight, the timers, the processes, the last step and any broken invariant. */
export type ForkView = {
  label: string;
  inFlight: { id: string; from: string; to: string; type: string; family: string }[];
  timers: { node: string; inMs: number }[];
  nodes: { id: string; state: 'up' | 'paused' | 'crashed' }[];
  partitioned: boolean;
  /** The partition that isolates the leader, as the fork sees who leads. */
  isolate: string[][] | null;
  steps: number;
  violation: { rule: string; detail: string; step: number } | null;
  recordedViolation: string | null;
};

/** Continues the open run in the simulator, from exactly the moment on screen. */
export async function forkHere(): Promise<void> {
  if (!open) throw new Error('no run is open');
  const { Fork } = await import('../../../server/src/sim/fork');
  const at = open.index;
  const seq = open.run.events[at]!.seq;
  const fork = new Fork(open.trace, seq);
  forked = { fork, at, events: [...(fork.openingEvents as ClusterEvent[])], label: `fork of ${open.label} after event #${seq}` };
  showFork();
}

export function leaveFork(): void {
  forked = null;
  forkListeners.forEach((l) => l());
  if (open) goTo(open.index);
}

export type ForkChoiceInput = Parameters<ForkSession['fork']['apply']>[0];

/** Makes one thing happen in the fork (or `random` steps of a seeded schedule). */
export function forkStep(choice: ForkChoiceInput | { type: 'random'; steps: number; seed: number }): void {
  if (!forked) return;
  const steps = choice.type === 'random' ? forked.fork.runRandom(choice.steps, choice.seed) : [forked.fork.apply(choice)];
  for (const s of steps) forked.events.push(...(s.events as ClusterEvent[]));
  showFork();
}

export function forkView(): ForkView | null {
  if (!forked) return null;
  const { fork } = forked;
  const ids = open ? traceNodes(open.trace) : [];
  const last = forked.events.at(-1)?.time ?? open?.run.events[forked.at]?.time ?? 0;
  const v = fork.violation;
  const choices = fork.choices();
  const isolate = choices.find((c) => c.type === 'partition');
  return {
    label: forked.label,
    inFlight: fork.inFlight().map((f) => ({ id: f.id, from: f.from, to: f.to, type: f.type, family: f.family })),
    timers: fork.timers().map((t) => ({ node: t.node, inMs: Math.max(0, Math.round(t.at - last)) })),
    nodes: ids.map((id) => ({ id, state: fork.stateOf(id) ?? 'crashed' })),
    partitioned: choices.some((c) => c.type === 'heal'),
    isolate: isolate?.type === 'partition' ? isolate.groups : null,
    steps: fork.history.length,
    violation: v && { rule: v.rule, detail: v.detail, step: fork.history.length },
    recordedViolation: fork.recordedViolation?.message ?? null,
  };
}

export function subscribeFork(listener: () => void): () => void {
  forkListeners.add(listener);
  return () => forkListeners.delete(listener);
}

function showFork(): void {
  if (!open || !forked) return;
  const base = open.run.events.slice(0, forked.at + 1);
  const run: RunEvents = { settings: open.run.settings, events: [...base, ...forked.events] };
  const i = run.events.length - 1;
  const e = run.events[i]!;
  appStore.getState().actions.showMoment({ id: open.id, label: forked.label }, momentAt(run, i), { index: forked.at, count: open.run.events.length, seq: e.seq, time: e.time });
  showDiagramPast(run.events.slice(Math.max(0, run.events.length - DIAGRAM_PAST_EVENTS)));
  scheduleKeys(e.time);
  forkListeners.forEach((l) => l());
}

// ── The keys at a moment ─────────────────────────────────────────────────────────────────────

/** Rows of the keys table at a moment, as the live table shows at most. */
const KEYS_AT_MOST = 300;
let keysTimer: ReturnType<typeof setTimeout> | null = null;
let cursors: { trace: Trace; byBoot: Map<Trace['boots'][number], InstanceType<typeof import('../../../server/src/node/replay/replay-cursor').ReplayCursor>> } | null = null;

/**
 * The keys table as it was: every core replayed to the moment (or the fork's own cores) and
 * asked for its keys. Going back replays from the start, so it waits until the learner stops
 * moving for a moment.
 */
function scheduleKeys(momentTime: number): void {
  if (keysTimer) clearTimeout(keysTimer);
  const { actions } = appStore.getState();
  actions.setMomentKeys({ table: null, tableAt: null, tableError: null });
  keysTimer = setTimeout(() => {
    keysTimer = null;
    void keysNow()
      .then((table) => table && actions.setMomentKeys({ table, tableAt: momentTime, tableError: null }))
      .catch((err: unknown) => actions.setMomentKeys({ tableError: `the keys at this moment: ${err instanceof Error ? err.message : String(err)}` }));
  }, 250);
}

async function keysNow(): Promise<KeysTable | null> {
  if (!open) return null;
  const listings = new Map<string, { appliedIndex: number; entries: [string, { value: string; index: number }][] } | null>();
  const ids = traceNodes(open.trace);
  if (forked) {
    for (const id of ids) {
      const l = forked.fork.listing(id, KEYS_AT_MOST);
      listings.set(id, l && { appliedIndex: forked.fork.status(id)?.appliedIndex ?? 0, entries: l.entries });
    }
  } else {
    const [{ whereEachNodeWas }, { ReplayCursor }] = await Promise.all([import('../../../server/src/sim/fork-point'), import('../../../server/src/node/replay/replay-cursor')]);
    if (!open) return null;
    // Each recorded core is kept at the last moment asked for: moving on replays only the steps between.
    if (cursors?.trace !== open.trace) cursors = { trace: open.trace, byBoot: new Map() };
    const byBoot = cursors.byBoot;
    for (const [id, where] of whereEachNodeWas(open.trace, open.run.events.slice(0, open.index + 1))) {
      if (!where.record || !where.alive) {
        listings.set(id, null);
        continue;
      }
      let cursor = byBoot.get(where.record);
      if (!cursor) byBoot.set(where.record, (cursor = new ReplayCursor(where.record)));
      const core = cursor.coreAfter(where.taken);
      listings.set(id, { appliedIndex: core.status().appliedIndex, entries: core.list(KEYS_AT_MOST).entries });
    }
  }
  const keys = new Map<string, Record<string, { value: string; index: number } | null>>();
  for (const [id, l] of listings) for (const [key, v] of l?.entries ?? []) (keys.get(key) ?? keys.set(key, {}).get(key)!)[id] = v;
  return {
    nodes: ids.map((id) => ({ id, appliedIndex: listings.get(id)?.appliedIndex ?? 0, reachable: listings.get(id) !== null })),
    keys: [...keys.keys()].sort().slice(0, KEYS_AT_MOST).map((key) => ({ key, values: Object.fromEntries(ids.map((id) => [id, keys.get(key)![id] ?? null])) })),
    truncated: keys.size > KEYS_AT_MOST,
  };
}

// ── Payloads ─────────────────────────────────────────────────────────────────────────────────

/** What a message carried, by id: from its receiver's recorded input (built once per open run). */
let payloads: { trace: Trace; byId: Map<string, unknown> } | null = null;

/**
 * The payload of a message of the run on screen, as JSON (cut at `maxChars`): what its receiver
 * was given, from the trace; for one sent in a fork, what the fork's core sent. Null when the
 * page shows the present (the live events do not carry payloads) or the message never arrived.
 */
export function payloadOf(id: string, maxChars = 600): string | null {
  if (!open) return null;
  if (payloads?.trace !== open.trace) {
    const byId = new Map<string, unknown>();
    for (const b of open.trace.boots) for (const i of b.inputs) if (i.cause !== undefined && i.input.type === 'message') byId.set(i.cause, i.input.msg);
    payloads = { trace: open.trace, byId };
  }
  const msg = payloads.byId.get(id) ?? forked?.fork.inFlight().find((f) => f.id === id)?.msg;
  if (msg === undefined) return null;
  const json = JSON.stringify(msg);
  return json.length > maxChars ? `${json.slice(0, maxChars)}…` : json;
}
