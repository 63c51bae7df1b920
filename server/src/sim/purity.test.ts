import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A run must depend on its options alone, or a seed would not replay it. So no file of the
 * simulator reads the real clock, draws unseeded randomness or sets a real timer — except
 * cli.ts, which times sweeps (seeds/second) with performance.now and never hands that to a run.
 */
const FORBIDDEN = [/\bDate\.now\b/, /\bnew Date\b/, /\bMath\.random\b/, /\bperformance\.now\b/, /\bsetTimeout\b/, /\bsetInterval\b/, /\bsetImmediate\b/, /\bcrypto\./, /\bprocess\.hrtime\b/];
const ALLOWED: Record<string, RegExp[]> = { 'cli.ts': [/\bperformance\.now\b/] };

describe('the simulator', () => {
  it('reads no real clock and draws no unseeded randomness', () => {
    const dir = import.meta.dirname;
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(10);
    const offences = sources.flatMap((file) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          FORBIDDEN.some((re) => re.test(line) && !(ALLOWED[file] ?? []).some((ok) => ok.source === re.source)) ? [`${file}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(offences).toEqual([]);
  });
});
