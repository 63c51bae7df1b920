import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_NODES } from '@clusterlab/shared';
import { action, call } from '../test-utils/http';
import { useSupervisor } from '../test-utils/test-supervisor';

/** Process management at its limit, with stand-in nodes so that 25 processes stay cheap. */
const FAKE_NODE = fileURLToPath(new URL('../test-utils/fake-node.mjs', import.meta.url));

describe('the node limit', () => {
  const lab = useSupervisor({ nodes: MAX_NODES - 1, scripts: { node: FAKE_NODE } });

  it(`adds nodes up to ${MAX_NODES} and refuses the next with 409`, async () => {
    const added = await call(lab.api('/nodes'), action());
    expect(added).toMatchObject({ status: 201, body: { id: `n${MAX_NODES}` } });
    const refused = await call<{ error: string }>(lab.api('/nodes'), action());
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/already has 25 nodes/);
    expect((await lab.cluster()).nodes).toHaveLength(MAX_NODES);
  });
});
