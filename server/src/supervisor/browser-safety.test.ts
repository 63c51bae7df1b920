import { describe, expect, it } from 'vitest';
import type { ClusterView, NodeView } from '@clusterlab/shared';
import { call, json, kvWrite } from '../test-utils/http';
import { useSupervisor, type TestCluster } from '../test-utils/test-supervisor';

/**
 * The dashboard server is on the learner's machine, and so is every web page they visit.
 * Those pages must not be able to drive it: not by a cross-site form post.
 */

const n1Of = (view: ClusterView): NodeView => {
  const n1 = view.nodes.find((n) => n.id === 'n1');
  if (!n1) throw new Error('no n1 in the cluster view');
  return n1;
};

/** n1 is the process it was: still running, same pid. */
async function expectStillRunning(lab: TestCluster, before: NodeView): Promise<void> {
  expect(n1Of(await lab.cluster())).toMatchObject({ status: 'running', pid: before.pid });
}

describe('other web pages cannot drive a supervisor on loopback', () => {
  const lab = useSupervisor({ nodes: 1 }, 'all');

  it('refuses a text/plain POST (what a cross-site form can send) with 415 naming application/json, and n1 keeps running', async () => {
    const before = n1Of(await lab.waitForCluster((v) => (n1Of(v).status === 'running' ? v : null), { what: 'n1 running' }));
    const answer = await call<{ error: string }>(lab.api('/nodes/n1/kill'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(answer.status).toBe(415);
    expect(answer.headers.get('content-type')).toMatch(/application\/json/);
    expect(answer.body.error).toMatch(/needs Content-Type: application\/json \(got "text\/plain"\)/);
    const bare = await call<{ error: string }>(lab.api('/nodes/n1/kill'), { method: 'POST' });
    expect(bare.status).toBe(415);
    expect(bare.body.error).toMatch(/got none/);
    await expectStillRunning(lab, before);
  });

  it('takes key writes as JSON { value }, and says so to a raw text body', async () => {
    await lab.waitForLeader();
    const raw = await call<{ error: string }>(lab.api('/kv/k'), { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'v' });
    expect(raw.status).toBe(415);
    const notAnObject = await call<{ error: string }>(lab.api('/kv/k'), json('PUT', 'v'));
    expect(notAnObject).toMatchObject({ status: 400, body: { error: expect.stringMatching(/expected a JSON body \{ "value": "<text>" \}/) } });
    expect((await call(lab.api('/kv/k'), kvWrite('v'))).status).toBe(200);
  });
});
