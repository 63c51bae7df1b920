import { expect } from 'vitest';
import type { WorkloadSpecInput, WorkloadView } from '@clusterlab/shared';
import { call, json } from '../../test-utils/http';
import type { TestCluster } from '../../test-utils/test-supervisor';
import { waitFor } from '../../test-utils/wait-for';

/** Starts a workload through the API and answers its id. */
export async function startWorkload(lab: TestCluster, spec: WorkloadSpecInput): Promise<string> {
  const answer = await call<{ id: string }>(lab.api('/workloads'), json('POST', spec));
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id;
}

export async function workloadView(lab: TestCluster, id: string): Promise<WorkloadView> {
  const answer = await call<WorkloadView>(lab.api(`/workloads/${id}`));
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

/** Waits for the verdict (the run's duration plus its check). */
export async function waitForVerdict(lab: TestCluster, id: string, timeoutMs = 60_000): Promise<WorkloadView & { verdict: NonNullable<WorkloadView['verdict']> }> {
  const view = await waitFor(
    async () => {
      const v = await workloadView(lab, id);
      if (v.error) throw new Error(`the check failed: ${v.error}`);
      return v.verdict !== null && (v.state === 'done' || v.state === 'stopped') ? v : null;
    },
    { what: `the verdict of workload ${id}`, timeoutMs, intervalMs: 200 },
  );
  return view as WorkloadView & { verdict: NonNullable<WorkloadView['verdict']> };
}
