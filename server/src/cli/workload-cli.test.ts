import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkloadHistoryFile } from '@clusterlab/shared';
import { runTsProgram } from '../test-utils/processes';
import { parseWorkloadCli, UsageError } from './workload-args';

/** npm run workload, as a person runs it: a real cluster of its own, a report, an exit code. */

const CLI = fileURLToPath(new URL('./workload.ts', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const runCli = (args: string[]) => runTsProgram(CLI, args);

const never = () => {
  throw new Error('read no file');
};

describe('npm run workload', () => {
  it('runs Raft on a cluster of its own, says it kept its promises, and saves a history npm run check reads', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clusterlab-workload-'));
    dirs.push(dir);
    const file = path.join(dir, 'history.json');
    const { code, stdout, stderr } = await runCli(['--algorithm', 'raft', '--duration', '2s', '--clients', '3', '--keys', '3', '--history', file]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Clusterlab workload on real processes — 3 nodes · 2s · no faults · Raft · reads linearizable · 3 clients on 3 keys');
    expect(stdout).toMatch(/checker +✓ Linearizable/);
    expect(stdout).toContain('✓ Raft kept its promises: no acknowledged write lost, and every read was linearizable');
    const saved = WorkloadHistoryFile.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(saved.history.length).toBeGreaterThan(10);
    expect(Object.keys(saved.finalStates ?? {})).toHaveLength(3);
  });

  it('refuses bad flags with exit code 2 and a sentence', { timeout: 30_000 }, async () => {
    const { code, stderr } = await runCli(['--faults', 'earthquakes']);
    expect(code).toBe(2);
    expect(stderr).toContain('earthquakes');
  });
});

describe('the workload flags', () => {
  it('turn into the spec the API takes, with the read mode each algorithm promises by default', () => {
    const raft = parseWorkloadCli(['--algorithm', 'raft', '--nodes', '5', '--duration', '60s', '--mix', '2,1,0'], never, () => 7);
    expect(raft.spec).toMatchObject({ clients: 10, durationMs: 60_000, keys: 10, mix: { read: 2, write: 1, delete: 0 }, read: 'linearizable', through: 'leader' });
    expect(parseWorkloadCli(['--mix', '1,0.2,0,2'], never, () => 7).spec.mix).toEqual({ read: 1, write: 0.2, delete: 0, cas: 2 });
    expect(raft.nodes).toBe(5);
    expect(parseWorkloadCli([], never, () => 7).spec.read).toBe('local');
  });

  it('draw random faults from a seed, inside the run, so the same seed draws the same faults', () => {
    const a = parseWorkloadCli(['--faults', 'partitions,crashes', '--duration', '30s', '--seed', '11'], never, () => 1);
    const b = parseWorkloadCli(['--faults', 'partitions,crashes', '--duration', '30s'], never, () => 11);
    expect(a.spec.faults!.length).toBeGreaterThan(0);
    expect(a.spec.faults).toEqual(b.spec.faults);
    expect(a.faultsLabel).toBe('faults: partitions, crashes (seed 11)');
    expect(a.spec.faults!.every((s) => s.at >= 1000 && s.at <= 29_000)).toBe(true);
  });

  it.each([
    [['--nodes', '0'], '--nodes'],
    [['--clients', 'many'], '--clients'],
    [['--mix', '1,1'], '--mix'],
    [['--mix', '1,1,0,1,1'], '--mix'],
    [['--read', 'eventually'], '--read'],
    [['--duration', 'forever'], '--duration'],
    [['--faults', 'partitions', '--schedule', 'x.json'], '--schedule'],
    [['--surprise'], 'surprise'],
  ])('refuse %j naming %s', (args, flag) => {
    expect(() => parseWorkloadCli(args, never, () => 1)).toThrow(UsageError);
    expect(() => parseWorkloadCli(args, never, () => 1)).toThrow(flag);
  });
});
