import express, { type IRouter } from 'express';
import { findings, History, opsForFinding, sampleFinding, type FindingOps, isHeal, partiesNamed, WorkloadHistoryFile, WorkloadSpec, type WorkloadHistoryFile as HistoryFile } from '@clusterlab/shared';
import { historyProblems } from '../../check';
import { HttpError, route, withDeclaredLimit, zodMessage } from '../../http/json-http';
import { checkInWorker } from '../workload/check-in-worker';
import { isKnownParty } from './known-parties';
import type { ApiContext } from './context';

/** A spec with a long schedule is a few MB at most. */
const specJson = withDeclaredLimit(4 * 1024 * 1024, express.json({ limit: 4 * 1024 * 1024, type: () => true }));
/** An imported history: a 60 s run at a few thousand ops/s is tens of MB of JSON. */
const historyJson = withDeclaredLimit(256 * 1024 * 1024, express.json({ limit: 256 * 1024 * 1024, type: () => true }));

/**
 * Workloads on the real cluster (see shared/src/workloads.ts for the shapes):
 *
 *   POST /api/workloads              a WorkloadSpec → 201 { id }; 400 naming the field; 409 while one runs
 *   GET  /api/workloads              { workloads: [{ id, state, startedAt }] }, newest first
 *   GET  /api/workloads/:id          the WorkloadView
 *   POST /api/workloads/:id/stop     ends it early (its history is still checked) → the view
 *   GET  /api/workloads/:id/history  { history, finalStates, spec, faults } — what `npm run check` reads
 *   GET  /api/workloads/:id/ops?finding=<id>  { finding, ops }: what the history diagram draws for one
 *                                    finding (ids as shared/src/findings.ts makes them; `sample` when none)
 *   POST /api/check                  a history file (or a bare history) → its WorkloadVerdict
 */
export function workloadRoutes(router: IRouter, ctx: ApiContext): void {
  route(router, '/api/workloads', {
    get: (_req, res) => {
      res.json({ workloads: ctx.workloads.list() });
    },
    post: [
      specJson,
      (req, res) => {
        const parsed = WorkloadSpec.safeParse(req.body);
        if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error, 'invalid workload: '));
        requireKnownParties(ctx, parsed.data);
        const run = ctx.workloads.start(parsed.data);
        res.status(201).json({ id: run.id });
      },
    ],
  });

  route(router, '/api/workloads/:id', {
    get: (req, res) => {
      res.json(ctx.workloads.get(String(req.params.id)).view());
    },
  });

  route(router, '/api/workloads/:id/stop', {
    post: (req, res) => {
      const run = ctx.workloads.get(String(req.params.id));
      run.stop('stopped from the API');
      res.json(run.view());
    },
  });

  route(router, '/api/workloads/:id/history', {
    get: (req, res) => {
      const run = ctx.workloads.get(String(req.params.id));
      const view = run.view();
      const file: HistoryFile = {
        history: run.history(),
        finalStates: run.finalStates,
        spec: view.spec,
        faults: view.faults.map(({ id, fault, description, fromMs, toMs }) => ({ id, fault, description, fromMs, toMs })),
      };
      res.json(file);
    },
  });

  // The operations a history diagram draws for one finding of the verdict (or `sample`, when it
  // found nothing): at most MAX_DIAGRAM_OPS, so a page never holds a long run's whole history.
  route(router, '/api/workloads/:id/ops', {
    get: (req, res) => {
      const run = ctx.workloads.get(String(req.params.id));
      const verdict = run.verdict;
      if (!verdict) throw new HttpError(409, `workload ${run.id} has no verdict yet (it is ${run.state}); its findings come with it`);
      const wanted = typeof req.query.finding === 'string' ? req.query.finding : 'sample';
      // The recorded ops themselves, not a copy: a long run's history is a million of them.
      const history = [...run.ops, ...verdict.finalReads];
      const all = findings(verdict);
      const finding = wanted === 'sample' ? sampleFinding(history, run.faults) : all.find((f) => f.id === wanted);
      if (!finding) throw new HttpError(404, `the verdict of ${run.id} has no finding ${JSON.stringify(wanted)}; its findings are ${all.map((f) => f.id).slice(0, 10).join(', ') || 'none (ask for finding=sample)'}`);
      res.json({ finding, ops: opsForFinding(history, finding) } satisfies FindingOps);
    },
  });

  route(router, '/api/check', {
    post: [
      historyJson,
      async (req, res) => {
        const body: unknown = req.body;
        const parsed = Array.isArray(body) ? History.safeParse(body) : WorkloadHistoryFile.safeParse(body);
        if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error, 'not a history: '));
        const { history, finalStates } = Array.isArray(parsed.data) ? { history: parsed.data, finalStates: undefined } : parsed.data;
        const problems = historyProblems(history);
        if (problems.length > 0) throw new HttpError(400, `not a history that makes sense: ${problems.slice(0, 3).join('; ')}`);
        res.json(await checkInWorker(ctx.checkerProgram, history, finalStates));
      },
    ],
  });
}

/** `through` and every party the schedule names must be this cluster's (or the run's clients). */
function requireKnownParties(ctx: ApiContext, spec: WorkloadSpec): void {
  const nodes: string[] = ctx.manager.nodeIds();
  if (spec.through !== 'leader' && spec.through !== 'any' && !nodes.includes(spec.through)) {
    throw new HttpError(400, `invalid workload: through: there is no node ${spec.through}; the cluster has ${nodes.join(', ') || 'no nodes'}`);
  }
  for (const [i, step] of (spec.faults ?? []).entries()) {
    if (isHeal(step)) continue;
    for (const party of partiesNamed(step.fault)) {
      if (isKnownParty(party, nodes, spec.clients)) continue;
      throw new HttpError(400, `invalid workload: faults.${i}.fault: names ${JSON.stringify(party)}, which is neither a node of this cluster (${nodes.join(', ')}), the registry, nor one of the run's clients c1…c${spec.clients}`);
    }
  }
}
