import { describe, expect, it } from 'vitest';
import { checkLinearizability } from './linearizability';
import { stressCases } from './stress-cases';

describe('the stress cases', () => {
  const cases = stressCases();

  it('are 30, of three families, up to 50 ops each, half of them violated', () => {
    expect(cases).toHaveLength(30);
    expect(new Set(cases.map((c) => c.family)).size).toBe(3);
    expect(Math.max(...cases.map((c) => c.history.length))).toBe(50);
    expect(cases.filter((c) => c.linearizable)).toHaveLength(15);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: decided at the default bound, with the verdict it was built to have', (_name, c) => {
    const result = checkLinearizability(c.history);
    expect(result.verdict).toBe(c.linearizable ? 'linearizable' : 'not-linearizable');
    const [key] = result.keys;
    // Seconds of headroom on a busy machine; the bench prints the real figures (well under a millisecond).
    expect(key!.ms).toBeLessThan(1000);
    if (key?.verdict === 'not-linearizable') {
      // The explanation still narrows the violation down to the few ops that show it.
      expect(key.violation?.witnessIsMinimal).toBe(true);
      expect(key.violation?.witness.length).toBeLessThanOrEqual(5);
      expect(key.violation?.witnessOpIds).toContain(key.violation?.culpritOpId);
      expect(key.violation?.text).toMatch(/^Key k is not linearizable: /);
    }
  });
});
