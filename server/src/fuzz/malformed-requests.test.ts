import { beforeAll, describe, expect, it } from 'vitest';
import type { ClusterView, KvResult } from '@clusterlab/shared';
import { call } from '../test-utils/http';
import { isAlive } from '../test-utils/processes';
import { useSupervisor } from '../test-utils/test-supervisor';
import { CATALOGUE, type CaseContext, type HttpCase, type Surface, type WsCase } from './malformed-catalogue';
import { sendRaw, wsExchange, type RawAnswer, type RawOutcome, type WsOutcome } from './raw-client';

/**
 * The hardening fuzz: every kind of malformed request in the catalogue, sent to one real
 * cluster (supervisor, registry, three nodes), must be answered with a JSON `{ error }` and a
 * 4xx — or, on /ws, refused at the upgrade or closed with a 1xxx/4xxx code — and afterwards
 * every process still runs and the cluster still elects, writes and reads.
 */

type Targets = { supervisor: number; node: number; registry: number; nodePid: number; registryPid: number; nodeId: string; otherNodeId: string };

describe('malformed requests on every surface', () => {
  const lab = useSupervisor({ nodes: 3 }, 'all');
  let targets: Targets;

  beforeAll(async () => {
    // A settled cluster: a leader, and every node listed by the registry, so that whatever
    // follows is the fuzz's doing and not a cluster still coming up.
    const view = await lab.waitForCluster(
      (v) => v.leader !== null && v.nodes.every((n) => n.status === 'running' && n.port) && v.registry.nodes.length === 3 ? v : null,
      { what: 'three running nodes, all registered, and a leader', timeoutMs: 15_000 },
    );
    const leader = view.nodes.find((n) => n.id === view.leader)!;
    const other = view.nodes.find((n) => n.id !== leader.id)!;
    targets = {
      supervisor: lab.supervisor.port,
      node: leader.port!,
      nodePid: leader.pid!,
      nodeId: leader.id,
      otherNodeId: other.id,
      registry: view.registry.port!,
      registryPid: view.registry.pid!,
    };
  });

  it('catalogues at least 100 distinct kinds, on all four surfaces', () => {
    const names = CATALOGUE.map((c) => `${c.surface}: ${c.name}`);
    expect(new Set(names).size, `duplicate names: ${names.filter((n, i) => names.indexOf(n) !== i).join('; ')}`).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(100);
    const perSurface = countBy(CATALOGUE.map((c) => c.surface));
    for (const surface of ['supervisor', 'node', 'registry', 'ws'] satisfies Surface[]) expect(perSurface[surface] ?? 0).toBeGreaterThanOrEqual(15);
  });

  // Concurrent in small groups (vitest's maxConcurrency); each case has its own connection.
  it.concurrent.each(CATALOGUE.map((c) => [`${c.surface}: ${c.name}`, c] as const))('%s', async (name, c) => {
    const ctx = contextFor(c.surface, targets);
    const problem = c.surface === 'ws' ? await runWsCase(c, ctx, targets) : await runHttpCase(c as HttpCase, ctx, targets);
    expect(problem, `${name}: ${problem}`).toBeNull();
  });

  it('leaves every process running, with a leader, writing and reading', async () => {
    const pids = lab.supervisor.pids();
    expect(pids.filter((pid) => !isAlive(pid)), 'processes that died').toEqual([]);
    expect(pids).toEqual(expect.arrayContaining([targets.nodePid, targets.registryPid]));

    const view = await lab.waitForCluster((v: ClusterView) => v.leader !== null && v.nodes.filter((n) => n.status === 'running').length === 3 ? v : null, {
      what: 'three running nodes and a leader after the fuzz',
      timeoutMs: 10_000,
    });
    expect(view.nodes.map((n) => n.pid)).toEqual(expect.arrayContaining([targets.nodePid]));

    // A valid write, as the API takes it: JSON { value }, with Content-Type: application/json.
    const value = 'still-here';
    const written = await call<KvResult>(lab.api('/kv/fuzz-survivor'), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value }) });
    expect(written.status, JSON.stringify(written.body)).toBe(200);
    const read = await call<KvResult>(lab.api('/kv/fuzz-survivor?read=leader'));
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.value).toBe(value);
  });
});

function contextFor(surface: Surface, t: Targets): CaseContext {
  const port = surface === 'node' ? t.node : surface === 'registry' ? t.registry : t.supervisor;
  return { host: `127.0.0.1:${port}`, nodeId: t.nodeId, otherNodeId: t.otherNodeId };
}

/** What is wrong with the answer to one HTTP case, or null when it is a JSON 4xx and its server still runs. */
async function runHttpCase(c: HttpCase, ctx: CaseContext, t: Targets): Promise<string | null> {
  const port = c.surface === 'node' ? t.node : c.surface === 'registry' ? t.registry : t.supervisor;
  const outcome = await sendRaw(port, c.request(ctx));
  return judgeAnswer(outcome) ?? stillRunning(c.surface, t);
}

function judgeAnswer(outcome: RawOutcome): string | null {
  if (outcome.kind === 'none') return `no answer: ${outcome.why}`;
  return judgeJsonError(outcome.answer);
}

function judgeJsonError(answer: RawAnswer): string | null {
  const got = `got ${answer.status}, content-type ${JSON.stringify(answer.headers['content-type'] ?? null)}, body ${JSON.stringify(answer.body.slice(0, 300))}`;
  if (answer.status < 400 || answer.status > 499) return `expected a 4xx; ${got}`;
  if (!/^application\/json\b/i.test(answer.headers['content-type'] ?? '')) return `expected content-type application/json; ${got}`;
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return `the body is not JSON; ${got}`;
  }
  const error = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { error?: unknown }).error : undefined;
  if (typeof error !== 'string' || error.length === 0) return `the body has no non-empty string "error"; ${got}`;
  return null;
}

async function runWsCase(c: WsCase, ctx: CaseContext, t: Targets): Promise<string | null> {
  const outcome = await wsExchange(t.supervisor, c.handshake(ctx), c.frames);
  return judgeWs(outcome, c) ?? (await supervisorServes(t));
}

function judgeWs(outcome: WsOutcome, c: WsCase): string | null {
  switch (outcome.kind) {
    case 'none':
      return `no answer: ${outcome.why}`;
    case 'refused':
      return judgeJsonError(outcome.answer);
    case 'open':
      return c.frames.length === 0 ? 'the upgrade was accepted' : 'the connection is still open after what was sent';
    case 'closed': {
      const { code, reason } = outcome;
      if (code !== null && ((code >= 1000 && code <= 1999) || (code >= 4000 && code <= 4999))) return null;
      return `closed with ${code === null ? 'no close code' : `code ${code}`} (${reason})`;
    }
  }
}

function stillRunning(surface: Surface, t: Targets): string | null {
  if (surface === 'node' && !isAlive(t.nodePid)) return `the node (pid ${t.nodePid}) is gone`;
  if (surface === 'registry' && !isAlive(t.registryPid)) return `the registry (pid ${t.registryPid}) is gone`;
  return null;
}

async function supervisorServes(t: Targets): Promise<string | null> {
  const answer = await call(`http://127.0.0.1:${t.supervisor}/api/cluster`).catch((err: Error) => ({ status: 0, body: err.message }));
  return answer.status === 200 ? null : `afterwards GET /api/cluster answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`;
}

function countBy(items: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}
