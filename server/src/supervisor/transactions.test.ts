import { describe, expect, it } from 'vitest';
import type { AlgorithmId, KvReadAll, KvResult, TxnOpResult } from '@clusterlab/shared';
import { call, json, kvWrite } from '../test-utils/http';
import { useSupervisor } from '../test-utils/test-supervisor';
import { waitFor } from '../test-utils/wait-for';

type TxnAnswer = { succeeded: boolean; index: number; term: number; results: TxnOpResult[]; node: string; servedBy: string; error?: string };

/**
 * Conditional writes and transactions on real processes, for both algorithms: a value's version
 * is its ETag, a write conditional on a version applies only if the key is still at it — judged
 * by the leader as the entry applies, so of racing writes exactly one wins — and a transaction
 * is one entry, applied whole on every replica.
 */
for (const algorithm of ['bully', 'raft'] as AlgorithmId[]) {
  describe(`conditional writes and transactions on a ${algorithm} cluster (real processes)`, () => {
    const lab = useSupervisor({ nodes: 3, settings: { algorithm } }, 'all');
    const withAuth = (init: RequestInit, headers: Record<string, string> = {}): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), ...lab.auth(), ...headers } });
    const put = (key: string, value: string, headers: Record<string, string> = {}) => call<KvResult>(lab.api(`/kv/${key}`), withAuth(kvWrite(value), headers));
    const txn = (body: unknown) => call<TxnAnswer>(lab.api('/txn'), withAuth(json('POST', body)));
    /** Every running node holds exactly `expected` for these keys. */
    const everyNodeHolds = (expected: Record<string, string | null>) =>
      waitFor(
        async () => {
          for (const [key, value] of Object.entries(expected)) {
            const all = (await call<KvReadAll>(lab.api(`/kv/${key}?via=all`), withAuth({}))).body;
            if (all.reads.length !== 3 || !all.reads.every((r) => r.value === value)) return null;
          }
          return true;
        },
        { what: `every node to hold ${JSON.stringify(expected)}`, timeoutMs: 10_000 },
      );

    it('gives each value its version as an ETag, and applies a write conditional on it only while the key is still at that version', { timeout: 30_000 }, async () => {
      await lab.waitForLeader();
      const first = await put('cas', 'one');
      expect(first.status).toBe(200);
      const v1 = first.body.version!;
      expect(first.headers.get('etag')).toBe(`"${v1}"`);
      const read = await call<KvResult>(lab.api('/kv/cas?via=' + first.body.servedBy), withAuth({}));
      expect(read.headers.get('etag')).toBe(`"${v1}"`);
      expect(read.body).toMatchObject({ value: 'one', version: v1 });

      const second = await put('cas', 'two', { 'if-match': `"${v1}"` });
      expect(second.status).toBe(200);
      const v2 = second.body.version!;
      expect(v2).toBeGreaterThan(v1);

      // The same condition again: the key has moved on, so nothing is written.
      const stale = await put('cas', 'three', { 'if-match': `"${v1}"` });
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ status: 412, version: v2 });
      expect(stale.body.error).toMatch(new RegExp(`precondition failed \\(If-Match: "${v1}"\\): key "cas" is at version ${v2}`));
      await everyNodeHolds({ cas: 'two' });

      // Create only if absent.
      expect((await put('cas', 'again', { 'if-none-match': '*' })).status).toBe(412);
      const created = await put('fresh', 'new', { 'if-none-match': '*' });
      expect(created.status).toBe(200);
      const gone = await put('fresh', 'x', { 'if-none-match': '*' });
      expect(gone.body).toMatchObject({ status: 412, version: created.body.version });

      // A conditional delete: refused at a stale version, done at the current one.
      const del = (version: number) => call<KvResult>(lab.api('/kv/fresh'), withAuth({ method: 'DELETE', headers: { 'content-type': 'application/json', 'if-match': `"${version}"` } }));
      expect((await del(created.body.version! - 1)).status).toBe(412);
      expect((await del(created.body.version!)).status).toBe(200);
      await everyNodeHolds({ fresh: null });

      const bad = await put('cas', 'x', { 'if-match': 'seven' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatch(/If-Match must be one version in quotes/);
    });

    it('lets exactly one of many racing writes conditional on the same version win', { timeout: 30_000 }, async () => {
      await lab.waitForLeader();
      const base = (await put('race', 'start')).body.version!;
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => put('race', `writer-${i}`, { 'if-match': `"${base}"` })));
      const won = answers.filter((a) => a.status === 200);
      expect(won).toHaveLength(1);
      expect(answers.filter((a) => a.status === 412)).toHaveLength(11);
      const winner = `writer-${answers.indexOf(won[0]!)}`;
      await everyNodeHolds({ race: winner });
    });

    it('applies a transaction whole, on every node, and runs the failure branch when a compare fails', { timeout: 30_000 }, async () => {
      await lab.waitForLeader();
      const open = await txn({ success: [{ put: 'alice', value: '100' }, { put: 'bob', value: '0' }] });
      expect(open.status).toBe(200);
      const transfer = {
        compare: [{ key: 'alice', target: 'value', op: '=', value: '100' }],
        success: [{ put: 'alice', value: '70' }, { put: 'bob', value: '30' }, { get: 'alice' }, { get: 'bob' }],
        failure: [{ get: 'alice' }],
      };
      const done = await txn(transfer);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ succeeded: true, servedBy: expect.stringMatching(/^n\d$/) });
      expect(done.body.index).toBeGreaterThan(open.body.index);
      expect(done.body.results).toEqual([
        { type: 'put', key: 'alice', version: done.body.index },
        { type: 'put', key: 'bob', version: done.body.index },
        { type: 'get', key: 'alice', value: '70', version: done.body.index },
        { type: 'get', key: 'bob', value: '30', version: done.body.index },
      ]);
      await everyNodeHolds({ alice: '70', bob: '30' });

      // The same transfer again: alice no longer holds 100, so the failure branch runs and nothing moves.
      const again = await txn(transfer);
      expect(again.body).toMatchObject({ succeeded: false, results: [{ type: 'get', key: 'alice', value: '70', version: done.body.index }] });
      await everyNodeHolds({ alice: '70', bob: '30' });
    });

    it('refuses a malformed transaction with a 400 that names the problem, and applies none of it', { timeout: 30_000 }, async () => {
      const view = await lab.waitForLeader();
      const refused = async (body: unknown, why: RegExp) => {
        const answer = await txn(body);
        expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect(answer.body.error).toMatch(why);
      };
      await refused({ compare: [{ key: 'k', target: 'size', op: '=', value: 1 }], success: [{ put: 'untouched', value: 'x' }] }, /target must be one of version, value, exists/);
      await refused({ compare: [{ key: 'k', target: 'value', op: '~', value: 'a' }] }, /op must be one of = != < >/);
      await refused({ success: [{ put: 'untouched', value: '1' }, { put: 'untouched', value: '2' }] }, /writes "untouched" twice/);
      await refused({ success: Array.from({ length: 65 }, (_, i) => ({ get: `k${i}` })) }, /at most 64 keys/);
      await refused({ success: [{ put: 'untouched', value: 'x'.repeat(1024 * 1024 + 10) }] }, /over the limit of 1048576 bytes/);
      await refused({ success: [{ put: 'untouched', value: 'x'.repeat(7 * 1024 * 1024) }] }, /over the limit of 1048576 bytes/);
      const notJson = await call<{ error: string }>(lab.api('/txn'), withAuth({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"compare": [' }));
      expect(notJson.status).toBe(400);
      expect(notJson.body.error).toMatch(/not valid JSON/);
      expect((await call<KvResult>(lab.api('/kv/untouched'), withAuth({}))).status).toBe(404);

      // A node checks for itself, and a follower sends a transaction to its leader.
      const follower = view.nodes.find((n) => n.id !== view.leader && n.status === 'running')!;
      const direct = await call<{ error: string }>(`${follower.url}/txn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ compare: [{ key: 'k', target: 'exists', op: '<', value: true }] }) });
      expect(direct.status).toBe(400);
      expect(direct.body.error).toMatch(/an exists compare can only be = or !=/);
      const redirected = await fetch(`${follower.url}/txn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ success: [{ get: 'k' }] }), redirect: 'manual' });
      expect(redirected.status).toBe(307);
      expect(redirected.headers.get('location')).toBe(`${view.nodes.find((n) => n.id === view.leader)!.url}/txn`);
    });
  });
}
