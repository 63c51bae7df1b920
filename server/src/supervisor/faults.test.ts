import { describe, expect, it } from 'vitest';
import type { ClusterView, FaultView, KvListing, KvResult, NodeId } from '@clusterlab/shared';
import { action, call, json, kvWrite } from '../test-utils/http';
import { useSupervisor, type TestCluster } from '../test-utils/test-supervisor';
import { waitFor } from '../test-utils/wait-for';

/**
 * What faults do to a real cluster — real processes, real HTTP between them, each node
 * applying the supervisor's link rules to its own sends and receipts: the partition that
 * splits bully's brain and that Raft rides out, and the one-way cut PreVote shrugs off.
 */

const IDS: NodeId[] = ['n1', 'n2', 'n3'];

async function postFault(lab: TestCluster, fault: unknown): Promise<FaultView> {
  const answer = await call<FaultView>(lab.api('/faults'), json('POST', fault));
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

async function healAll(lab: TestCluster): Promise<void> {
  expect((await call(lab.api('/faults'), action('DELETE'))).status).toBe(204);
}

function leaders(view: ClusterView): NodeId[] {
  return view.nodes.filter((n) => n.status === 'running' && n.role === 'leader').map((n) => n.id);
}

/** Every node answers its own /db, straight from the node (the lab's view, outside any fault). */
async function listings(view: ClusterView): Promise<Map<NodeId, string>> {
  const out = new Map<NodeId, string>();
  for (const node of view.nodes) {
    const answer = await call<KvListing>(`${node.url}/db?limit=10000`);
    if (answer.status === 200) out.set(node.id, JSON.stringify(answer.body.entries));
  }
  return out;
}

/** Healed: one leader that every node follows, and every replica holding the same keys. */
async function waitForOneLeaderAndAgreement(lab: TestCluster, mustHold: string[]): Promise<NodeId> {
  const view = await lab.waitForCluster(
    (v) => {
      const [only, ...more] = leaders(v);
      return only !== undefined && more.length === 0 && v.nodes.every((n) => n.status === 'running' && n.leader === only) ? v : null;
    },
    { what: 'one leader that every node follows', timeoutMs: 15_000 },
  );
  await waitFor(
    async () => {
      const copies = await listings(view);
      const values = [...copies.values()];
      return copies.size === IDS.length && new Set(values).size === 1 && mustHold.every((key) => values[0]!.includes(JSON.stringify(key)));
    },
    { what: 'every replica to hold the same keys', timeoutMs: 10_000, intervalMs: 100 },
  );
  return view.leader!;
}

describe('a partition around the bully leader', () => {
  const lab = useSupervisor({ nodes: 3 });

  it('splits the brain: the majority elects a second leader while the isolated one still believes it leads; healed, one leader and the replicas agree', { timeout: 40_000 }, async () => {
    const first = (await lab.waitForLeader()).leader!;
    const others = IDS.filter((id) => id !== first);
    expect((await call<KvResult>(lab.api('/kv/before'), kvWrite('1'))).status).toBe(200);

    await postFault(lab, { kind: 'partition', groups: [[first], [...others, 'registry']] });
    const split = await lab.waitForCluster((v) => (leaders(v).length === 2 && leaders(v).includes(first) ? leaders(v) : null), {
      what: `a second leader beside the isolated ${first}`,
      timeoutMs: 10_000,
    });
    const second = split.find((id) => id !== first)!;
    expect(others).toContain(second);
    // The majority's leader takes writes.
    expect((await call<KvResult>(lab.api(`/kv/during?via=${second}`), kvWrite('2'))).status).toBe(200);

    await healAll(lab);
    await waitForOneLeaderAndAgreement(lab, ['before', 'during']);
  });
});

describe('a partition around the Raft leader', () => {
  const lab = useSupervisor({ nodes: 3, settings: { algorithm: 'raft', writeTimeoutMs: 1000 } });

  it('the isolated leader steps down and acknowledges no write; the majority elects a leader and takes writes; healed, one leader and the replicas agree', { timeout: 40_000 }, async () => {
    const first = (await lab.waitForLeader()).leader!;
    const others = IDS.filter((id) => id !== first);
    expect((await call<KvResult>(lab.api('/kv/before'), kvWrite('1'))).status).toBe(200);

    const fault = await postFault(lab, { kind: 'partition', groups: [[first], [...others, 'registry']] });
    // Straight to the isolated leader: it cannot reach a majority, so it never acknowledges.
    const isolatedWrite = call<KvResult>(lab.api(`/kv/lost?via=${first}`), kvWrite('x'));

    const view = await lab.waitForCluster(
      (v) => {
        const majority = leaders(v).filter((id) => id !== first);
        const isolated = v.nodes.find((n) => n.id === first);
        return majority.length === 1 && isolated?.role !== 'leader' ? v : null;
      },
      { what: `a leader among ${others.join(' and ')}, and ${first} no longer leading`, timeoutMs: 5_000 },
    );
    const second = leaders(view).find((id) => id !== first)!;
    const stepped = await lab.waitForEvent('leader.stepped_down', (e) => e.node === first, { since: fault.sinceSeq, what: `${first} stepping down` });
    // Within a few election timeouts (max 300 ms each) of the partition.
    expect(stepped.time - fault.since).toBeLessThan(4 * view.settings.electionTimeoutMaxMs + 500);

    const unacknowledged = await isolatedWrite;
    expect(unacknowledged.status, JSON.stringify(unacknowledged.body)).not.toBe(200);
    expect((await call<KvResult>(lab.api(`/kv/during?via=${second}`), kvWrite('2'))).status).toBe(200);

    await healAll(lab);
    await waitForOneLeaderAndAgreement(lab, ['before', 'during']);
    const copies = await listings(await lab.cluster());
    // The write the isolated leader logged was never committed: the new leader's log replaced it.
    for (const [id, entries] of copies) expect(entries.includes('"lost"'), `${id} holds the unacknowledged write`).toBe(false);
  });

  it('with PreVote, a one-way cut from the leader to one follower does not unseat it', { timeout: 30_000 }, async () => {
    const view = await lab.waitForLeader();
    expect(view.settings).toMatchObject({ preVote: true });
    const leader = view.leader!;
    const follower = IDS.find((id) => id !== leader)!;
    const cut = await postFault(lab, { kind: 'cut', from: leader, to: follower });

    // The follower feels the cut (it hears no leader and asks whether it would win) …
    await lab.waitForEvent('election.prevote_started', (e) => e.node === follower, { since: cut.sinceSeq, what: `${follower} starting a pre-vote` });
    // … and for two seconds of the cluster's own events after the cut, nobody is elected.
    const WINDOW_MS = 2000;
    const during = await waitFor(
      async () => {
        const page = await lab.events(cut.sinceSeq);
        return page.events.some((e) => e.time >= cut.since + WINDOW_MS) ? page.events.filter((e) => e.time <= cut.since + WINDOW_MS) : null;
      },
      { what: `${WINDOW_MS} ms of events after the cut`, timeoutMs: WINDOW_MS + 5000 },
    );
    expect(during.filter((e) => e.kind === 'leader.elected').map((e) => `${e.node}@${e.kind === 'leader.elected' ? e.data.term : ''}`)).toEqual([]);
    expect(during.filter((e) => e.kind === 'leader.stepped_down' && e.node === leader)).toEqual([]);
    expect((await lab.cluster()).leader).toBe(leader);
    // The leader's sends to the follower were dropped by its own transport, naming the cut.
    expect(during.some((e) => e.kind === 'message.lost' && e.node === leader && e.data.to === follower && e.data.reason === `cut by ${cut.id}`)).toBe(true);

    await healAll(lab);
    await waitForOneLeaderAndAgreement(lab, []);
  });

  it('a clock fault moves only the node’s own sense of time: a follower whose clock jumps ahead hears silence at once', { timeout: 30_000 }, async () => {
    const view = await lab.waitForLeader();
    const leader = view.leader!;
    const follower = IDS.find((id) => id !== leader)!;
    const clock = await postFault(lab, { kind: 'clock', node: follower, offsetMs: 5000 });
    expect(clock.description).toBe(`${follower}'s clock runs 5000 ms ahead`);
    // Its core's now leapt 5 s past the last append it heard; events keep true time. (On a loaded
    // machine a heartbeat can be late enough for an ordinary timeout just before the fault lands:
    // the one to look for is the 5 s silence.)
    const timeout = await lab.waitForEvent('election.timeout', (e) => e.node === follower && e.data.silentMs >= 5000, { since: clock.sinceSeq, what: `${follower} hearing 5 s of silence` });
    expect(timeout.time - clock.since).toBeLessThan(1000);
    await healAll(lab);
    await waitForOneLeaderAndAgreement(lab, []);
  });
});
