import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runTsProgram } from '../test-utils/processes';
import { useSupervisor } from '../test-utils/test-supervisor';

/** npm run nemesis: a simulator schedule played against a running cluster, step by step, through the fault API. */

const CLI = fileURLToPath(new URL('./nemesis.ts', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scheduleFile(schedule: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'clusterlab-nemesis-'));
  dirs.push(dir);
  const file = path.join(dir, 'schedule.json');
  writeFileSync(file, JSON.stringify(schedule));
  return file;
}

const nemesis = (args: string[]) => runTsProgram(CLI, args);

describe('npm run nemesis', () => {
  const lab = useSupervisor({ nodes: 3 });

  it('plays a schedule with its timing: each fault applied, healed and said, and what it left in force healed at the end', { timeout: 60_000 }, async () => {
    await lab.waitForLeader();
    const since = (await lab.events()).lastSeq;
    const file = scheduleFile({
      description: 'cut n1 off, heal it; pause n2 and resume it; a loss left in force',
      faults: [
        { at: 0, id: 'isolate-n1', fault: { kind: 'partition', groups: [['n1'], ['n2', 'n3']] } },
        { at: 600, heal: 'isolate-n1' },
        { at: 700, fault: { kind: 'pause', node: 'n2' } },
        { at: 900, fault: { kind: 'resume', node: 'n2' } },
        { at: 1000, fault: { kind: 'loss', rate: 0.1 } },
      ],
    });
    const { code, stdout, stderr } = await nemesis(['--schedule', file, '--url', lab.supervisor.url]);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/partition-\d+: n1 is cut off from n2 and n3, both ways/);
    expect(stdout).toMatch(/healed partition-\d+/);
    expect(stdout).toContain('n2 is now paused');
    expect(stdout).toContain('n2 is now running');

    const events = (await lab.events(since)).events;
    const applied = events.find((e) => e.kind === 'fault.network' && e.data.fault.kind === 'partition')!;
    const healed = events.find((e) => e.kind === 'fault.healed' && e.data.fault.kind === 'partition')!;
    // The file's timing: steps are due at their times from the start, so the heal comes about 600 ms
    // after the partition (less when applying it was slow, more on a loaded machine).
    expect(healed.time - applied.time).toBeGreaterThan(400);
    expect(healed.time - applied.time).toBeLessThan(1500);
    expect(events.filter((e) => e.kind === 'fault.injected').map((e) => e.data.action)).toEqual(['pause', 'resume']);
    // The loss was never healed by the schedule: the nemesis healed it on the way out.
    expect(events.some((e) => e.kind === 'fault.healed' && e.data.fault.kind === 'loss')).toBe(true);
    expect((await lab.cluster()).nodes.every((n) => n.status === 'running')).toBe(true);
  });

  it('says which step the cluster refused, plays the rest, and exits 1', { timeout: 30_000 }, async () => {
    const file = scheduleFile([
      { at: 0, fault: { kind: 'kill', node: 'n7' } },
      { at: 100, id: 'slow', fault: { kind: 'delay', ms: 50, jitterMs: 0 } },
    ]);
    const { code, stdout } = await nemesis(['--schedule', file, '--url', lab.supervisor.url]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ At 0 ms the schedule's step could not be done: 404: no party "n7"/);
    expect(stdout).toMatch(/delay-\d+: /);
  });

  it('refuses a file that is not a schedule, naming what is wrong, with exit code 2', { timeout: 30_000 }, async () => {
    const file = scheduleFile([{ at: 100, heal: 'never-applied' }]);
    const { code, stderr } = await nemesis(['--schedule', file, '--url', lab.supervisor.url]);
    expect(code).toBe(2);
    expect(stderr).toContain('never-applied');
  });
});
