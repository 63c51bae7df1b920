import { describe, expect, it } from 'vitest';
import { defaultOptions } from './options';
import { findings, formatRunReport } from './report';
import { runSimulation } from './runner';
import { formatSweepReport, runSweep, sweepRows } from './sweep';

describe('the report', () => {
  it('says what happened, what held, what the checker found, how it happened, and how to replay it', () => {
    const r = runSimulation(defaultOptions({ seed: 26, faults: ['partitions'] }));
    const text = formatRunReport(r, 123);
    expect(text).toMatch(/^Clusterlab simulation — seed 26 · 3 nodes · 10s virtual · faults: partitions · bully, write-ack majority · reads local/);
    expect(text).toMatch(/invariants ✓ held after each of [\d,]+ core steps/);
    expect(text).toMatch(/final log\s+lacks \d+ acknowledged writes\/deletes .*: really lost, whether or not a client could tell; the history and the final state prove 0 of them/);
    expect(text).toMatch(/How #\d+ was lost: acknowledged by n3 as leader of \S+ at index \d+; n1 became leader .*only the log shows it is gone\./);
    expect(text).toMatch(/checker\s+✗ Not linearizable/);
    expect(text).toContain('replay: npm run sim -- --seed 26 --nodes 3 --duration 10s --faults partitions');
    expect(findings(r)).toMatchObject({ violation: false, notLinearizable: true, lostWrites: false, reallyLost: true, lostButPresent: false });
  });

  it('a lost write the final state proves is named, with how the simulator saw it happen', () => {
    const r = runSimulation(defaultOptions({ seed: 810, faults: ['pauses'] }));
    const text = formatRunReport(r);
    expect(text).toMatch(/final log\s+lacks 1 acknowledged writes\/deletes \(#698\): .*prove 1 of them\n/);
    expect(text).not.toContain('was lost:'); // every loss is named below, with its own story
    expect(text).toMatch(/anomalies\s+1 lost acknowledged writes/);
    expect(text).toMatch(/Lost write #698: .*undone, not overwritten\.\n\s+How: acknowledged by n2 as leader of \S+ at index \d+; n3 became leader/);
    expect(findings(r)).toMatchObject({ lostWrites: true, reallyLost: true, lostButPresent: false });
  });

  it('a sweep has one row per fault kind and one mixed, with rates and the seeds to replay', () => {
    const base = defaultOptions({ durationMs: 3000 });
    const rows = sweepRows(['crashes', 'drops']);
    expect(rows.map((r) => r.label)).toEqual(['crashes', 'drops', 'mixed']);
    let clock = 0;
    const report = runSweep(base, [1, 2, 3], rows, () => (clock += 500));
    expect(report.map((r) => r.seeds)).toEqual([3, 3, 3]);
    const text = formatSweepReport(base, [1, 2, 3], report);
    expect(text).toMatch(/seeds 1\.\.3 \(3 per row\) · 3 nodes · 3s each/);
    expect(text).toMatch(/^ {2}crashes\s+3\s+6\.0\s+0 /m); // 3 seeds in 0.5 s of (fake) wall time, no violation
    expect(text).toMatch(/9 runs in 1\.5 s of wall time: 6\.0 seeds\/second/);
  });
});
