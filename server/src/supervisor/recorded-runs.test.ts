import { describe, expect, it } from 'vitest';
import { parseTrace, type AlgorithmId } from '@clusterlab/shared';
import { replayBoot } from '../node/replay/replay-boot';
import { Fork } from '../sim/fork';
import { action, call, json, kvWrite } from '../test-utils/http';
import { useSupervisor } from '../test-utils/test-supervisor';
import { waitFor } from '../test-utils/wait-for';
import type { RunSummary } from './runs';

/**
 * Every cluster the supervisor runs is recorded, and the recording is exact: downloaded as a
 * trace, each node process's core is re-created from its boot line and re-run through its
 * recorded inputs, and every step gives the outputs the real process gave — through writes,
 * a SIGKILL of the leader and its restart (a new boot with the disk it had).
 */
async function recordAFailover(lab: ReturnType<typeof useSupervisor>) {
  const first = (await lab.waitForLeader()).leader!;
  for (let i = 0; i < 15; i++) expect((await call(lab.api(`/kv/k${i}`), kvWrite(`v${i}`))).status).toBe(200);
  expect((await call(lab.api(`/nodes/${first}/kill`), action())).status).toBe(200);
  const second = (await lab.waitForLeader({ not: first, timeoutMs: 20_000 })).leader!;
  for (let i = 15; i < 20; i++) expect((await call(lab.api(`/kv/k${i}`), kvWrite(`v${i}`))).status).toBe(200);
  const since = lab.supervisor.events(0, 20_000).at(-1)!.seq;
  expect((await call(lab.api(`/nodes/${first}/restart`), action())).status).toBe(200);
  await lab.waitForEvent('leader.followed', (e) => e.node === first && e.data.leader === second, { since, timeoutMs: 20_000 });
  return { first, second };
}

async function download(lab: ReturnType<typeof useSupervisor>, id: string) {
  const res = await fetch(lab.api(`/runs/${id}/trace`), { headers: lab.auth() });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
  return parseTrace(await res.text());
}

for (const algorithm of ['bully', 'raft'] as AlgorithmId[]) {
  describe(`recorded runs of a ${algorithm} cluster (real processes)`, () => {
    const lab = useSupervisor({ nodes: 3, settings: { algorithm } });

    it('replays every node process of a recorded failover exactly, step for step', { timeout: 60_000 }, async () => {
      const { first } = await recordAFailover(lab);
      const runs = (await call<{ runs: RunSummary[] }>(lab.api('/runs'), { headers: lab.auth() })).body.runs;
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ id: 'r1', endedAt: null, algorithm, nodes: 3, truncated: [] });

      const trace = await download(lab, 'r1');
      expect(trace.header).toMatchObject({ source: 'real', run: 'r1', algorithm, nodes: 3 });
      // n1, n2, n3, and the killed leader again after its restart.
      expect(trace.boots.map((b) => b.boot.node).sort()).toEqual([first, 'n1', 'n2', 'n3'].sort());
      expect(trace.events.length).toBeGreaterThan(200);
      expect(trace.events.some((e) => e.kind === 'fault.injected' && e.data.action === 'kill')).toBe(true);

      let steps = 0;
      for (const record of trace.boots) {
        const replay = replayBoot(record);
        expect(replay.mismatch, `${record.boot.node} (${record.boot.boot})`).toBeNull();
        steps += replay.steps;
      }
      expect(steps).toBeGreaterThan(200);
      // The restarted leader's boot began from what its disk held: every key written before the kill.
      const restarted = trace.boots.filter((b) => b.boot.node === first)[1]!;
      expect(replayBoot(restarted, { upTo: 1 }).core.status().keyCount).toBeGreaterThanOrEqual(15);

      // Forked at the moment the leader's exit was seen: the survivors as they were then, and a
      // random continuation that keeps every invariant.
      const exit = trace.events.find((e) => e.kind === 'node.exited' && e.data.id === first)!;
      const fork = new Fork(trace, exit.seq);
      expect(fork.recordedViolation).toBeNull();
      expect(fork.stateOf(first)).toBe('crashed');
      const continued = fork.runRandom(200, 1);
      expect(continued).toHaveLength(200);
      expect(fork.violation).toBeNull();
    });
  });
}

describe('a supervisor told not to record', () => {
  const lab = useSupervisor({ nodes: 1, record: false });

  it('lists no runs and has no trace to give', async () => {
    await lab.waitForLeader();
    expect((await call<{ runs: RunSummary[] }>(lab.api('/runs'), { headers: lab.auth() })).body.runs).toEqual([]);
    expect((await call(lab.api('/runs/r1/trace'), { headers: lab.auth() })).status).toBe(404);
  });
});

describe('the list of runs', () => {
  const lab = useSupervisor({ nodes: 3 });

  it('starts a new run at a reset, ends the old one, and answers an unknown run with 404', { timeout: 60_000 }, async () => {
    await lab.waitForLeader();
    expect((await call(lab.api('/cluster/reset'), json('POST', { nodes: 3 }))).status).toBe(200);
    await lab.waitForLeader();
    const runs = (await call<{ runs: RunSummary[] }>(lab.api('/runs'), { headers: lab.auth() })).body.runs;
    expect(runs.map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(runs[0]!.endedAt).toBeNull();
    expect(runs[1]!.endedAt).toBeGreaterThan(runs[1]!.startedAt);
    expect(runs[1]!.events).toBeGreaterThan(10);
    const old = await download(lab, 'r1');
    // The old run ends with the reset that ended it; the new one begins with its own cluster.started.
    expect(old.events.some((e) => e.kind === 'fault.injected' && e.data.action === 'reset')).toBe(true);
    expect((await download(lab, 'r2')).events[0]).toMatchObject({ kind: 'cluster.started' });

    const missing = await call<{ error: string }>(lab.api('/runs/r9/trace'), { headers: lab.auth() });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/no recorded run "r9"/);
  });
});

describe('a message of the run being recorded', () => {
  const lab = useSupervisor({ nodes: 3 });

  it('gives the payload its receiver was given, and says why it has none for a bad or unknown id', { timeout: 60_000 }, async () => {
    await lab.waitForLeader();
    const since = lab.supervisor.events(0, 20_000).at(-1)!.seq;
    expect((await call(lab.api('/kv/greeting'), kvWrite('hello'))).status).toBe(200);
    // The replication message that carried the write to a follower: one of the appends received
    // since. Nodes write their recording in batches, so a receipt's line reaches the disk within
    // 50 ms or so: until then its payload is not found.
    type Found = { id: string; to: string; step: number; payload: { type: string } };
    const [receipt, found] = await waitFor(
      async () => {
        for (const e of lab.supervisor.events(since, 20_000)) {
          if (e.kind !== 'message.received' || e.data.type !== 'append') continue;
          const res = await call<Found>(lab.api(`/runs/current/messages/${e.data.id}?to=${e.node}`), { headers: lab.auth() });
          if (res.status === 200 && JSON.stringify(res.body.payload).includes('"greeting"')) return [e, res.body] as const;
        }
        return null;
      },
      { what: 'the recorded append that carried the write of "greeting"' },
    );
    expect(found).toMatchObject({ id: receipt.data.id, to: receipt.node, payload: { type: 'append' } });
    // Without `to` every node's file is searched, with the same answer.
    expect((await call(lab.api(`/runs/r1/messages/${receipt.data.id}`), { headers: lab.auth() })).body).toEqual(found);

    const bad = await call<{ error: string }>(lab.api('/runs/current/messages/not-an-id'), { headers: lab.auth() });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/is not a message id/);
    const badTo = await call<{ error: string }>(lab.api(`/runs/current/messages/${receipt.data.id}?to=zz`), { headers: lab.auth() });
    expect(badTo.status).toBe(400);
    const unknown = await call<{ error: string }>(lab.api('/runs/current/messages/n1-zzzz-9999'), { headers: lab.auth() });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/lost or refused/);
  });
});

describe('a node killed just after a write', () => {
  const lab = useSupervisor({ nodes: 3 });

  it('is recorded up to its end: its replayed core holds the write it acknowledged a moment before the SIGKILL', { timeout: 60_000 }, async () => {
    const leader = (await lab.waitForLeader()).leader!;
    // Nodes batch their trace for up to 50 ms; the kill comes at once after the answer.
    for (let i = 0; i < 5; i++) {
      const value = `last-${i}`;
      expect((await call(lab.api('/kv/last'), kvWrite(value))).status).toBe(200);
      if (i < 4) continue;
      expect((await call(lab.api(`/nodes/${leader}/kill`), action())).status).toBe(200);
    }
    const trace = await download(lab, 'r1');
    const boot = trace.boots.filter((b) => b.boot.node === leader).at(-1)!;
    const replay = replayBoot(boot);
    expect(replay.mismatch).toBeNull();
    expect(replay.core.list(10).entries.find(([k]) => k === 'last')?.[1].value).toBe('last-4');
  });
});
