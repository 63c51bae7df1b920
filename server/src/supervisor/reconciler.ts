import { z } from 'zod';
import { NodeStatus } from '@clusterlab/shared';
import type { ClusterState } from './cluster-state';
import { urlOf } from './cluster-view';
import { parseJson, request } from './http-client';
import type { ProcessManager } from './process-manager';

/**
 * Events are how the supervisor learns, but an event can be lost (a child killed mid-batch, a
 * malformed one dropped). So it also asks: every ~500 ms each running node's GET /status, and
 * every ~250 ms the registry's GET /nodes. The view heals within a poll of any missed event.
 */

const RegistryNodesAnswer = z.object({
  ttlMs: z.number(),
  nodes: z
    .array(z.object({ id: z.string(), host: z.string(), port: z.number(), lastSeenAt: z.number(), expiresAt: z.number() }))
    .max(10_000),
});

export type ReconcilerOptions = {
  state: ClusterState;
  manager: ProcessManager;
  nodeIntervalMs: number;
  registryIntervalMs: number;
  /** Short: a paused node must cost one timeout, not a queue of them. */
  timeoutMs: number;
};

export function startReconciler(options: ReconcilerOptions): { stop(): void } {
  const { state, manager, timeoutMs } = options;

  const pollNodes = async (): Promise<void> => {
    const running = [...manager.nodeFacts()].filter(([, p]) => p.status === 'running' && p.port !== null);
    await Promise.all(
      running.map(async ([id, p]) => {
        const asked = state.beliefVersion(id);
        const answer = await request(`${urlOf(p.port)}/status`, { timeoutMs, maxBodyBytes: 256 * 1024 }).catch(() => null);
        if (answer?.status !== 200) return;
        const parsed = NodeStatus.safeParse(parseJson(answer.body));
        if (parsed.success) state.applyStatus(id, parsed.data, asked);
      }),
    );
  };

  const pollRegistry = async (): Promise<void> => {
    const facts = manager.registryFacts();
    const url = manager.registryUrl();
    if (facts.status !== 'running' || url === null) {
      // A stopped registry lists nobody; a paused one still holds its list, frozen.
      if (facts.status === 'stopped') state.registryNodes = [];
      return;
    }
    const answer = await request(`${url}/nodes`, { timeoutMs, maxBodyBytes: 4 * 1024 * 1024 }).catch(() => null);
    if (answer?.status !== 200) return;
    const parsed = RegistryNodesAnswer.safeParse(parseJson(answer.body));
    if (!parsed.success) return;
    state.registryTtlMs = parsed.data.ttlMs;
    state.registryNodes = parsed.data.nodes;
  };

  const pollers = [every(options.nodeIntervalMs, pollNodes), every(options.registryIntervalMs, pollRegistry)];
  return { stop: () => pollers.forEach((p) => p.stop()) };
}

/** Runs `task` every `intervalMs`, never two at once: a slow round delays the next, it does not pile up. */
function every(intervalMs: number, task: () => Promise<void>): { stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = (): void => {
    timer = setTimeout(() => {
      task()
        .catch(() => {})
        .finally(() => {
          if (!stopped) loop();
        });
    }, intervalMs);
  };
  loop();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
