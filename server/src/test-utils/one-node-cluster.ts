import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { DEFAULT_SETTINGS, type ActiveFault, type ClusterSettings, type EmittedEvent, type NodeStatus } from '@clusterlab/shared';
import { NodeRuntime } from '../node/runtime/node-runtime';
import { createRegistryApp } from '../registry/app';
import { RegistryTable } from '../registry/registry-table';
import { waitFor } from './wait-for';
import { RefusalReporter } from '../auth/refusal-reporter';
import { TEST_SECRET, testSigner } from './test-secret';
import { memoryEventChannel } from './memory-event-channel';

/**
 * A real one-node cluster on loopback for a test file — the registry and node n1 in this
 * process, talking HTTP — started before its tests once n1 leads, and stopped after them,
 * data dir and all. `base` is n1's URL; `events` what it emitted.
 */
export function useOneNodeCluster(settings: Partial<ClusterSettings> = {}): {
  readonly base: string;
  readonly registry: string;
  readonly events: EmittedEvent[];
  /** Hands n1 the lasting faults in force, as the supervisor would over IPC. */
  setFaults(active: ActiveFault[]): void;
} {
  const events: EmittedEvent[] = [];
  const handle = { base: '', registry: '', events, setFaults: (active: ActiveFault[]) => node?.setFaults(active) };
  let registry: Server | undefined;
  let node: NodeRuntime | undefined;
  let dataDir: string | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'clusterlab-node-api-'));
    const refusals = new RefusalReporter(() => {});
    const app = createRegistryApp({ table: new RegistryTable(1000), now: Date.now, emit: () => {}, log: () => {}, signer: testSigner, refusals, bindHost: '127.0.0.1' });
    registry = await new Promise<Server>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server));
    });
    handle.registry = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
    node = new NodeRuntime({
      id: 'n1',
      host: '127.0.0.1',
      port: 0,
      secret: TEST_SECRET,
      registryUrl: handle.registry,
      dataDir,
      settings: { ...DEFAULT_SETTINGS, ...settings },
      initialVoters: ['n1'],
      log: () => {},
      events: memoryEventChannel('n1', events),
    });
    handle.base = `http://127.0.0.1:${await node.start()}`;
    await waitFor(async () => ((await (await fetch(`${handle.base}/status`)).json()) as NodeStatus).role === 'leader', { what: 'n1 to lead', timeoutMs: 5000 });
  });

  afterAll(async () => {
    await node?.stop();
    registry?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  return handle;
}
