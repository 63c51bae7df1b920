import { describe, expect, it } from 'vitest';
import { chartColumns, describeChart, faultBands, faultSpan } from './workloadChart';

const fault = (description: string, fromMs: number, toMs: number | null, bit = true) => ({ id: null, description, fromMs, toMs, bit });

describe('the chart columns', () => {
  it('leave off a last partial second too short to give a rate', () => {
    const cols = chartColumns([
      { t: 1000, ok: 100, errors: 0, p50: 2, p99: 8 },
      { t: 1050, ok: 20, errors: 0, p50: 2, p99: 8 },
    ]);
    expect(cols[0]).toEqual([1]);
  });

  it('are ops per second over each sample’s own span, in time order', () => {
    const cols = chartColumns([
      { t: 2000, ok: 80, errors: 0, p50: 3, p99: 9 },
      { t: 1000, ok: 100, errors: 2, p50: 2, p99: 8 },
      { t: 2500, ok: 50, errors: 5, p50: null, p99: null },
    ]);
    expect(cols).toEqual([
      [1, 2, 2.5],
      [100, 80, 100],
      [2, 0, 10],
      [2, 3, null],
      [8, 9, null],
    ]);
  });
});

describe('fault bands', () => {
  it('run from a fault to its heal, or to the end when it outlasted the run', () => {
    const bands = faultBands([fault('n1 was killed', 3000, 6500), fault('20% of messages lost', 5000, null, false)], 10_000);
    expect(bands.map((b) => [b.label, b.fromS, b.toS, b.open, b.bit])).toEqual([
      ['n1 was killed', 3, 6.5, false, true],
      ['20% of messages lost', 5, 10, true, false],
    ]);
  });

  it('a fault in force before the run began starts at 0', () => {
    expect(faultBands([fault('slow', -4000, 2000)], 5000)[0]!.fromS).toBe(0);
  });

  it('stack overlapping faults in rows, and reuse a row once it is free', () => {
    const bands = faultBands([fault('a', 0, 4000), fault('b', 1000, 2000), fault('c', 5000, 6000), fault('d', 2500, 3000)], 8000);
    expect(Object.fromEntries(bands.map((b) => [b.label, b.row]))).toEqual({ a: 0, b: 1, d: 1, c: 0 });
  });

  it('give a short band’s label room before the next one in its row', () => {
    const bands = faultBands([fault('kill', 1000, 1100), fault('restart', 1500, 1600)], 8000, 2);
    expect(bands.map((b) => b.row)).toEqual([0, 1]);
  });

  it('never stack deeper than two rows (the chart keeps room for two above the plot)', () => {
    const bands = faultBands([0, 1, 2, 3].map((i) => fault(`f${i}`, i * 10, 9000)), 9000);
    expect(bands.map((b) => b.row)).toEqual([0, 1, 1, 1]);
  });

  it('mark each fault with its number in the order given', () => {
    expect(faultBands([fault('late', 5000, null), fault('early', 0, 100)], 9000).map((b) => `${b.mark} ${b.label}`)).toEqual(['② early', '① late']);
  });
});

describe('the chart in words', () => {
  it('names the peaks and the faults', () => {
    const text = describeChart([{ t: 1000, ok: 120, errors: 0, p50: 2, p99: 7 }, { t: 2000, ok: 10, errors: 30, p50: 40, p99: 900 }], [fault('n1 was killed', 1200, null)]);
    expect(text).toBe('2 s of samples; throughput peaked at 120 ok ops/s; errors in 1 of those seconds; p99 latency up to 900 ms. Faults shaded: n1 was killed (from 1.2 s to the end).');
  });
  it('says when a fault is still in force', () => {
    expect(faultSpan({ fromMs: 12_300, toMs: null }, true)).toBe('from 12 s on (still in force)');
  });
});
