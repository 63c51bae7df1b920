import { describe, expect, it } from 'vitest';
import { describeFault, describeHeal } from './fault-sentences';

describe('a fault in one sentence, naming every party it touches', () => {
  it('partition', () => {
    expect(describeFault({ kind: 'partition', groups: [['n1'], ['n2', 'n3', 'registry']] })).toBe('n1 is cut off from n2, n3 and the registry, both ways');
    expect(describeFault({ kind: 'partition', groups: [['n3', 'c1'], ['n1', 'n2', 'client']] })).toBe('n3 and c1 are cut off from n1, n2 and the clients, both ways');
    expect(describeFault({ kind: 'partition', groups: [['n1'], ['n2'], ['n3', 'n4']] })).toBe('3 groups are cut off from one another, both ways: n1 | n2 | n3 and n4');
  });

  it('cut', () => {
    expect(describeFault({ kind: 'cut', from: 'n1', to: 'n2' })).toBe('what n1 sends to n2 is lost; n2 → n1 still works');
    expect(describeFault({ kind: 'cut', from: 'client', to: 'n1' })).toBe('what the clients send to n1 is lost; n1 → the clients still works');
    expect(describeFault({ kind: 'cut', from: 'n2', to: 'registry' })).toBe('what n2 sends to the registry is lost; the registry → n2 still works');
  });

  it('delay', () => {
    expect(describeFault({ kind: 'delay', from: 'n2', ms: 200, jitterMs: 50 })).toBe(
      'messages from n2 to every other node, the registry and the clients take 200 ms more (±50 ms)',
    );
    expect(describeFault({ kind: 'delay', from: 'n1', to: 'n2', ms: 30, jitterMs: 0 })).toBe('messages from n1 to n2 take 30 ms more');
    expect(describeFault({ kind: 'delay', to: 'registry', ms: 100, jitterMs: 10 })).toBe('messages to the registry from every node take 100 ms more (±10 ms)');
    expect(describeFault({ kind: 'delay', ms: 100, jitterMs: 10 })).toBe('every message, on every link, takes 100 ms more (±10 ms)');
  });

  it('loss', () => {
    expect(describeFault({ kind: 'loss', rate: 0.2 })).toBe('20% of messages on every link are lost');
    expect(describeFault({ kind: 'loss', to: 'n3', rate: 0.055 })).toBe('5.5% of messages to n3 from every other node, the registry and the clients are lost');
    expect(describeFault({ kind: 'loss', from: 'c2', rate: 1 })).toBe('100% of messages from c2 to every node are lost');
  });

  it('duplicate', () => {
    expect(describeFault({ kind: 'duplicate', rate: 0.1 })).toBe('10% of messages between nodes arrive twice');
    expect(describeFault({ kind: 'duplicate', from: 'n1', rate: 0.1 })).toBe('10% of messages from n1 to every other node arrive twice');
    expect(describeFault({ kind: 'duplicate', from: 'n1', to: 'n2', rate: 0.25 })).toBe('25% of messages from n1 to n2 arrive twice');
  });

  it('clock', () => {
    expect(describeFault({ kind: 'clock', node: 'n1', offsetMs: 1500 })).toBe("n1's clock runs 1500 ms ahead");
    expect(describeFault({ kind: 'clock', node: 'n2', offsetMs: -300 })).toBe("n2's clock runs 300 ms behind");
  });

  it('process faults', () => {
    expect(describeFault({ kind: 'kill', node: 'n2' })).toBe('n2 is killed (SIGKILL): it keeps only what it wrote to disk');
    expect(describeFault({ kind: 'stop', node: 'n2' })).toBe('n2 is stopped (SIGTERM): it leaves the registry and exits');
    expect(describeFault({ kind: 'pause', node: 'n2' })).toBe('n2 is paused (SIGSTOP): it runs nothing, and messages to it wait, until it resumes');
    expect(describeFault({ kind: 'resume', node: 'n2' })).toBe('n2 resumes (SIGCONT) and takes the messages that waited for it');
    expect(describeFault({ kind: 'restart', node: 'n2' })).toBe('n2 is restarted from its disk');
  });

  it('a heal names the fault it ends', () => {
    expect(describeHeal('cut-1', { kind: 'cut', from: 'n1', to: 'n2' })).toBe('healed cut-1 (what n1 sends to n2 is lost; n2 → n1 still works)');
  });
});
