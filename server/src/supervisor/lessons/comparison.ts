import type { AlgorithmId, LessonComparisonView, LessonRunView } from '@clusterlab/shared';
import { parseJson, request } from '../http-client';
import type { Lessons } from './lessons';

/** The second cluster a comparison plays the other side on: a supervisor of its own, reached over HTTP. */
export type TwinCluster = { url: string; stop(): Promise<void>; killAllNow(): void };

const POLL_MS = 250;
const REQUEST_MS = 10_000;
/** A run's view: its history is a lesson's operations, a few thousand at most. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * A lesson played under both algorithms at once: this supervisor's own cluster plays it under
 * the lesson's algorithm, and a second supervisor, started for the purpose on its own ports,
 * secret and temp folder, plays it under the other — the same steps, the same faults, on real
 * processes both. Each side plays every step even when a moment does not come (that is the
 * difference to show), and each ends with the checker's verdict. The second cluster is stopped
 * when its side ends, when the comparison is stopped, or when the supervisor stops.
 */
export class Comparisons {
  private current: { view: LessonComparisonView; abort: AbortController; done: Promise<void> } | null = null;
  private twin: TwinCluster | null = null;
  private next = 1;

  constructor(
    private readonly lessons: Lessons,
    private readonly startTwin: () => Promise<TwinCluster>,
    private readonly log: (line: string) => void,
  ) {}

  latest(): LessonComparisonView | null {
    return this.current?.view ?? null;
  }

  /** Starts comparing lesson `id` (stopping a comparison under way); resolves at once, both sides starting. */
  async start(id: string): Promise<LessonComparisonView> {
    await this.stop();
    const own = this.lessons.algorithmOf(id);
    const other: AlgorithmId = own === 'bully' ? 'raft' : 'bully';
    const view: LessonComparisonView = {
      id: `c${this.next++}`,
      lesson: id,
      state: 'starting',
      error: null,
      sides: [
        { algorithm: own, run: null },
        { algorithm: other, run: null },
      ],
      startedAt: Date.now(),
      endedAt: null,
    };
    const abort = new AbortController();
    const done = this.play(view, other, abort.signal);
    this.current = { view, abort, done };
    return view;
  }

  /** For a process exiting this very moment: the second cluster's children too. */
  killAllNow(): void {
    this.twin?.killAllNow();
  }

  async stop(): Promise<void> {
    const c = this.current;
    if (!c || c.view.endedAt !== null) return;
    c.abort.abort();
    await c.done;
  }

  private async play(view: LessonComparisonView, other: AlgorithmId, signal: AbortSignal): Promise<void> {
    let twin: TwinCluster | null = null;
    const [mine, theirs] = view.sides as [LessonComparisonView['sides'][0], LessonComparisonView['sides'][0]];
    try {
      twin = this.twin = await this.startTwin();
      if (signal.aborted) throw new Stopped();
      const url = twin.url;
      mine.run = await this.lessons.start(view.lesson, { keepGoing: true });
      theirs.run = await ask<LessonRunView>(url, `api/lessons/${view.lesson}/run`, { algorithm: other, keepGoing: true });
      view.state = 'running';
      const ownRun = mine.run.run;
      const twinRun = theirs.run.run;
      for (;;) {
        await sleep(POLL_MS, signal);
        mine.run = this.lessons.run(ownRun) ?? mine.run;
        theirs.run = await ask<LessonRunView>(url, `api/lessons/runs/${twinRun}`);
        const ownEnded = mine.run.endedAt !== null;
        // The learner started something else on this cluster: the comparison has lost its side.
        if (ownEnded && mine.run.state === 'stopped') throw new Stopped();
        if (ownEnded && theirs.run.endedAt !== null) break;
      }
      view.state = 'ended';
    } catch (err) {
      if (err instanceof Stopped || signal.aborted) {
        view.state = 'stopped';
        // Only this comparison's own run: one the learner started since is theirs to keep.
        if (mine.run) await this.lessons.stop(mine.run.run);
      } else {
        view.state = 'failed';
        view.error = `the comparison could not go on: ${(err as Error).message}`;
        this.log(`[supervisor] ${view.error}`);
      }
    } finally {
      await twin?.stop().catch((err: Error) => this.log(`[supervisor] stopping the comparison's cluster: ${err.message}`));
      this.twin = null;
      view.endedAt = Date.now();
    }
  }
}

class Stopped extends Error {}

/** The second supervisor's API, through the supervisor's one HTTP client (a deadline, a cap on the answer). */
async function ask<T>(base: string, path: string, body?: unknown): Promise<T> {
  const answer = await request(new URL(path, base).href, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    timeoutMs: REQUEST_MS,
    maxBodyBytes: MAX_ANSWER_BYTES,
  });
  const parsed = parseJson(answer.body) as (T & { error?: string }) | undefined;
  if (answer.status >= 300 || parsed === undefined) throw new Error(`the second cluster answered ${answer.status}: ${parsed?.error ?? 'no reason given'}`);
  return parsed;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Stopped());
    const stopped = () => (clearTimeout(t), reject(new Stopped()));
    const t = setTimeout(() => (signal.removeEventListener('abort', stopped), resolve()), ms);
    signal.addEventListener('abort', stopped, { once: true });
  });
}
