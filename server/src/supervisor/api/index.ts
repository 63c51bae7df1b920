import express, { type IRouter } from 'express';
import { jsonErrorHandler, notFound } from '../../http/json-http';
import { clusterRoutes } from './cluster-routes';
import type { ApiContext } from './context';
import { faultRoutes } from './fault-routes';
import { kvRoutes } from './kv-routes';
import { lessonRoutes } from './lesson-routes';
import { lifecycleRoutes } from './lifecycle-routes';
import { runRoutes } from './run-routes';
import { workloadRoutes } from './workload-routes';

/** The supervisor's REST API under /api: JSON in, JSON out, every error a `{ error }`. */
export function apiRouter(ctx: ApiContext): IRouter {
  const router = express.Router();
  clusterRoutes(router, ctx);
  lifecycleRoutes(router, ctx);
  kvRoutes(router, ctx);
  faultRoutes(router, ctx);
  workloadRoutes(router, ctx);
  runRoutes(router, ctx);
  lessonRoutes(router, ctx);
  // Under /api, an unknown path is a JSON 404, never the dashboard's HTML.
  router.use('/api', notFound());
  router.use(jsonErrorHandler(ctx.log));
  return router;
}
