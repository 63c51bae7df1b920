import type { EventBody, Scenario } from '@clusterlab/shared';
import { runScenario, type StepReport } from '../../scenario/run-scenario';
import type { ScenarioHost } from '../../scenario/scenario-host';

/** What GET /api/lessons says of one lesson. */
export type LessonSummary = { id: string; number: number; title: string; summary: string; algorithm: Scenario['algorithm']; nodes: number; steps: { title: string; say: string }[] };

/** One run of a lesson, as GET /api/lessons/runs/:run shows it. */
export type LessonRunView = { run: string; lesson: string; state: 'running' | 'passed' | 'failed' | 'stopped'; steps: StepReport[]; startedAt: number; endedAt: number | null };

/**
 * The lessons, and the one being run. A run starts a fresh cluster of the lesson's algorithm
 * and size and plays its steps; each step is said on the event stream (lesson.step) as it
 * starts and ends. Starting another run stops this one first.
 */
export class Lessons {
  private readonly byId: Map<string, Scenario>;
  private current: { view: LessonRunView; abort: AbortController; done: Promise<void> } | null = null;
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

  run(id: string): LessonRunView | undefined {
    return this.current?.view.run === id ? this.current.view : undefined;
  }

  /** Starts lesson `id` (stopping one that runs); resolves once its cluster is being set up. */
  async start(id: string): Promise<LessonRunView> {
    const lesson = this.byId.get(id)!;
    await this.stop();
    const run = `l${this.next++}`;
    const view: LessonRunView = { run, lesson: id, state: 'running', steps: lesson.steps.map((s, index) => ({ index, title: s.title, state: 'pending', detail: null })), startedAt: Date.now(), endedAt: null };
    const abort = new AbortController();
    const host = this.host();
    const done = (async () => {
      try {
        const reports = await runScenario(lesson, host, (r) => {
          view.steps[r.index] = r;
          this.emit({ kind: 'lesson.step', data: { run, lesson: id, step: r.index, title: r.title, state: r.state === 'pending' ? 'running' : r.state, detail: r.detail } });
        }, abort.signal);
        view.state = abort.signal.aborted ? 'stopped' : reports.every((r) => r.state === 'passed') ? 'passed' : 'failed';
      } catch (err) {
        view.state = 'failed';
        const first = view.steps.find((s) => s.state !== 'passed');
        if (first) Object.assign(first, { state: 'failed', detail: `the lesson could not start: ${(err as Error).message}` });
      } finally {
        host.close();
        view.endedAt = Date.now();
        this.emit({ kind: 'lesson.ended', data: { run, lesson: id, passed: view.state === 'passed' } });
      }
    })();
    this.current = { view, abort, done };
    return view;
  }

  /** Stops the lesson that runs, if any, and waits for it to let go. */
  async stop(): Promise<void> {
    const c = this.current;
    if (!c || c.view.endedAt !== null) return;
    c.abort.abort();
    await c.done;
  }
}
