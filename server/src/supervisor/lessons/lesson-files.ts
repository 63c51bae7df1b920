import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario, type Scenario } from '@clusterlab/shared';

/** The lessons that come with the playground: one scenario file each. */
export const DEFAULT_LESSONS_DIR = fileURLToPath(new URL('../../../../lessons', import.meta.url));

/**
 * Every `<id>.json` in `dir` (`lessons/split-brain.json`), in the order of their numbers.
 * A file that is not a scenario, or whose name is not its id, stops the supervisor with its
 * name and what is wrong: a lesson that cannot run is a bug, not something to skip.
 */
export function loadLessons(dir: string): Scenario[] {
  const lessons = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const lesson = parseScenario(readFileSync(join(dir, f), 'utf8'), join('lessons', f));
      if (f !== `${lesson.id}.json`) throw new Error(`lessons/${f}: a lesson's file is named for its id: ${lesson.id}.json`);
      return lesson;
    });
  const numbers = new Map<number, string>();
  for (const l of lessons) {
    const other = numbers.get(l.number);
    if (other) throw new Error(`lessons/${l.id}.json: number ${l.number} is ${other}'s too`);
    numbers.set(l.number, l.id);
  }
  return lessons.sort((a, b) => a.number - b.number);
}
