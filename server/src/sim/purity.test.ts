import { describe, expect, it } from 'vitest';
import { forbiddenCalls, NONDETERMINISM } from '../test-utils/forbidden-calls';

/**
 * A run must depend on its options alone, or a seed would not replay it. So no file of the
 * simulator reads the real clock, draws unseeded randomness or sets a real timer — except
 * cli.ts, which times sweeps (seeds/second) with performance.now and never hands that to a run.
 */
describe('the simulator', () => {
  it('reads no real clock and draws no unseeded randomness', () => {
    const { files, offences } = forbiddenCalls(import.meta.dirname, NONDETERMINISM, { 'cli.ts': [/\bperformance\.now\b/] });
    expect(files).toBeGreaterThan(10);
    expect(offences).toEqual([]);
  });
});
