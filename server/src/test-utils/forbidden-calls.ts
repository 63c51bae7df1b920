import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reading the real clock, drawing unseeded randomness, or setting a real timer. */
export const NONDETERMINISM = [
  /\bDate\.now\b/,
  /\bnew Date\b/,
  /\bMath\.random\b/,
  /\bperformance\.now\b/,
  /\bprocess\.hrtime\b/,
  /\bsetTimeout\b/,
  /\bsetInterval\b/,
  /\bsetImmediate\b/,
  /\bcrypto\./,
];

/**
 * The lint rule behind "this folder is deterministic": every line of its non-test sources
 * that matches a forbidden pattern, as "file:line: text", except the per-file allowances.
 */
export function forbiddenCalls(dir: string, forbidden: RegExp[], allowed: Record<string, RegExp[]> = {}): { files: number; offences: string[] } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const offences = files.flatMap((file) =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => {
        const excused = allowed[file] ?? [];
        const bad = forbidden.some((re) => re.test(line) && !excused.some((ok) => ok.source === re.source));
        return bad ? [`${file}:${i + 1}: ${line.trim()}`] : [];
      }),
  );
  return { files: files.length, offences };
}
