import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NodeView } from '@clusterlab/shared';
import { action, call, kvWrite } from '../test-utils/http';
import { useSupervisor } from '../test-utils/test-supervisor';
import { waitFor } from '../test-utils/wait-for';

/** A restart that cannot succeed says so, with the node's own words, instead of "starting". */
describe('a node that cannot start', () => {
  const lab = useSupervisor({ nodes: 1 });

  it('is reported by the restart that tried, with why: here, a write-ahead log damaged in the middle', async () => {
    await lab.waitForLeader();
    for (let i = 1; i <= 5; i++) {
      await waitFor(async () => (await call(lab.api(`/kv/k${i}`), kvWrite(`value-${i}`))).status === 200, {
        what: `write k${i}`,
      });
    }
    expect((await call(lab.api('/nodes/n1/stop'), action())).status).toBe(200);
    const dir = join(lab.supervisor.dataDir, 'n1');
    const log = join(dir, readdirSync(dir).find((f) => f.startsWith('log-'))!);
    writeFileSync(log, readFileSync(log, 'utf8').replace('value-2', 'value-X'));

    const restart = await call<NodeView & { error?: string }>(lab.api('/nodes/n1/restart'), action());
    expect(restart.status).toBe(502);
    expect(restart.body.error).toMatch(/n1 did not start \(exit code 3\); its last words: .*damaged at record \d+ of \d+/);
    // Alone, there is nobody to rebuild it from: its data is left where it is, untouched.
    expect(restart.body.error).toMatch(/no other node is running to rebuild it from/);
    expect((await lab.cluster()).nodes.find((n) => n.id === 'n1')).toMatchObject({ status: 'stopped', exit: { code: 3 } });
    expect(readFileSync(log, 'utf8')).toContain('value-X');
    await lab.waitForEvent('node.log_damaged', (e) => e.node === 'n1', { timeoutMs: 5000 });
  });
});
