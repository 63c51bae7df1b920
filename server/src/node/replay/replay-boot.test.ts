import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseTrace, TraceFormatError, type AlgorithmId } from '@clusterlab/shared';
import { defaultOptions } from '../../sim/options';
import { runSimulation } from '../../sim/runner';
import { replayBoot } from './replay-boot';

/**
 * Exact replay: a core is pure, so re-running a recorded boot's inputs through a fresh core
 * gives the recorded outputs, step for step — for every node, every restart, every fault kind.
 * A mismatch would mean a core read something that is not its input.
 */
const ALL_FAULTS = ['partitions', 'crashes', 'pauses', 'drops', 'delays', 'duplicates', 'clocks'] as const;

function tracedRun(algorithm: AlgorithmId, seed: number) {
  const settings = { ...DEFAULT_SETTINGS, algorithm };
  const r = runSimulation(defaultOptions({ seed, nodes: 3, durationMs: 6000, faults: [...ALL_FAULTS], settings, trace: true, check: false }));
  return parseTrace(r.traceFile()!);
}

describe('replaying recorded simulator runs', () => {
  for (const algorithm of ['bully', 'raft'] as const) {
    it(`reproduces every step of every ${algorithm} core over 40 seeds of every fault kind`, { timeout: 60_000 }, () => {
      let steps = 0;
      let restarts = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const trace = tracedRun(algorithm, seed);
        restarts += trace.boots.length - 3;
        for (const record of trace.boots) {
          const replay = replayBoot(record);
          expect(replay.mismatch, `seed ${seed}, ${record.boot.boot}`).toBeNull();
          expect(replay.steps).toBe(record.inputs.length);
          steps += replay.steps;
        }
      }
      expect(steps).toBeGreaterThan(40 * 500);
      expect(restarts, 'crashes and restarts were replayed too').toBeGreaterThan(10);
    });
  }

  it('ends where a replay is asked to stop, with the core as it was then', () => {
    const trace = tracedRun('raft', 3);
    const record = trace.boots[0]!;
    const whole = replayBoot(record);
    const half = replayBoot(record, { upTo: Math.floor(record.inputs.length / 2) });
    expect(half.steps).toBe(Math.floor(record.inputs.length / 2));
    expect(half.core.status().lastIndex).toBeLessThanOrEqual(whole.core.status().lastIndex);
  });

  it('names the first step whose outputs differ from the recording', () => {
    const trace = tracedRun('bully', 5);
    const record = trace.boots[0]!;
    const tampered = { ...record, inputs: record.inputs.map((i, n) => (n === 40 ? { ...i, out: i.out === '00000000' ? '00000001' : '00000000' } : i)) };
    const replay = replayBoot(tampered);
    expect(replay.mismatch).toMatchObject({ step: 40, expected: tampered.inputs[40]!.out, got: record.inputs[40]!.out });
    expect(replay.steps).toBe(40);
  });
});

describe('reading a trace file', () => {
  const good = () => runSimulation(defaultOptions({ seed: 2, nodes: 3, durationMs: 2000, trace: true, check: false })).traceFile()!.split('\n');

  it('reads what the simulator writes', () => {
    const trace = parseTrace(good().join('\n'));
    expect(trace.header).toMatchObject({ type: 'trace', version: 1, source: 'sim', run: 'sim-2', seed: 2 });
    expect(trace.boots.map((b) => b.boot.node)).toEqual(['n1', 'n2', 'n3']);
    expect(trace.events.length).toBeGreaterThan(100);
  });

  it.each([
    ['a line that is not JSON', (l: string[]) => [...l.slice(0, 3), '{"type":"input",', ...l.slice(3)], /^line 4: not JSON/],
    ['a line of an unknown type', (l: string[]) => [...l.slice(0, 2), '{"type":"frame"}', ...l.slice(2)], /^line 3: not a trace line/],
    ['no header first', (l: string[]) => l.slice(1), /^line 1: a trace starts with its header line/],
    ['another version', (l: string[]) => [l[0]!.replace('"version":1', '"version":2'), ...l.slice(1)], /^line 1: not a trace line: version/],
    ['a step out of order', (l: string[]) => l.filter((_, i) => i !== l.findIndex((x) => x.includes('"step":3'))), /step 4 where step 3 was next/],
    ['an input of a boot never introduced', (l: string[]) => l.filter((x) => !x.includes('"type":"boot","node":"n2"')), /n2's boot 1 has no boot line before it/],
  ])('names the line of %s', (_, edit, message) => {
    expect(() => parseTrace(edit(good()).join('\n'))).toThrow(TraceFormatError);
    expect(() => parseTrace(edit(good()).join('\n'))).toThrow(message);
  });
});
