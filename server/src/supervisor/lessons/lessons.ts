import type { AlgorithmId, EventBody, LessonRunMode, LessonRunView, LessonSummary, Scenario } from '@clusterlab/shared';
import { runScenario } from '../../scenario/run-scenario';
import type { ScenarioHost } from '../../scenario/scenario-host';
import { StepGate } from './step-gate';

export type { LessonRunView, LessonSummary } from '@clusterlab/shared';

/** Why a run cannot do what it was asked, for a 409. */
export class LessonStateError extends Error {}

export type StartOptions = { mode?: LessonRunMode; to?: number; algorithm?: AlgorithmId; keepGoing?: boolean };

/** In a comparison, how long a step waits for a moment the other design may never have. */
const COMPARE_AWAIT_MS = 8_000;

type Current = { view: LessonRunView; abort: AbortController; gate: StepGate; done: Promise<void> };

/**
 * The lessons, and the one being run. A run starts a fresh cluster of the lesson's algorithm
 * and size and plays its steps — all of them, or (mode `step`) up to a step and then as the
 * learner says; each step is said on the event stream (lesson.step) as it starts and ends, a
 * pause as lesson.paused. Starting another run stops this one first. Going back is a fresh run
 * to the earlier step: a real cluster cannot be wound back, only replayed.
 */
export class Lessons {
  private readonly byId: Map<string, Scenario>;
  private current: Current | null = null;
  private next = 1;

  constructor(
    lessons: readonly Scenario[],
    private readonly host: () => ScenarioHost & { close(): void },
    private readonly emit: (body: EventBody) => void,
  ) {
    this.byId = new Map(lessons.map((l) => [l.id, l]));
  }

  list(): LessonSummary[] {
    return [...this.byId.values()].map((l) => ({ id: l.id, number: l.number, title: l.title, summary: l.summary, algorithm: l.algorithm, nodes: l.nodes, steps: l.steps.map((s) => ({ title: s.title, say: s.say })) }));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  algorithmOf(id: string): AlgorithmId {
    return this.byId.get(id)!.algorithm;
  }

  steps(id: string): number {
    return this.byId.get(id)?.steps.length ?? 0;
  }

  run(id: string): LessonRunView | undefined {
    return this.current?.view.run === id ? this.current.view : undefined;
  }

  /** The latest run, ended or not: what a page that has just loaded shows. */
  latest(): LessonRunView | null {
    return this.current?.view ?? null;
  }

  /**
   * Starts lesson `id` (stopping one that runs); resolves once its cluster is being set up.
   * With mode `step` it pauses once `to` steps are done (`to` past the last: plays to the end).
   * Under another `algorithm` than the lesson's, or with `keepGoing` (a comparison), see RunOptions.
   */
  async start(id: string, how: StartOptions = {}): Promise<LessonRunView> {
    const { mode = 'all', to = 1 } = how;
    const written = this.byId.get(id)!;
    const lesson = how.algorithm ? { ...written, algorithm: how.algorithm } : written;
    await this.stop();
    const run = `l${this.next++}`;
    const view: LessonRunView = {
      run,
      lesson: id,
      algorithm: lesson.algorithm,
      mode,
      state: 'running',
      pausedAfter: null,
      steps: lesson.steps.map((s, index) => ({ index, title: s.title, state: 'pending', detail: null })),
      history: [],
      verdict: null,
      startedAt: Date.now(),
      endedAt: null,
    };
    const abort = new AbortController();
    const gate = new StepGate(mode === 'all' ? Infinity : to, abort.signal, {
      paused: (done) => {
        Object.assign(view, { state: 'paused', pausedAfter: done });
        this.emit({ kind: 'lesson.paused', data: { run, lesson: id, done } });
      },
      resumed: () => Object.assign(view, { state: 'running', pausedAfter: null }),
    });
    const host = this.host();
    const done = (async () => {
      try {
        const outcome = await runScenario(lesson, host, {
          signal: abort.signal,
          history: view.history,
          ...(how.keepGoing ? { keepGoing: { awaitMs: COMPARE_AWAIT_MS } } : {}),
          beforeStep: (n) => gate.before(n),
          onStep: (r) => {
            view.steps[r.index] = r;
            const state = r.state === 'pending' ? 'running' : r.state;
            this.emit({ kind: 'lesson.step', data: { run, lesson: id, step: r.index, title: r.title, state, detail: r.detail, nodes: r.moment?.nodes ?? [], eventSeq: r.moment?.eventSeq ?? null } });
          },
          onVerdict: (verdict) => {
            view.verdict = verdict;
            this.emit({ kind: 'lesson.verdict', data: { run, lesson: id, summary: verdict.summary, linearizable: verdict.linearizable, lostWrites: verdict.lostWrites, staleReads: verdict.staleReads } });
          },
        });
        view.state = abort.signal.aborted ? 'stopped' : outcome.steps.every((r) => r.state === 'passed') ? 'passed' : 'failed';
      } catch (err) {
        view.state = abort.signal.aborted ? 'stopped' : 'failed';
        const first = view.steps.find((s) => s.state !== 'passed');
        if (first && !abort.signal.aborted) Object.assign(first, { state: 'failed', detail: `the lesson could not start: ${(err as Error).message}` });
      } finally {
        host.close();
        view.pausedAfter = null;
        view.endedAt = Date.now();
        this.emit({ kind: 'lesson.ended', data: { run, lesson: id, passed: view.state === 'passed' } });
      }
    })();
    this.current = { view, abort, gate, done };
    return view;
  }

  /** A paused run plays on until `to` steps are done (default one more); Infinity: to the end. */
  advance(run: string, to?: number): LessonRunView {
    const c = this.current;
    if (!c || c.view.run !== run) throw new LessonStateError(`lesson run ${run} is not the latest`);
    if (c.view.state !== 'paused' || c.view.pausedAfter === null) throw new LessonStateError(`lesson run ${run} is ${c.view.state}, not paused: only a paused run goes on`);
    const target = to ?? c.view.pausedAfter + 1;
    if (target <= c.view.pausedAfter) throw new LessonStateError(`${c.view.pausedAfter} steps are done already; going back to step ${target} is a fresh run (POST /api/lessons/${c.view.lesson}/run with mode "step" and "to": ${target})`);
    // Running from now on, in the answer too: the gate wakes the run a moment later.
    Object.assign(c.view, { state: 'running', pausedAfter: null });
    c.gate.release(target);
    return c.view;
  }

  /** Stops the lesson that runs (only if it is run `only`, when given), if any, and waits for it to let go. */
  async stop(only?: string): Promise<void> {
    const c = this.current;
    if (!c || c.view.endedAt !== null || (only !== undefined && c.view.run !== only)) return;
    c.abort.abort();
    await c.done;
  }
}
