import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from './history-builder';
import { checkLinearizability } from './linearizability';

function check(build: (h: HistoryBuilder) => void) {
  const h = new HistoryBuilder();
  build(h);
  return checkLinearizability(h.build());
}

describe('compare-and-set: a cas writes only where the key holds what it expected', () => {
  it('a chain of cas, each from the value the last one wrote, is linearizable', () => {
    const result = check((h) => {
      h.write('k', '0', 0, 10);
      h.cas('k', '0', '1', 20, 30);
      h.cas('k', '1', '2', 40, 50);
      h.read('k', '2', 60, 70);
    });
    expect(result.verdict).toBe('linearizable');
    expect(result.keys[0]).toMatchObject({ key: 'k', verdict: 'linearizable', method: 'search', opCount: 4 });
  });

  it('overlapping cas from successive values fit in the one order their expectations allow', () => {
    const result = check((h) => {
      h.write('k', '0', 0, 10);
      // Invoked in the "wrong" order and all in flight at once: only 0 → 1 → 2 → 3 works.
      h.cas('k', '2', '3', 20, 100);
      h.cas('k', '1', '2', 21, 100);
      h.cas('k', '0', '1', 22, 100);
      h.read('k', '3', 110, 120);
    });
    expect(result.verdict).toBe('linearizable');
  });

  it('two cas that both succeeded from the same value, written once, are not', () => {
    const result = check((h) => {
      h.write('k', '5', 0, 10);
      h.cas('k', '5', '6', 20, 40);
      h.cas('k', '5', '7', 25, 45);
    });
    expect(result.verdict).toBe('not-linearizable');
  });

  it('unless the value was written again in between, for the second to find', () => {
    const result = check((h) => {
      h.write('k', '5', 0, 10);
      h.cas('k', '5', '6', 20, 30);
      h.write('k', '5', 40, 50);
      h.cas('k', '5', '7', 60, 70);
    });
    expect(result.verdict).toBe('linearizable');
  });

  it('a cas that writes back what it expected changes nothing: two of them from one value are fine', () => {
    const result = check((h) => {
      h.write('k', '5', 0, 10);
      h.cas('k', '5', '5', 20, 30);
      h.cas('k', '5', '5', 40, 50);
      h.read('k', '5', 60, 70);
    });
    expect(result.verdict).toBe('linearizable');
  });

  it('a cas that succeeded from a value nobody wrote is not', () => {
    const result = check((h) => {
      h.write('k', '1', 0, 10);
      h.cas('k', '9', '2', 20, 30);
    });
    expect(result.verdict).toBe('not-linearizable');
  });

  it('a cas that succeeded from a value already overwritten is not', () => {
    const result = check((h) => {
      h.write('k', '5', 0, 10);
      h.write('k', '7', 20, 30);
      h.cas('k', '5', '6', 40, 50);
    });
    expect(result.verdict).toBe('not-linearizable');
  });

  it('a cas that succeeded replaced the value: a read begun after it cannot find it still', () => {
    const result = check((h) => {
      h.write('k', '5', 0, 10);
      h.cas('k', '5', '6', 20, 30);
      h.read('k', '5', 40, 50);
    });
    expect(result.verdict).toBe('not-linearizable');
  });

  it('a cas of unknown outcome whose value somebody read must have taken effect, after its invocation', () => {
    const applied = check((h) => {
      h.write('k', '5', 0, 10);
      h.cas('k', '5', '6', 20, null);
      h.read('k', '5', 30, 40); // before it took effect
      h.read('k', '6', 100, 110); // after
    });
    expect(applied.verdict).toBe('linearizable');
    // It cannot have, where the value it expected was gone for good before it started.
    const impossible = check((h) => {
      h.write('k', '5', 0, 10);
      h.write('k', '7', 12, 15);
      h.cas('k', '5', '6', 20, null);
      h.read('k', '6', 100, 110);
    });
    expect(impossible.verdict).toBe('not-linearizable');
  });

  it('a cas of unknown outcome nobody saw may never have happened', () => {
    const result = check((h) => {
      h.write('k', '5', 0, 10);
      h.cas('k', '5', '6', 20, null);
      h.read('k', '5', 100, 110);
    });
    expect(result.verdict).toBe('linearizable');
  });

  it('a cas of unknown outcome can be what a later cas found, in a chain', () => {
    const result = check((h) => {
      h.write('k', '5', 0, 10);
      h.cas('k', '5', '6', 20, null);
      h.cas('k', '6', '7', 30, 40);
      h.read('k', '7', 50, 60);
    });
    expect(result.verdict).toBe('linearizable');
  });

  it('If-None-Match creation (expected absent) succeeds once; a conditional delete makes room for the next', () => {
    const result = check((h) => {
      h.cas('k', null, '1', 0, 10);
      h.cas('k', null, '2', 20, 30, { outcome: 'fail' }); // 412: it exists
      h.cas('k', '1', null, 40, 50); // delete if still 1
      h.read('k', null, 60, 70);
      h.cas('k', null, '3', 80, 90);
      h.read('k', '3', 100, 110);
    });
    expect(result.verdict).toBe('linearizable');
  });

  it('two creations of an absent key that both succeeded are not linearizable, nor is one over a value', () => {
    const twice = check((h) => {
      h.cas('k', null, '1', 0, 10);
      h.cas('k', null, '2', 5, 15);
    });
    expect(twice.verdict).toBe('not-linearizable');
    const overValue = check((h) => {
      h.write('k', '1', 0, 10);
      h.cas('k', null, '2', 20, 30);
    });
    expect(overValue.verdict).toBe('not-linearizable');
  });

  it('a conditional delete that succeeded although the key held something else is not', () => {
    const result = check((h) => {
      h.write('k', '1', 0, 10);
      h.cas('k', '2', null, 20, 30);
    });
    expect(result.verdict).toBe('not-linearizable');
  });

  it('a failed cas is ignored, whatever it expected', () => {
    const result = check((h) => {
      h.write('k', '1', 0, 10);
      h.cas('k', '9', '2', 20, 30, { outcome: 'fail' });
      h.cas('k', '1', '3', 20, 30, { outcome: 'fail' });
      h.read('k', '1', 40, 50);
    });
    expect(result.verdict).toBe('linearizable');
    expect(result.keys[0]!.opCount).toBe(2);
  });

  it('so a value only a failed cas wrote cannot be read', () => {
    const result = check((h) => {
      h.write('k', '1', 0, 10);
      h.cas('k', '1', '2', 20, 30, { outcome: 'fail' });
      h.read('k', '2', 40, 50);
    });
    expect(result.verdict).toBe('not-linearizable');
  });

  it('cas mix with plain writes, deletes and reads; a plain write between a value and its cas breaks the cas', () => {
    const mixed = check((h) => {
      h.write('k', 'a', 0, 10);
      h.cas('k', 'a', 'b', 20, 30);
      h.read('k', 'b', 35, 45);
      h.write('k', 'c', 50, 60);
      h.cas('k', 'c', 'd', 55, 80); // concurrent with the write it expected
      h.delete('k', 90, 100);
      h.cas('k', null, 'e', 110, 120);
      h.read('k', 'e', 130, 140);
    });
    expect(mixed.verdict).toBe('linearizable');
    const broken = check((h) => {
      h.write('k', 'a', 0, 10);
      h.cas('k', 'a', 'b', 5, 50);
      h.write('k', 'c', 20, 30);
      h.read('k', 'b', 40, 60);
    });
    expect(broken.verdict).toBe('not-linearizable');
  });

  it('keys are independent: a cas on one key says nothing about another', () => {
    const result = check((h) => {
      h.write('a', '1', 0, 10);
      h.cas('b', '1', '2', 20, 30);
      h.read('a', '1', 40, 50);
    });
    expect(result.keys.map((k) => [k.key, k.verdict])).toEqual([
      ['a', 'linearizable'],
      ['b', 'not-linearizable'],
    ]);
  });
});
