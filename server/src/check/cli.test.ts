import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkHistoryText, EXIT } from './cli';
import { HistoryBuilder } from './history-builder';

function staleHistory() {
  const h = new HistoryBuilder();
  h.write('k', '5', 0, 800);
  h.write('k', '7', 1000, 1200);
  h.read('k', '5', 2050, 2100);
  return h.build();
}

describe('the checker CLI', () => {
  it('a linearizable history exits 0 and says so', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 10);
    h.read('k', '1', 20, 30);
    const { exitCode, output } = checkHistoryText(JSON.stringify(h.build()));
    expect(exitCode).toBe(EXIT.linearizable);
    expect(output).toMatch(/^Linearizable: 2 operations on 1 key/);
  });

  it('a non-linearizable history exits 1 with the explanation and the named anomalies', () => {
    const { exitCode, output } = checkHistoryText(JSON.stringify(staleHistory()));
    expect(exitCode).toBe(EXIT.notLinearizable);
    expect(output).toContain('write k=7 was acknowledged at t=1.20 s, but a read at t=2.05 s (which started after it finished) returned 5');
    expect(output).toContain('Named anomalies:\n  Stale read #3');
    expect(output).not.toContain('Lost write #');
    expect(output).toContain("Note: Lost writes and divergent replicas were not checked: they need each node's final state.");
  });

  it('with final states, lost writes are judged against them', () => {
    const text = JSON.stringify({ history: staleHistory(), finalStates: { n1: { k: '5' }, n2: { k: '5' } } });
    const { output } = checkHistoryText(text);
    expect(output).toContain(
      'Named anomalies:\n  Lost write #2: write k=7 was acknowledged at t=1.20 s, but the cluster ended with k=5, ' +
        'written by #1 and acknowledged at t=0.80 s, before #2 began (t=1.00 s): #2 was undone, not overwritten.\n  Stale read #3',
    );
    expect(output).not.toContain('Note:');
  });

  it('text that is not JSON exits 2 with a clear error', () => {
    const { exitCode, output } = checkHistoryText('[{');
    expect(exitCode).toBe(EXIT.badInput);
    expect(output).toMatch(/^Bad input: not JSON/);
  });

  it('JSON that is not a history exits 2 and points at the bad field', () => {
    const { exitCode, output } = checkHistoryText(JSON.stringify([{ ...staleHistory()[0], kind: 'increment' }]));
    expect(exitCode).toBe(EXIT.badInput);
    expect(output).toContain('at [0].kind: Invalid option');
  });

  it('a history that breaks the rules the schema cannot see exits 2', () => {
    const [first] = staleHistory();
    const { exitCode, output } = checkHistoryText(JSON.stringify([{ ...first, completeMs: null }]));
    expect(exitCode).toBe(EXIT.badInput);
    expect(output).toContain('op 1: an ok op needs a completeMs');
  });

  it('a history the checker gives up on exits 3', () => {
    // Values written twice leave the read's source open, so the search decides, and runs out of steps.
    const h = new HistoryBuilder();
    for (let i = 0; i < 10; i++) h.write('k', String(i % 5), 0, 100);
    h.read('k', '3', 200, 210);
    const { exitCode, output } = checkHistoryText(JSON.stringify(h.build()), { maxStatesPerKey: 5 });
    expect(exitCode).toBe(EXIT.undecided);
    expect(output).toMatch(/^Undecided/);
  });

  it('with final states, divergent replicas are reported too', () => {
    const text = JSON.stringify({ history: [], finalStates: { n1: { k: '1' }, n2: { k: '2' } } });
    const { exitCode, output } = checkHistoryText(text);
    expect(exitCode).toBe(EXIT.linearizable);
    expect(output).toContain('Divergent replicas: nodes disagree on k: n1 has 1; n2 has 2.');
  });

  it('--json prints the whole result', () => {
    const { output } = checkHistoryText(JSON.stringify(staleHistory()), { json: true });
    const parsed = JSON.parse(output);
    expect(parsed.verdict).toBe('not-linearizable');
    expect(parsed.keys[0].violation.witnessOpIds).toEqual([1, 2, 3]);
    expect(parsed.anomalies.staleReads[0].readOpId).toBe(3);
  });

  it('as a program, it reads a file or stdin and exits with the verdict', () => {
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const run = (args: string[], input?: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { input, encoding: 'utf8', timeout: 20_000 });

    const fromStdin = run([], JSON.stringify(staleHistory()));
    expect(fromStdin.status).toBe(1);
    expect(fromStdin.stdout).toContain('Key k is not linearizable');

    const file = join(mkdtempSync(join(tmpdir(), 'clusterlab-check-')), 'history.json');
    writeFileSync(file, '[]');
    expect(run([file]).status).toBe(0);

    const missing = run([join(tmpdir(), 'no-such-history.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/Bad input: cannot read .*no-such-history\.json/);
  });
});
