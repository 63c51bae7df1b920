import type { ClusterSettings, FaultView, LastingFault, NodeId } from '@clusterlab/shared';
import { appStore } from '../stores/store';
import type { KvOp } from '../stores/keysSlice';
import { preconditionHeaders } from '../lib/kvCondition';
import type { TxnBody } from '../lib/txnForm';
import { api, type NodeAction } from './endpoints';
import { ApiRequestError } from './rest';

/**
 * What the buttons do. Each marks its target busy (so the button waits instead of being
 * clicked twice) and reports failure in the status line; the cluster itself shows success.
 */

const { actions } = appStore.getState();

async function run<T>(target: string, label: string, fn: () => Promise<T>): Promise<T | undefined> {
  actions.setBusy(target, label);
  try {
    return await fn();
  } catch (err) {
    actions.toast('error', `${label} failed — ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  } finally {
    actions.setBusy(target, null);
  }
}

export const nodeAction = (id: NodeId, action: NodeAction) => run(id, `${cap(action)} ${id}`, () => api.nodeAction(id, action));
export const removeNode = (id: NodeId) => run(id, `Remove ${id}`, () => api.removeNode(id));
export const registryAction = (action: NodeAction) => run('registry', `${cap(action)} registry`, () => api.registryAction(action));
export const addNode = () => run('cluster', 'Add node', () => api.addNode());

export async function resetCluster(nodes: number): Promise<void> {
  const ok = await run('cluster', 'Reset cluster', () => api.reset(nodes));
  if (ok !== undefined) actions.toast('info', `Cluster reset with ${nodes} node${nodes === 1 ? '' : 's'}`);
  void refreshKeys();
}

export async function saveSettings(s: ClusterSettings): Promise<boolean> {
  const ok = await run('cluster', 'Apply settings', () => api.saveSettings(s));
  if (ok === undefined) return false;
  actions.toast('info', 'Settings applied; the cluster restarted');
  return true;
}

/**
 * `through` null = whichever node leads. `ifVersion`: the write applies only if the key is
 * still at that version (0: absent); a read ignores it.
 */
export async function kvRequest(op: KvOp, key: string, through: string | null, value = '', ifVersion?: number): Promise<void> {
  const condition = op === 'get' || ifVersion === undefined ? null : preconditionHeaders(op, ifVersion);
  // The form never asks this (the button is off), but a write that cannot be sent as asked is not sent unconditionally instead.
  if (op !== 'get' && ifVersion !== undefined && condition === null) return;
  actions.setKeys({ pending: op });
  const started = performance.now();
  try {
    const result = op === 'put' ? await api.put(key, value, through, condition) : op === 'delete' ? await api.del(key, through, condition) : await api.get(key, through);
    actions.setKeys({
      last: { op, via: through ?? 'leader', key, value: op === 'put' ? value : undefined, ifVersion: condition ? ifVersion : undefined, result, latencyMs: performance.now() - started },
    });
  } catch (err) {
    actions.toast('error', `${op.toUpperCase()} ${key} failed — ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    actions.setKeys({ pending: null });
  }
  if (op !== 'get') void refreshKeys();
}

/** Runs a transaction on the leader; its answer, or why there is none, shows in the Transaction panel. */
export async function runTxn(body: TxnBody): Promise<void> {
  actions.setKeys({ txnPending: true });
  const started = performance.now();
  try {
    const answer = await api.txn(body);
    actions.setKeys({ txn: { sent: body, latencyMs: performance.now() - started, answer, error: null } });
  } catch (err) {
    const error = err instanceof ApiRequestError ? { status: err.status, reason: err.reason } : { status: 0, reason: String(err) };
    actions.setKeys({ txn: { sent: body, latencyMs: performance.now() - started, answer: null, error } });
  } finally {
    actions.setKeys({ txnPending: false });
  }
  void refreshKeys();
}

export async function readFromAll(key: string): Promise<void> {
  actions.setKeys({ pending: 'get-all' });
  try {
    actions.setKeys({ readAll: await api.getAll(key) });
  } catch (err) {
    actions.toast('error', `Read ${key} from all nodes failed — ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    actions.setKeys({ pending: null });
  }
}

let keysInFlight: Promise<void> | null = null;

/** Coalesced: a poll and a post-write refresh at the same moment make one request. */
export function refreshKeys(): Promise<void> {
  // Looking at the past, the table is the moment's (api/travel.ts), not the cluster's now.
  if (appStore.getState().travel.mode === 'past') return Promise.resolve();
  keysInFlight ??= api
    .keys()
    .then((table) => {
      if (appStore.getState().travel.mode === 'live') actions.setKeys({ table, tableAt: Date.now(), tableError: null });
    })
    .catch((err: unknown) => {
      if (appStore.getState().travel.mode === 'live') actions.setKeys({ tableError: err instanceof Error ? err.message : String(err) });
    })
    .finally(() => {
      keysInFlight = null;
    });
  return keysInFlight;
}

/*
 * Faults: errors are shown in the Faults panel itself (faults.error), next to what failed.
 * Each change re-reads GET /api/faults, so the list is right even if an event was missed.
 */
async function faultCall(label: string, fn: () => Promise<unknown>): Promise<boolean> {
  actions.setBusy('faults', label);
  try {
    await fn();
    actions.setFaults({ error: null });
    return true;
  } catch (err) {
    actions.setFaults({ error: `${label} failed — ${err instanceof Error ? err.message : String(err)}` });
    return false;
  } finally {
    actions.setBusy('faults', null);
    await loadFaults();
  }
}

export async function loadFaults(): Promise<void> {
  try {
    const page = await api.faults();
    actions.setFaults({ list: page.faults, loaded: true });
  } catch (err) {
    actions.setFaults({ error: `Loading the faults failed — ${err instanceof Error ? err.message : String(err)}` });
  }
}

/** Posts the faults in order; stops at the first the supervisor refuses. */
export const applyFaults = (label: string, faults: readonly LastingFault[]) =>
  faultCall(label, async () => {
    for (const fault of faults) await api.applyFault(fault);
  });
export const healFault = (id: string) => faultCall(`Heal ${id}`, () => api.healFault(id));
export const healAllFaults = () => faultCall('Heal all faults', () => api.healAll());
/** Heals several faults in turn (a link's one-way cuts, say). */
export const healFaults = (label: string, ids: readonly string[]) =>
  faultCall(label, async () => {
    for (const id of ids) await api.healFault(id);
  });
/** Swaps a fault for another (a slider moved): heal the old, apply the new (none = just heal). */
export const replaceFault = (label: string, old: FaultView | undefined, next: LastingFault | null) =>
  faultCall(label, async () => {
    if (old) await api.healFault(old.id);
    if (next) await api.applyFault(next);
  });

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
