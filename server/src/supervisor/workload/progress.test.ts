import { describe, expect, it } from 'vitest';
import { LatencyHistogram, ProgressMeter } from './progress';

describe("a run's figures", () => {
  it('count each second once, with its own percentiles, and the part-second at the end', () => {
    const meter = new ProgressMeter();
    for (let i = 0; i < 100; i++) meter.record(10 + i, true, i + 1);
    meter.record(500, false, null);
    meter.record(2500, true, 7);
    meter.finish(2600);
    expect(meter.series).toEqual([
      { t: 1000, ok: 100, errors: 1, p50: 50, p99: 99 },
      { t: 2000, ok: 0, errors: 0, p50: null, p99: null },
      { t: 2600, ok: 1, errors: 0, p50: 7, p99: 7 },
    ]);
  });

  it('read latency percentiles to within 1%, and the maximum exactly, however many ops', () => {
    const h = new LatencyHistogram();
    for (let ms = 1; ms <= 10_000; ms++) h.add(ms / 10);
    const s = h.summary()!;
    expect(s.count).toBe(10_000);
    expect(s.max).toBe(1000);
    expect(Math.abs(s.p50 - 500) / 500).toBeLessThan(0.01);
    expect(Math.abs(s.p99 - 990) / 990).toBeLessThan(0.01);
    expect(new LatencyHistogram().summary()).toBeNull();
  });
});
