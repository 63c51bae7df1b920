import { describe, expect, it } from 'vitest';
import { DEFAULT_LESSONS_DIR, loadLessons } from '../supervisor/lessons/lesson-files';
import { runScenario } from '../scenario/run-scenario';
import { SimScenarioHost } from './scenario-host';

/**
 * Every lesson, in the simulator: the same scenario file as the dashboard runs on real
 * processes, here in virtual time with every invariant checked after every step. Each step's
 * moment must come, for several seeds (which draw different timeouts and latencies), and the
 * same seed must play the lesson the same way.
 */
const LESSONS = loadLessons(DEFAULT_LESSONS_DIR);

describe('the lessons, in the simulator', () => {
  for (const lesson of LESSONS) {
    it(`${lesson.id}: every step's moment happens, for seeds 1..5`, async () => {
      for (let seed = 1; seed <= 5; seed++) {
        const { steps: reports } = await runScenario(lesson, new SimScenarioHost(seed));
        expect(reports.filter((r) => r.state !== 'passed').map((r) => `seed ${seed}, ${r.title}: ${r.detail}`)).toEqual([]);
      }
    });
  }

  it('plays a lesson the same way from the same seed', async () => {
    const lesson = LESSONS.find((l) => l.id === 'split-brain')!;
    const play = async () => {
      const host = new SimScenarioHost(7);
      await runScenario(lesson, host);
      return host.simulation.trace.map((e) => `${e.time} ${e.node} ${e.kind}`);
    };
    const first = await play();
    expect(first.length).toBeGreaterThan(100);
    expect(await play()).toEqual(first);
  });
});
