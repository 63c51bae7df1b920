import { describe, expect, it } from 'vitest';
import { forbiddenCalls, NONDETERMINISM } from '../test-utils/forbidden-calls';

/**
 * The link rules run inside the simulator, where a seed must replay a run, and inside every
 * node's transport: so they read no clock, draw only what they are handed, and touch nothing.
 */
const IO = [/\bprocess\./, /\bfetch\(/, /from 'node:/, /require\(/];

describe('the fault rules', () => {
  it('use no clock, randomness, timers, sockets or files of their own', () => {
    const { files, offences } = forbiddenCalls(import.meta.dirname, [...NONDETERMINISM, ...IO]);
    expect(files).toBeGreaterThanOrEqual(3);
    expect(offences).toEqual([]);
  });
});
