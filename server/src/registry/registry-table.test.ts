import { describe, expect, it } from 'vitest';
import { RegistryTable } from './registry-table';

const n = (id: string, port = 5000) => ({ id, host: '127.0.0.1', port });

describe('the registry table', () => {
  it('lists a registered node with its time to live', () => {
    const table = new RegistryTable(1000);
    const outcome = table.register(n('n1'), 10_000);
    expect(outcome).toEqual({ ok: true, announced: true, entry: { ...n('n1'), lastSeenAt: 10_000, expiresAt: 11_000 } });
    expect(table.list()).toHaveLength(1);
  });

  it('treats a second registration as a heartbeat, not a new node', () => {
    const table = new RegistryTable(1000);
    table.register(n('n1'), 0);
    const again = table.register(n('n1'), 400);
    expect(again).toMatchObject({ ok: true, announced: false, entry: { lastSeenAt: 400, expiresAt: 1400 } });
  });

  it('refuses an id held at another address until that entry expires or leaves', () => {
    const table = new RegistryTable(1000);
    table.register(n('n1', 5000), 0);
    expect(table.register(n('n1', 5001), 100)).toMatchObject({ ok: false, reason: 'taken', holder: { port: 5000 } });
    expect(table.list()).toMatchObject([{ id: 'n1', port: 5000 }]);
    table.sweep(1000);
    expect(table.register(n('n1', 5001), 1000)).toMatchObject({ ok: true, announced: true });
    table.deregister('n1');
    expect(table.register(n('n1', 5002), 1001)).toMatchObject({ ok: true, announced: true });
  });

  it('forgets a node silent for the whole ttl, and says how long it was silent', () => {
    const table = new RegistryTable(1000);
    table.register(n('n1'), 0);
    table.register(n('n2'), 500);
    expect(table.sweep(999)).toEqual([]);
    expect(table.sweep(1200)).toEqual([{ id: 'n1', silentMs: 1200 }]);
    expect(table.list().map((e) => e.id)).toEqual(['n2']);
  });

  it('keeps a node that heart-beats within the ttl', () => {
    const table = new RegistryTable(1000);
    for (let t = 0; t <= 5000; t += 900) {
      table.register(n('n1'), t);
      expect(table.sweep(t + 899)).toEqual([]);
    }
  });

  it('announces a node that returns after it expired', () => {
    const table = new RegistryTable(100);
    table.register(n('n1'), 0);
    table.sweep(100);
    expect(table.register(n('n1'), 150)).toMatchObject({ ok: true, announced: true });
  });

  it('lists nodes in rank order, so n10 comes after n9', () => {
    const table = new RegistryTable(1000);
    for (const id of ['n10', 'n2', 'n9', 'n1']) table.register(n(id), 0);
    expect(table.list().map((e) => e.id)).toEqual(['n1', 'n2', 'n9', 'n10']);
  });

  it('refuses new nodes when full but still takes heartbeats from known ones', () => {
    const table = new RegistryTable(1000, 2);
    table.register(n('n1'), 0);
    table.register(n('n2'), 0);
    expect(table.register(n('n3'), 0)).toEqual({ ok: false, reason: 'full' });
    expect(table.register(n('n1'), 10)).toMatchObject({ ok: true });
    expect(table.size).toBe(2);
  });

  it('forgets a node that leaves, once', () => {
    const table = new RegistryTable(1000);
    table.register(n('n1'), 0);
    expect(table.deregister('n1')).toBe(true);
    expect(table.deregister('n1')).toBe(false);
  });
});
