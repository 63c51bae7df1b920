import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forbiddenCalls, NONDETERMINISM } from '../test-utils/forbidden-calls';

/**
 * The lint rule behind "a core does no I/O and reads no clock": the same core must run in a
 * real process, in the simulator and (later) in the browser, so it may only use its inputs.
 * It covers the seam (core/), the replay of recorded cores (replay/) and every algorithm's
 * folder, however many there come to be.
 */
const IO = [/\bprocess\./, /\bfetch\(/, /from 'node:/, /require\(/];

const algorithmsDir = join(import.meta.dirname, 'algorithms');
const pureFolders = [
  join(import.meta.dirname, 'core'),
  join(import.meta.dirname, 'replay'),
  ...readdirSync(algorithmsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(algorithmsDir, d.name)),
];

describe('the pure cores', () => {
  it('covers the seam and at least the bully algorithm', () => {
    expect(pureFolders.map((f) => f.slice(import.meta.dirname.length + 1))).toEqual(expect.arrayContaining(['core', join('algorithms', 'bully')]));
  });

  for (const folder of pureFolders) {
    it(`${folder.slice(import.meta.dirname.length + 1)} uses no clock, randomness, timers, sockets or files of its own`, () => {
      const { files, offences } = forbiddenCalls(folder, [...NONDETERMINISM, ...IO]);
      expect(files).toBeGreaterThan(0);
      expect(offences).toEqual([]);
    });
  }
});
