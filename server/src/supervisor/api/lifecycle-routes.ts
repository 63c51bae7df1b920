import type { IRouter } from 'express';
import { isNodeId, PROCESS_ACTIONS, type NodeView, type ProcessAction, type RegistryView } from '@clusterlab/shared';
import { HttpError, route } from '../../http/json-http';
import { changeMembership } from '../membership';
import { isDamagedLog, rebuildDamagedNode } from '../rebuild';
import { directoryOf, type ApiContext } from './context';

/**
 * The fault-injection buttons: add, kill, stop, pause, resume, restart and remove nodes, and
 * the same for the registry. Each answers with the target as it is once the action is done.
 * With Raft, adding and removing a node also change the configuration in its log.
 */
/** How long a change of membership may take, by the cluster's write timeout. */
function membershipOptionsOf(ctx: ApiContext) {
  const { writeTimeoutMs } = ctx.manager.settings;
  return { timeoutMs: writeTimeoutMs + 1000, deadlineMs: Math.max(5000, 2 * writeTimeoutMs), retryMs: 100 };
}

/**
 * Kill, stop, pause, resume or restart a node, as its button (or a process fault posted to
 * /api/faults) asks: a restart that fails on a damaged log rebuilds the node from the others.
 */
export async function nodeAction(ctx: ApiContext, id: string, action: ProcessAction): Promise<void> {
  try {
    await ctx.manager.nodeAction(id, action);
  } catch (err) {
    if (!(action === 'restart' && err instanceof HttpError && isNodeId(id) && isDamagedLog(ctx.manager, id))) throw err;
    await rebuildDamagedNode({ manager: ctx.manager, directory: () => directoryOf(ctx), membership: () => membershipOptionsOf(ctx) }, id, err);
  }
}

/**
 * Starts one more node, as the Add node button does; with Raft it also joins the configuration
 * through the log (a node that could not join is removed again rather than left waiting).
 */
export async function addNode(ctx: ApiContext): Promise<string> {
  const id = await ctx.manager.addNode();
  if (ctx.manager.settings.algorithm === 'raft') {
    try {
      await changeMembership(() => directoryOf(ctx), { action: 'add', id }, membershipOptionsOf(ctx));
    } catch (err) {
      await ctx.manager.removeNode(id).catch(() => {});
      throw err;
    }
  }
  return id;
}

/** Removes a node, as its Remove button does; with Raft the configuration drops it first, through the log. */
export async function removeNode(ctx: ApiContext, id: string): Promise<void> {
  // Stopping a voter that is still counted would only make the remaining majority harder to reach.
  if (ctx.manager.settings.algorithm === 'raft') await changeMembership(() => directoryOf(ctx), { action: 'remove', id }, membershipOptionsOf(ctx));
  await ctx.manager.removeNode(id);
}

export function lifecycleRoutes(router: IRouter, ctx: ApiContext): void {
  const nodeView = (id: string): NodeView => {
    const node = ctx.view().nodes.find((n) => n.id === id);
    if (!node) throw new HttpError(404, `no node ${JSON.stringify(id)}`);
    return node;
  };

  route(router, '/api/nodes', {
    get: (_req, res) => {
      res.json(ctx.view().nodes);
    },
    post: async (_req, res) => {
      const id = await addNode(ctx);
      res.status(201).json(nodeView(id));
    },
  });

  route(router, '/api/nodes/:id', {
    get: (req, res) => {
      res.json(nodeView(String(req.params.id)));
    },
    delete: async (req, res) => {
      const id = String(req.params.id);
      nodeView(id);
      await removeNode(ctx, id);
      res.status(204).end();
    },
  });

  for (const action of PROCESS_ACTIONS) {
    route(router, `/api/nodes/:id/${action}`, {
      post: async (req, res) => {
        const id = String(req.params.id);
        await nodeAction(ctx, id, action);
        res.json(nodeView(id));
      },
    });
  }

  route(router, '/api/registry', {
    get: (_req, res) => {
      res.json(ctx.view().registry satisfies RegistryView);
    },
  });

  for (const action of PROCESS_ACTIONS) {
    route(router, `/api/registry/${action}`, {
      post: async (_req, res) => {
        await ctx.manager.registryAction(action);
        res.json(ctx.view().registry satisfies RegistryView);
      },
    });
  }
}
