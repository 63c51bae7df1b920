import type { IRouter } from 'express';
import { PROCESS_ACTIONS, type NodeView, type RegistryView } from '@clusterlab/shared';
import { HttpError, route } from '../../http/json-http';
import type { ApiContext } from './context';

/**
 * The fault-injection buttons: add, kill, stop, pause, resume, restart and remove nodes, and
 * the same for the registry. Each answers with the target as it is once the action is done.
 */
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
      const id = await ctx.manager.addNode();
      res.status(201).json(nodeView(id));
    },
  });

  route(router, '/api/nodes/:id', {
    get: (req, res) => {
      res.json(nodeView(String(req.params.id)));
    },
    delete: async (req, res) => {
      await ctx.manager.removeNode(String(req.params.id));
      res.status(204).end();
    },
  });

  for (const action of PROCESS_ACTIONS) {
    route(router, `/api/nodes/:id/${action}`, {
      post: async (req, res) => {
        const id = String(req.params.id);
        await ctx.manager.nodeAction(id, action);
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
