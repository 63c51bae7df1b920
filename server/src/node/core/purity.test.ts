import { describe, expect, it } from 'vitest';
import { forbiddenCalls, NONDETERMINISM } from '../../test-utils/forbidden-calls';

/**
 * The lint rule behind "a core does no I/O and reads no clock": the same core must run in a
 * real process, in the simulator and (later) in the browser, so it may only use its inputs.
 */
const IO = [/\bprocess\./, /\bfetch\(/, /from 'node:/, /require\(/];

describe('the node core', () => {
  it('uses no clock, randomness, timers, sockets or files of its own', () => {
    const { files, offences } = forbiddenCalls(import.meta.dirname, [...NONDETERMINISM, ...IO]);
    expect(files).toBeGreaterThan(5);
    expect(offences).toEqual([]);
  });
});
