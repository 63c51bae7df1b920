import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from './history-builder';
import { checkLinearizability } from './linearizability';

function verdictOf(build: (h: HistoryBuilder) => void) {
  const h = new HistoryBuilder();
  build(h);
  return checkLinearizability(h.build());
}

describe('linearizability of a single register', () => {
  it('an empty history is linearizable', () => {
    const result = checkLinearizability([]);
    expect(result.linearizable).toBe(true);
    expect(result.verdict).toBe('linearizable');
    expect(result.keys).toEqual([]);
    expect(result.explanation).toMatch(/^Linearizable/);
  });

  it('a read after an acknowledged write returns that write', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.read('k', '1', 20, 30);
    });
    expect(result.linearizable).toBe(true);
  });

  it('a key starts absent, so a read before any write finds it absent', () => {
    const result = verdictOf((h) => {
      h.read('k', null, 0, 10);
      h.write('k', '1', 20, 30);
      h.read('k', '1', 40, 50);
    });
    expect(result.linearizable).toBe(true);
  });

  it('a read that starts after a write is acknowledged must not find the key absent', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.read('k', null, 20, 30);
    });
    expect(result.verdict).toBe('not-linearizable');
  });

  it('a read that starts after a write is acknowledged must not return the value before it', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.write('k', '2', 20, 30);
      h.read('k', '1', 40, 50);
    });
    expect(result.linearizable).toBe(false);
  });

  it('a read cannot return a value that nobody wrote', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.read('k', '9', 20, 30);
    });
    expect(result.linearizable).toBe(false);
  });

  it('a read concurrent with a write may see the old value', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.write('k', '2', 20, 60);
      h.read('k', '1', 30, 40);
    });
    expect(result.linearizable).toBe(true);
  });

  it('a read concurrent with a write may see the new value', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.write('k', '2', 20, 60);
      h.read('k', '2', 30, 40);
    });
    expect(result.linearizable).toBe(true);
  });

  it('once a read has seen a concurrent write, a later read may not go back to the old value', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.write('k', '2', 20, 100);
      h.read('k', '2', 30, 40);
      h.read('k', '1', 50, 60);
    });
    expect(result.linearizable).toBe(false);
  });

  it('two concurrent writes may land in either order, but reads must agree on one', () => {
    const eitherOrder = verdictOf((h) => {
      h.write('k', '1', 0, 50);
      h.write('k', '2', 0, 50);
      h.read('k', '1', 60, 70);
      h.read('k', '1', 80, 90);
    });
    expect(eitherOrder.linearizable).toBe(true);

    const flipFlop = verdictOf((h) => {
      h.write('k', '1', 0, 50);
      h.write('k', '2', 0, 50);
      h.read('k', '1', 60, 70);
      h.read('k', '2', 80, 90);
    });
    expect(flipFlop.linearizable).toBe(false);
  });

  it('finds an order that needs backtracking over a first wrong guess', () => {
    // The search tries write 2 first (it was invoked first), then write 1, and must undo that.
    const result = verdictOf((h) => {
      h.write('k', '2', 0, 10);
      h.write('k', '1', 1, 10);
      h.read('k', '2', 11, 12);
    });
    expect(result.linearizable).toBe(true);
  });

  it('ops that merely touch (one returns as the other is invoked) count as concurrent', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.write('k', '2', 10, 20);
      h.read('k', '1', 20, 30);
    });
    // write 2 and the read touch at t=20, so the read may be ordered before write 2.
    expect(result.linearizable).toBe(true);
  });
});

describe('deletes', () => {
  it('a delete makes the key absent', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.delete('k', 20, 30);
      h.read('k', null, 40, 50);
    });
    expect(result.linearizable).toBe(true);
  });

  it('a read after an acknowledged delete must not return the deleted value', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.delete('k', 20, 30);
      h.read('k', '1', 40, 50);
    });
    expect(result.linearizable).toBe(false);
  });

  it('a key can be written again after a delete', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.delete('k', 20, 30);
      h.write('k', '1', 40, 50);
      h.read('k', '1', 60, 70);
    });
    expect(result.linearizable).toBe(true);
  });
});

describe('failed and unknown outcomes', () => {
  it('a failed write never took effect, so it cannot explain a read', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10, { outcome: 'fail' });
      h.read('k', '1', 20, 30);
    });
    expect(result.linearizable).toBe(false);
  });

  it('a failed write does not hide the value before it', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.write('k', '2', 20, 30, { outcome: 'fail' });
      h.read('k', '1', 40, 50);
    });
    expect(result.linearizable).toBe(true);
  });

  it('a failed or unknown read carries no information', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.read('k', 'garbage', 20, 30, { outcome: 'fail' });
      h.read('k', 'garbage', 40, null);
    });
    expect(result.linearizable).toBe(true);
    expect(result.keys[0]?.opCount).toBe(1);
  });

  it('an unknown write may explain a read long after it was invoked', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.write('k', '2', 20, null);
      h.read('k', '1', 1000, 1010);
      h.read('k', '2', 5000, 5010);
    });
    expect(result.linearizable).toBe(true);
  });

  it('an unknown write may also never take effect', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.write('k', '2', 20, null);
      h.read('k', '1', 1000, 1010);
      h.read('k', '1', 5000, 5010);
    });
    expect(result.linearizable).toBe(true);
  });

  it('an unknown write cannot take effect before it was invoked', () => {
    const result = verdictOf((h) => {
      h.read('k', '2', 0, 10);
      h.write('k', '2', 20, null);
    });
    expect(result.linearizable).toBe(false);
  });

  it('an unknown write takes effect at most once: the value cannot come back after being overwritten', () => {
    const result = verdictOf((h) => {
      h.write('k', '2', 0, null);
      h.read('k', '2', 10, 20);
      h.write('k', '3', 30, 40);
      h.read('k', '2', 50, 60);
    });
    expect(result.linearizable).toBe(false);
  });

  it('an unknown delete may explain an absent read', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10);
      h.delete('k', 20, null);
      h.read('k', null, 100, 110);
    });
    expect(result.linearizable).toBe(true);
  });
});

describe('keys are checked independently', () => {
  it('with several keys, only the bad key is reported', () => {
    const h = new HistoryBuilder();
    h.write('a', '1', 0, 10);
    h.read('a', '1', 20, 30);
    h.write('b', '1', 0, 10);
    h.write('b', '2', 20, 30);
    h.read('b', '1', 40, 50);
    h.write('c', '1', 0, 10);
    h.read('c', null, 5, 8);
    const result = checkLinearizability(h.build());
    expect(result.linearizable).toBe(false);
    expect(result.keys.map((k) => [k.key, k.verdict])).toEqual([
      ['a', 'linearizable'],
      ['b', 'not-linearizable'],
      ['c', 'linearizable'],
    ]);
    expect(result.explanation).toContain('1 of 3 keys');
    expect(result.explanation).toContain('Key b is not linearizable');
    expect(result.explanation).not.toContain('Key a');
  });

  it('a value written to one key does not explain a read of another', () => {
    const result = verdictOf((h) => {
      h.write('a', '1', 0, 10);
      h.read('b', '1', 20, 30);
    });
    expect(result.keys.find((k) => k.key === 'b')?.verdict).toBe('not-linearizable');
  });

  it('a key whose every op failed is listed, and is trivially fine', () => {
    const result = verdictOf((h) => {
      h.write('k', '1', 0, 10, { outcome: 'fail' });
    });
    expect(result.keys).toEqual([{ key: 'k', verdict: 'linearizable', opCount: 0, exploredStates: 0, method: 'unique-writes', ms: expect.any(Number) }]);
  });
});

describe('limits', () => {
  // Values written more than once leave a read's source open, so these need the search.
  it('a key that needs more work than allowed gets verdict unknown, with a reason, instead of hanging', () => {
    const h = new HistoryBuilder();
    for (let i = 0; i < 10; i++) h.write('k', String(i % 5), 0, 100);
    h.read('k', '3', 200, 210);
    const result = checkLinearizability(h.build(), { maxStatesPerKey: 5 });
    expect(result.verdict).toBe('unknown');
    expect(result.linearizable).toBe(false);
    const [key] = result.keys;
    expect(key?.verdict).toBe('unknown');
    expect(key?.verdict === 'unknown' && key.reason).toMatch(/gave up after exploring 5 states/);
    expect(result.explanation).toMatch(/^Undecided/);
  });

  it('writes of unknown outcome that nobody read cost the search nothing', () => {
    const h = new HistoryBuilder();
    for (let i = 0; i < 40; i++) h.write('k', `lost-${i}`, i, null);
    h.write('k', '1', 100, 110);
    h.write('k', '2', 120, 130);
    h.read('k', '1', 140, 150);
    const result = checkLinearizability(h.build(), { maxStatesPerKey: 100 });
    expect(result.verdict).toBe('not-linearizable');
  });

  it('a violated key and a key the checker gave up on are both reported', () => {
    const h = new HistoryBuilder();
    for (let i = 0; i < 10; i++) h.write('busy', String(i % 5), 0, 100);
    h.read('busy', '3', 200, 210);
    h.write('bad', '1', 0, 10);
    h.read('bad', '2', 20, 30);
    const result = checkLinearizability(h.build(), { maxStatesPerKey: 5 });
    expect(result.verdict).toBe('not-linearizable');
    expect(result.keys.map((k) => [k.key, k.verdict])).toEqual([
      ['bad', 'not-linearizable'],
      ['busy', 'unknown'],
    ]);
    expect(result.explanation).toMatch(/^Not linearizable: 1 of 2 keys has no valid order/);
    expect(result.explanation).toContain('The checker also gave up on 1 key:\nKey busy: gave up after exploring 5 states');
  });

  it('the default limit is ample for many concurrent writes', () => {
    const h = new HistoryBuilder();
    for (let i = 0; i < 12; i++) h.write('k', String(i), 0, 100);
    h.read('k', '3', 200, 210);
    h.read('k', '3', 220, 230);
    expect(checkLinearizability(h.build()).verdict).toBe('linearizable');
  });
});

describe('bad input', () => {
  it('a history that makes no sense is refused rather than judged', () => {
    const h = new HistoryBuilder();
    h.write('k', '1', 50, 10);
    expect(() => checkLinearizability(h.build())).toThrow(/completes \(10 ms\) before it is invoked \(50 ms\)/);
  });
});
