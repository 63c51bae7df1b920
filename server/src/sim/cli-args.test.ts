import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@clusterlab/shared';
import { parseCli, parseSeeds, UsageError } from './cli-args';
import { defaultOptions, replayCommand } from './options';

const noFiles = (file: string): unknown => {
  throw new Error(`no file ${file}`);
};
const argv = (command: string) => command.replace(/^npm run sim -- /, '').split(' ');

describe('the sim command line', () => {
  it('a replay command parses back into the options it was made from', () => {
    const options = defaultOptions({
      seed: 42,
      nodes: 5,
      durationMs: 60_000,
      faults: ['partitions', 'crashes'],
      settings: { ...DEFAULT_SETTINGS, writeAck: 'all', electionTimeoutMaxMs: 400 },
      clients: 4,
      keys: 2,
      readFrom: 'any',
      clientTimeoutMs: 4000,
      latency: { minMs: 2, meanJitterMs: 5 },
      settleTimeoutMs: 20_000,
      workload: 'bank',
      casShare: 0.25,
    });
    expect(parseCli(argv(replayCommand(options)), noFiles).options).toEqual(options);
  });

  it('takes a lesson to play, and refuses a workload or a cas share it does not know', () => {
    expect(parseCli(['--scenario', 'lessons/split-brain.json', '--seed', '4'], noFiles)).toMatchObject({ scenarioFile: 'lessons/split-brain.json', options: { seed: 4 } });
    expect(() => parseCli(['--workload', 'queue'], noFiles)).toThrow(/--workload must be registers or bank/);
    expect(() => parseCli(['--cas', '0.9'], noFiles)).toThrow(/--cas must be a share from 0 to 0.4/);
  });

  it('a hand-written schedule is read, checked against the cluster, and named in the replay command', () => {
    const files: Record<string, unknown> = { 'kill.json': [{ at: 2000, fault: { kind: 'kill', node: 'n3' } }] };
    const req = parseCli(['--schedule', 'kill.json', '--nodes', '3'], (f) => files[f]);
    expect(req.options.schedule?.faults).toHaveLength(1);
    expect(replayCommand(req.options)).toContain('--schedule kill.json');
    expect(() => parseCli(['--schedule', 'kill.json', '--nodes', '2'], (f) => files[f])).toThrow(/n3/);
  });

  it('reads seeds as a range or a list, and durations with units', () => {
    expect(parseSeeds('1..5')).toEqual([1, 2, 3, 4, 5]);
    expect(parseSeeds('3,7,42')).toEqual([3, 7, 42]);
    expect(parseCli(['--seeds', '1..500', '--duration', '1500ms'], noFiles)).toMatchObject({ seeds: { length: 500 }, options: { durationMs: 1500 } });
    expect(parseCli(['--faults', 'all'], noFiles).options.faults).toHaveLength(8);
  });

  it('refuses nonsense with a usage error that says what is wrong', () => {
    expect(() => parseCli(['--faults', 'meteors'], noFiles)).toThrow(UsageError);
    expect(() => parseCli(['--nodes', '0'], noFiles)).toThrow(/--nodes/);
    expect(() => parseCli(['--write-ack', 'some'], noFiles)).toThrow(UsageError);
    expect(() => parseCli(['--duration', 'forever'], noFiles)).toThrow(/duration/);
    expect(() => parseCli(['--bogus'], noFiles)).toThrow(UsageError);
  });
});
