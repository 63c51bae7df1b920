import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseTrace } from '@clusterlab/shared';
import { defaultOptions } from '../../sim/options';
import { runSimulation } from '../../sim/runner';
import { ReplayCursor } from './replay-cursor';
import { replayBoot } from './replay-boot';

const record = () => {
  const r = runSimulation(defaultOptions({ seed: 12, nodes: 3, durationMs: 4000, settings: { ...DEFAULT_SETTINGS, algorithm: 'raft' }, trace: true, check: false }));
  return parseTrace(r.traceFile()!).boots[0]!;
};
const state = (core: ReturnType<ReplayCursor['coreAfter']>) => JSON.stringify([core.status(), core.list(1000)]);

describe('a replay cursor', () => {
  it('gives, forward and back, the core a replay from the boot gives at that step', () => {
    const r = record();
    const cursor = new ReplayCursor(r);
    for (const steps of [10, 50, 51, r.inputs.length, 30, 0, 200]) {
      expect(state(cursor.coreAfter(steps)), `after ${steps} steps`).toBe(state(replayBoot(r, { upTo: steps }).core));
      expect(cursor.steps).toBe(Math.min(steps, r.inputs.length));
    }
  });
});
