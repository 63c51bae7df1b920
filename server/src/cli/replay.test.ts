import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultOptions } from '../sim/options';
import { runSimulation } from '../sim/runner';
import { runTsProgram } from '../test-utils/processes';
import { REPLAY_EXIT, replayTraceText } from './replay-report';

const trace = () => runSimulation(defaultOptions({ seed: 7, nodes: 3, durationMs: 4000, faults: ['crashes', 'partitions'], trace: true, check: false })).traceFile()!;

describe('npm run replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clusterlab-replay-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says every core of a recorded run gave its recorded outputs, and how fast the replay went', async () => {
    const file = join(dir, 'seed7.ndjson');
    writeFileSync(file, trace());
    const { code, stdout } = await runTsProgram(fileURLToPath(new URL('./replay.ts', import.meta.url)), [file]);
    expect(code).toBe(REPLAY_EXIT.match);
    expect(stdout).toMatch(/^simulated run sim-7 \(seed 7\): bully, 3 nodes, \d+ node processes/);
    expect(stdout).toMatch(/ {2}n1 \(boot 1\): [\d,]+ steps, all as recorded/);
    expect(stdout).toMatch(/every step of every core gave its recorded outputs: [\d,]+ steps replayed in \d+ ms \([\d,]+ steps\/s\)/);
  });

  it('names the step that differs, with its input, and exits 1', () => {
    const lines = trace().split('\n');
    const i = lines.findIndex((l) => l.includes('"node":"n2"') && l.includes('"step":10,'));
    lines[i] = lines[i]!.replace(/"out":"[0-9a-f]{8}"/, '"out":"00000000"');
    const { exitCode, output } = replayTraceText(lines.join('\n'));
    expect(exitCode).toBe(REPLAY_EXIT.mismatch);
    expect(output).toMatch(/n2 \(boot 1\): step 10 of \d+ differs — recorded outputs 00000000, replayed [0-9a-f]{8}; the input was \{"type":/);
  });

  it('refuses a file that is not a trace with exit 2, naming the line', () => {
    const { exitCode, output } = replayTraceText('{"type":"trace","version":1}\n');
    expect(exitCode).toBe(REPLAY_EXIT.badInput);
    expect(output).toMatch(/^not a trace: line 1: not a trace line/);
  });
});
