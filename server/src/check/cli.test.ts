import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkHistoryText, EXIT, runCheck, type CliInput } from './cli';
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

  it('a file with cas ops is checked with their conditions: a chain of increments passes, two from one value do not', () => {
    const h = new HistoryBuilder();
    h.cas('k', null, '0', 0, 10); // If-None-Match: create
    h.cas('k', '0', '1', 20, 30);
    h.cas('k', '0', '1', 25, 35, { outcome: 'fail' }); // 412
    h.read('k', '1', 40, 50);
    h.cas('k', '1', null, 60, 70); // conditional delete
    const good = checkHistoryText(JSON.stringify(h.build()));
    expect(good.exitCode).toBe(EXIT.linearizable);
    expect(good.output).toMatch(/^Linearizable: 5 operations on 1 key/);

    const twice = new HistoryBuilder();
    twice.write('k', '5', 0, 100);
    twice.cas('k', '5', '6', 200, 400);
    twice.cas('k', '5', '7', 250, 450);
    const bad = checkHistoryText(JSON.stringify({ history: twice.build() }));
    expect(bad.exitCode).toBe(EXIT.notLinearizable);
    expect(bad.output).toContain(
      'Key k is not linearizable: cas #2 at t=0.20 s and cas #3 at t=0.25 s both changed k from 5 (to 6 and to 7), but ' +
        'only one of them can have seen 5',
    );
    expect(bad.output).toContain('#3 c3: cas k: 5 → 7, t=0.25 s → 0.45 s, ok');
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

  it('a cas without an expected value, or a write with one, exits 2 naming the op', () => {
    const [first] = staleHistory();
    const { exitCode, output } = checkHistoryText(JSON.stringify([{ ...first, kind: 'cas' }, { ...first, id: 2, expected: '4' }]));
    expect(exitCode).toBe(EXIT.badInput);
    expect(output).toContain('at [0].expected: op 1: a cas needs an expected value (null when the key must be absent)');
    expect(output).toContain('at [1].expected: op 2: only a cas carries an expected value, not a write');
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

  it('accepts an exported file with fields of its own beside the history', () => {
    const text = JSON.stringify({ spec: { workload: 'register' }, faults: [{ kind: 'partition' }], history: staleHistory(), finalStates: { n1: { k: '5' } } });
    const { exitCode, output } = checkHistoryText(text);
    expect(exitCode).toBe(EXIT.notLinearizable);
    expect(output).toContain('Lost write #2');
  });
});

describe('the checker CLI on several files', () => {
  const linearizable = (): CliInput => {
    const h = new HistoryBuilder();
    h.write('k', '1', 0, 10);
    h.read('k', '1', 20, 30);
    return { file: 'good.json', text: JSON.stringify(h.build()) };
  };
  const violated: CliInput = { file: 'stale.json', text: JSON.stringify(staleHistory()) };
  const undecided = (): CliInput => {
    const h = new HistoryBuilder();
    for (let i = 0; i < 10; i++) h.write('k', String(i % 5), 0, 100);
    h.read('k', '3', 200, 210);
    return { file: 'busy.json', text: JSON.stringify(h.build()) };
  };
  const notJson: CliInput = { file: 'broken.json', text: '[{' };
  const options = { maxStatesPerKey: 5 };

  it('prints one verdict per file, the file name first', () => {
    const { exitCode, stdout } = runCheck([linearizable(), violated], options);
    expect(exitCode).toBe(EXIT.notLinearizable);
    expect(stdout).toMatch(/^good\.json: Linearizable: 2 operations on 1 key/);
    expect(stdout).toMatch(/\n\nstale\.json: Not linearizable: 1 of 1 key has no valid order/);
    expect(stdout).toContain('\n  Key k is not linearizable: write k=7 was acknowledged at t=1.20 s');
  });

  it('exits 0 only when every file is linearizable, 1 when one is not, 3 when one is undecided and none is not', () => {
    expect(runCheck([linearizable(), linearizable()], options).exitCode).toBe(EXIT.linearizable);
    expect(runCheck([linearizable(), undecided()], options).exitCode).toBe(EXIT.undecided);
    expect(runCheck([undecided(), violated, linearizable()], options).exitCode).toBe(EXIT.notLinearizable);
  });

  it('exits 2 when any file is bad input, naming the file and what is wrong, and still checks the others', () => {
    const { exitCode, stdout, stderr } = runCheck([violated, notJson, { file: 'gone.json', readError: 'ENOENT: no such file' }], options);
    expect(exitCode).toBe(EXIT.badInput);
    expect(stderr).toMatch(/^broken\.json: Bad input: not JSON/m);
    expect(stderr).toMatch(/^gone\.json: Bad input: cannot read it \(ENOENT: no such file\)/m);
    expect(stdout).toMatch(/^stale\.json: Not linearizable/);
  });

  it('--json gives, per file and per key, the verdict and how long the key took', () => {
    const { stdout } = runCheck([linearizable(), violated, undecided(), notJson], { ...options, json: true });
    const report = JSON.parse(stdout);
    expect(report).toEqual([
      { file: 'good.json', verdict: 'linearizable', keys: [{ key: 'k', verdict: 'linearizable', ms: expect.any(Number) }] },
      { file: 'stale.json', verdict: 'not-linearizable', keys: [{ key: 'k', verdict: 'not-linearizable', ms: expect.any(Number) }] },
      { file: 'busy.json', verdict: 'unknown', keys: [{ key: 'k', verdict: 'unknown', ms: expect.any(Number) }] },
      { file: 'broken.json', verdict: 'bad-input', error: expect.stringMatching(/^Bad input: not JSON/) },
    ]);
    expect(report[1].keys[0].ms).toBeGreaterThan(0);
  });

  it('as a program, it reads files or stdin and exits with the verdict', () => {
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const run = (args: string[], input?: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { input, encoding: 'utf8', timeout: 20_000 });

    const fromStdin = run([], JSON.stringify(staleHistory()));
    expect(fromStdin.status).toBe(1);
    expect(fromStdin.stdout).toMatch(/^stdin: Not linearizable/);
    expect(fromStdin.stdout).toContain('Key k is not linearizable');

    const dir = mkdtempSync(join(tmpdir(), 'clusterlab-check-'));
    const empty = join(dir, 'empty.json');
    const stale = join(dir, 'stale.json');
    writeFileSync(empty, '[]');
    writeFileSync(stale, JSON.stringify({ history: staleHistory(), spec: {} }));
    expect(run([empty]).status).toBe(0);

    const both = run(['--json', empty, stale]);
    expect(both.status).toBe(1);
    expect(JSON.parse(both.stdout).map((f: { file: string; verdict: string }) => [f.file, f.verdict])).toEqual([
      [empty, 'linearizable'],
      [stale, 'not-linearizable'],
    ]);

    const missing = run([empty, join(tmpdir(), 'no-such-history.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no-such-history\.json: Bad input: cannot read it/);
    expect(missing.stdout).toContain('empty.json: Linearizable');
  });

  it('as a program, it checks a file of cas ops, and refuses one whose cas says nothing of what it expected', () => {
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'clusterlab-check-'));
    const h = new HistoryBuilder();
    h.write('k', '5', 0, 100);
    h.cas('k', '5', '6', 200, 400);
    h.cas('k', '5', '7', 250, 450);
    const twice = join(dir, 'twice.json');
    writeFileSync(twice, JSON.stringify(h.build()));
    const unsaid = join(dir, 'unsaid.json');
    writeFileSync(unsaid, JSON.stringify(h.build().map(({ expected: _, ...op }) => op)));

    const result = spawnSync(process.execPath, ['--import', 'tsx', cli, twice, unsaid], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(EXIT.badInput);
    expect(result.stdout).toContain('twice.json: Not linearizable');
    expect(result.stdout).toContain('both changed k from 5 (to 6 and to 7)');
    expect(result.stderr).toContain('unsaid.json: Bad input: not a history.');
    expect(result.stderr).toContain('at [1].expected: op 2: a cas needs an expected value (null when the key must be absent)');
  });
});
