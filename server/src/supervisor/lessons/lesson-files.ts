import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario, type Scenario } from '@clusterlab/shared';

/** The lessons that come with the playground: one scenario file each. */
export const DEFAULT_LESSONS_DIR = fileURLToPath(new URL('../../../../lessons', import.meta.url));

/**
 * Every `*.json` in `dir`, in file-name order (they are numbered: `01-first-election.json`).
 * A file that is not a scenario stops the supervisor with its name and what is wrong: a lesson
 * that cannot run is a bug, not something to skip.
 */
export function loadLessons(dir: string): Scenario[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const lessons = files.map((f) => parseScenario(readFileSync(join(dir, f), 'utf8'), join('lessons', f)));
  const ids = new Set<string>();
  for (const [i, l] of lessons.entries()) {
    if (ids.has(l.id)) throw new Error(`lessons/${files[i]}: the id ${l.id} is another lesson's too`);
    ids.add(l.id);
  }
  return lessons;
}
