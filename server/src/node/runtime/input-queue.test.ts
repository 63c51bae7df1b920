import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type EmittedEvent } from '@clusterlab/shared';
import { bully } from '../algorithms/bully';
import type { AnyAlgorithm, AnyCore, CoreInput } from '../core/types';
import { NodeRuntime } from './node-runtime';
import { TEST_SECRET } from '../../test-utils/test-secret';
import { memoryEventChannel } from '../../test-utils/memory-event-channel';

/**
 * The runtime's promise to every core: `step` is never re-entered from inside the output loop.
 * A send to a node nobody knows the address of is reported undeliverable at once, while the
 * runtime is still carrying out the step that sent it; that report must wait its turn, after
 * every output of that step, as the simulator delivers it.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type ProbeLog = { reentered: boolean; inputs: CoreInput['type'][]; outputsDone: boolean[] };

/**
 * Bully, except that its first step also sends a message to n99, whom nobody can reach, and
 * then emits a marker event: the last output of that step.
 */
function probing(log: ProbeLog, events: EmittedEvent[]): AnyAlgorithm {
  const real = bully as unknown as AnyAlgorithm;
  return {
    ...real,
    create(config, restored) {
      const core = real.create(config, restored);
      let inside = false;
      let first = true;
      const probe: AnyCore = {
        id: core.id,
        nextWakeAt: () => core.nextWakeAt(),
        status: () => core.status(),
        list: (limit, after) => core.list(limit, after),
        image: () => core.image(),
        step(input) {
          if (inside) log.reentered = true;
          inside = true;
          log.inputs.push(input.type);
          // Whether the first step's outputs had all been carried out when this one began.
          log.outputsDone.push(events.some((e) => e.kind === 'node.peers' && e.data.peers[0] === 'marker'));
          try {
            const out = core.step(input);
            if (first) {
              out.push({ type: 'send', to: 'n99', msg: { type: 'hello', epoch: 0 } });
              out.push({ type: 'event', event: { kind: 'node.peers', data: { peers: ['marker'] } } });
            }
            first = false;
            return out;
          } finally {
            inside = false;
          }
        },
      };
      return probe;
    },
  };
}

describe('the node runtime', () => {
  it('queues an input that arrives while a step is being carried out, instead of stepping inside it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clusterlab-queue-'));
    dirs.push(dataDir);
    const log: ProbeLog = { reentered: false, inputs: [], outputsDone: [] };
    const events: EmittedEvent[] = [];
    const runtime = new NodeRuntime({
      id: 'n1',
      host: '127.0.0.1',
      port: 0,
      secret: TEST_SECRET,
      registryUrl: 'http://127.0.0.1:9', // nobody: the node never hears of a peer, which is fine here
      dataDir,
      settings: DEFAULT_SETTINGS,
      initialVoters: ['n1'],
      log: () => {},
      algorithm: probing(log, events),
      events: memoryEventChannel('n1', events),
    });
    try {
      await runtime.start();
      expect(events.some((e) => e.kind === 'message.lost' && e.data.to === 'n99')).toBe(true);
      expect(log.inputs.slice(0, 2)).toEqual(['start', 'undeliverable']);
      expect(log.outputsDone.slice(0, 2), 'the undeliverable report waited for the rest of the step that sent it').toEqual([false, true]);
      expect(log.reentered).toBe(false);
    } finally {
      await runtime.stop();
    }
  });
});
