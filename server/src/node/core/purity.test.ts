import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The lint rule behind "a core does no I/O and reads no clock": the same core must run in a
 * real process, in the simulator and (later) in the browser, so it may only use its inputs.
 */
const FORBIDDEN = [
  /\bDate\.now\b/, /\bnew Date\b/, /\bMath\.random\b/, /\bperformance\.now\b/, /\bsetTimeout\b/, /\bsetInterval\b/,
  /\bsetImmediate\b/, /\bprocess\./, /\bfetch\(/, /from 'node:/, /require\(/, /\bcrypto\./,
];

describe('the node core', () => {
  it('uses no clock, randomness, timers, sockets or files of its own', () => {
    const dir = import.meta.dirname;
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(5);
    const offences = sources.flatMap((file) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (FORBIDDEN.some((re) => re.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offences).toEqual([]);
  });
});
