import type { ClusterSettings, ClusterView, Fault, FaultsPage, FaultView, KeysTable, KvReadAll, KvResult, KvWriteBody, NodeId } from '@clusterlab/shared';
import type { FindingOps } from '@clusterlab/shared/findings';
import type { WorkloadHistoryFile, WorkloadSpecInput, WorkloadState, WorkloadVerdict, WorkloadView } from '@clusterlab/shared/workloads';
import type { LessonComparisonView, LessonNextRequest, LessonRunRequest, LessonRunView, LessonSummary } from '@clusterlab/shared/lessons';
import type { TxnAnswer, TxnBody } from '../lib/txnForm';
import { ApiRequestError, request } from './rest';

/** Every supervisor endpoint the page uses, typed by the shared contracts. */

export type NodeAction = 'kill' | 'stop' | 'pause' | 'resume' | 'restart';

const key = (k: string) => encodeURIComponent(k);
const via = (v: string | null) => (v ? `?via=${encodeURIComponent(v)}` : '');

// A KV answer from a node that says no (absent key, a version that moved on, no leader, timeout) is still a result to show.
const KV_STATUSES = [400, 404, 409, 412, 413, 414, 500, 502, 503, 504];

/** A write's precondition headers (lib/kvCondition.ts), or null for an unconditional one. */
type Condition = Record<string, string> | null;

export const api = {
  cluster: () => request<ClusterView>('/api/cluster'),
  addNode: () => request<unknown>('/api/nodes', { method: 'POST' }),
  nodeAction: (id: NodeId, action: NodeAction) => request<unknown>(`/api/nodes/${encodeURIComponent(id)}/${action}`, { method: 'POST' }),
  removeNode: (id: NodeId) => request<unknown>(`/api/nodes/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  registryAction: (action: NodeAction) => request<unknown>(`/api/registry/${action}`, { method: 'POST' }),
  reset: (nodes?: number) => request<unknown>('/api/cluster/reset', { method: 'POST', body: nodes === undefined ? {} : { nodes } }),
  /** `through` null = the supervisor picks the leader. */
  put: (k: string, value: string, through: string | null, condition: Condition = null) => kv(`/api/kv/${key(k)}${via(through)}`, 'PUT', value, condition),
  get: (k: string, through: string | null) => kv(`/api/kv/${key(k)}${via(through)}`, 'GET'),
  del: (k: string, through: string | null, condition: Condition = null) => kv(`/api/kv/${key(k)}${via(through)}`, 'DELETE', undefined, condition),
  /** Always to the leader. A 400 (malformed) or 503 (no leader) throws, with the supervisor's sentence as its `reason`. */
  txn: (body: TxnBody) => request<TxnAnswer>('/api/txn', { method: 'POST', body }),
  getAll: (k: string) => request<KvReadAll>(`/api/kv/${key(k)}?via=all`),
  keys: () => request<KeysTable>('/api/keys'),
  settings: () => request<ClusterSettings>('/api/settings'),
  faults: () => request<FaultsPage>('/api/faults'),
  /** A lasting fault answers 201 with its FaultView; a process fault 200 with the node. */
  applyFault: (fault: Fault) => request<FaultView | unknown>('/api/faults', { method: 'POST', body: fault }),
  healFault: (id: string) => request<unknown>(`/api/faults/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  healAll: () => request<unknown>('/api/faults', { method: 'DELETE' }),
  saveSettings: (s: ClusterSettings) => request<unknown>('/api/settings', { method: 'PUT', body: s }),
  startWorkload: (spec: WorkloadSpecInput) => request<{ id: string }>('/api/workloads', { method: 'POST', body: spec }),
  workloads: () => request<{ workloads: { id: string; state: WorkloadState; startedAt: number }[] }>('/api/workloads'),
  workload: (id: string) => request<WorkloadView>(`/api/workloads/${encodeURIComponent(id)}`),
  stopWorkload: (id: string) => request<WorkloadView>(`/api/workloads/${encodeURIComponent(id)}/stop`, { method: 'POST' }),
  workloadHistory: (id: string) => request<WorkloadHistoryFile>(`/api/workloads/${encodeURIComponent(id)}/history`),
  /** What the history diagram draws for one finding of a run's verdict (`sample` when it has none). */
  workloadOps: (id: string, finding: string) => request<FindingOps>(`/api/workloads/${encodeURIComponent(id)}/ops?finding=${encodeURIComponent(finding)}`),
  /** A history file (or a bare history array) checked by the supervisor's checker. */
  check: (file: unknown) => request<WorkloadVerdict>('/api/check', { method: 'POST', body: file }),
  /** The lessons, and the latest run (so a page loaded mid-lesson knows of it). */
  lessons: () => request<{ lessons: LessonSummary[]; latest: LessonRunView | null }>('/api/lessons'),
  /** Resets the cluster to the lesson's and plays it (stopping a lesson that runs): 202 the run, every step pending. Mode `step` pauses once `to` steps are done. */
  runLesson: (id: string, body: LessonRunRequest = {}) => request<LessonRunView>(`/api/lessons/${encodeURIComponent(id)}/run`, { method: 'POST', body }),
  /** A paused run plays on until `to` steps are done (default one more). */
  nextLessonStep: (run: string, body: LessonNextRequest = {}) => request<LessonRunView>(`/api/lessons/runs/${encodeURIComponent(run)}/next`, { method: 'POST', body }),
  /** Plays the lesson under both algorithms, on this cluster and a second one: 202 the comparison, both sides starting. */
  compareLesson: (id: string) => request<LessonComparisonView>(`/api/lessons/${encodeURIComponent(id)}/compare`, { method: 'POST' }),
  /** The latest comparison; 404 before the first. */
  comparison: () => request<LessonComparisonView>('/api/lessons/compare'),
  stopComparison: () => request<LessonComparisonView>('/api/lessons/compare/stop', { method: 'POST' }),
  continueLesson: (run: string) => request<LessonRunView>(`/api/lessons/runs/${encodeURIComponent(run)}/continue`, { method: 'POST' }),
  /** Only the latest run is kept: an older one is a 404. */
  lessonRun: (run: string) => request<LessonRunView>(`/api/lessons/runs/${encodeURIComponent(run)}`),
  stopLesson: (run: string) => request<LessonRunView>(`/api/lessons/runs/${encodeURIComponent(run)}/stop`, { method: 'POST' }),
};

/** A node's "no" comes back as a KvResult; a supervisor's "no" (bad node id…) as a plain error. */
async function kv(path: string, method: string, value?: string, condition: Condition = null): Promise<KvResult> {
  const body = value === undefined ? undefined : ({ value } satisfies KvWriteBody);
  const r = await request<KvResult | { error?: string }>(path, { method, body, okStatuses: KV_STATUSES, headers: condition ?? undefined });
  if (r && typeof (r as KvResult).status === 'number') return r as KvResult;
  throw new ApiRequestError(0, (r as { error?: string })?.error ?? 'unexpected answer');
}
