import express, { type IRouter } from 'express';
import {
  describeFault,
  Fault,
  FaultId,
  isClientParty,
  isProcessFault,
  partiesNamed,
  type FaultsPage,
  type FaultView,
  type ProcessFaultDone,
} from '@clusterlab/shared';
import { HttpError, route, withDeclaredLimit, zodMessage } from '../../http/json-http';
import type { ApiContext } from './context';
import { isKnownParty } from './known-parties';
import { nodeAction } from './lifecycle-routes';

/** A fault is a few hundred bytes; a partition of 99 nodes a few more. */
const json = withDeclaredLimit(16 * 1024, express.json({ limit: 16 * 1024, type: () => true }));

/**
 * The fault API — the same faults, as data, that the simulator's schedules and the lessons use:
 *
 *   POST   /api/faults       a Fault. A lasting one (partition, cut, delay, loss, duplicate,
 *                            clock) is put in force: 201 { id, fault, description, since, sinceSeq }.
 *                            A process one (kill, stop, pause, resume, restart) is done once,
 *                            through the process manager like the node buttons: 200
 *                            { fault, description, node } — nothing lasts, so nothing to list or heal.
 *   GET    /api/faults       { faults: [...] }: the lasting faults in force, oldest first.
 *   DELETE /api/faults/:id   heals one: 204, also when it is no longer in force (idempotent);
 *                            `all` heals every one, as a schedule's { "heal": "all" } does.
 *   DELETE /api/faults       heals every one: 204.
 *
 * A fault that does not parse is a 400 naming the field; one naming a party this cluster does
 * not have is a 404. Parties are the nodes the cluster has now, `registry`, `client` (every
 * client: the dashboard's requests and a workload's), and while a workload runs, its clients
 * `c1`…`cN`, one at a time.
 */
export function faultRoutes(router: IRouter, ctx: ApiContext): void {
  route(router, '/api/faults', {
    get: (_req, res) => {
      res.json({ faults: ctx.faults.views() } satisfies FaultsPage);
    },
    post: [
      json,
      async (req, res) => {
        const parsed = Fault.safeParse(req.body);
        if (!parsed.success) throw new HttpError(400, zodMessage(parsed.error, 'invalid fault: '));
        const fault = parsed.data;
        requireParties(ctx, partiesNamed(fault));
        if (isProcessFault(fault)) {
          await nodeAction(ctx, fault.node, fault.kind);
          const node = ctx.view().nodes.find((n) => n.id === fault.node);
          if (!node) throw new HttpError(404, `no node ${JSON.stringify(fault.node)}`);
          res.json({ fault, description: describeFault(fault), node } satisfies ProcessFaultDone);
          return;
        }
        res.status(201).json(ctx.faults.apply(fault) satisfies FaultView);
      },
    ],
    delete: (_req, res) => {
      ctx.faults.heal('all');
      res.status(204).end();
    },
  });

  route(router, '/api/faults/:id', {
    delete: (req, res) => {
      if (req.params.id === 'all') {
        ctx.faults.heal('all');
        res.status(204).end();
        return;
      }
      const id = FaultId.safeParse(String(req.params.id));
      if (!id.success) throw new HttpError(400, zodMessage(id.error, 'invalid fault id: '));
      ctx.faults.heal(id.data);
      res.status(204).end();
    },
  });
}

function requireParties(ctx: ApiContext, parties: string[]): void {
  const nodes = ctx.manager.nodeIds();
  const workloadClients = ctx.workloads.runningClients();
  for (const party of parties) {
    // While a workload runs, its clients c1…cN are parties of their own.
    if (isKnownParty(party, nodes, workloadClients)) continue;
    if (isClientParty(party)) {
      const running = workloadClients > 0 ? `the running workload's clients are c1…c${workloadClients}` : 'no workload is running, so there are no clients of that name';
      throw new HttpError(404, `no client ${JSON.stringify(party)} here: ${running}; "client" names every client, the supervisor's own requests too`);
    }
    throw new HttpError(404, `no party ${JSON.stringify(party)}: the cluster has ${nodes.length > 0 ? `${nodes.join(', ')}, ` : 'no nodes, '}the registry and the clients`);
  }
}
