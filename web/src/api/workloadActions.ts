import type { WorkloadSpecInput, WorkloadView } from '@clusterlab/shared/workloads';
import { appStore } from '../stores/store';
import { readHistoryFile } from '../lib/historyFile';
import { isLive } from '../stores/workloadSlice';
import { api } from './endpoints';

/*
 * What the Workload panel's buttons do. The run is followed by polling its view once a second
 * (the chart wants the whole series anyway, and a poll cannot miss an event); the diagram asks
 * for its own few operations per finding (useFindingOps). Errors go to the panel (workload.error).
 */

const { actions } = appStore.getState();
const POLL_MS = 1000;
/** Bigger files are refused before reading them: the page would stall parsing them. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

let following: { id: string; timer: ReturnType<typeof setTimeout> | null } | null = null;

/** Shows a run and keeps its view fresh while it runs or is being checked. */
function follow(id: string, first?: WorkloadView) {
  if (following?.timer) clearTimeout(following.timer);
  const me = { id, timer: null as ReturnType<typeof setTimeout> | null };
  following = me;
  const tick = async (view?: WorkloadView) => {
    try {
      const v = view ?? (await api.workload(id));
      if (following !== me) return;
      actions.setWorkload({ view: v, notice: null });
      if (isLive(v)) {
        me.timer = setTimeout(() => void tick(), POLL_MS);
        return;
      }
      following = null;
    } catch (err) {
      if (following !== me) return;
      actions.setWorkload({ notice: `Following ${id} failed — ${message(err)}; trying again` });
      // A blip (the supervisor restarting, a slow answer) should not end the following for good.
      me.timer = setTimeout(() => void tick(), POLL_MS * 3);
    }
  };
  void tick(first);
}

/** The last run, if any (on load and after a reconnect): a page reloaded mid-run picks it up. */
export async function loadLatestWorkload(): Promise<void> {
  try {
    const { workloads } = await api.workloads();
    actions.setWorkload({ loaded: true });
    const latest = workloads[0];
    const shown = appStore.getState().workload.view;
    if (!latest || (shown?.id === latest.id && !isLive(shown) && following === null)) return;
    if (following?.id === latest.id) return;
    follow(latest.id);
  } catch (err) {
    actions.setWorkload({ loaded: true, notice: `Looking up the last workload failed — ${message(err)}` });
  }
}

export async function startWorkload(spec: WorkloadSpecInput): Promise<boolean> {
  actions.setBusy('workload', 'Start workload');
  try {
    const { id } = await api.startWorkload(spec);
    actions.setWorkload({ error: null, notice: null, showing: 'run' });
    follow(id);
    return true;
  } catch (err) {
    actions.setWorkload({ error: `Start workload failed — ${message(err)}` });
    return false;
  } finally {
    actions.setBusy('workload', null);
  }
}

export async function stopWorkload(id: string): Promise<void> {
  actions.setBusy('workload', 'Stop workload');
  try {
    const view = await api.stopWorkload(id);
    actions.setWorkload({ error: null });
    follow(id, view);
  } catch (err) {
    actions.setWorkload({ error: `Stop workload failed — ${message(err)}` });
  } finally {
    actions.setBusy('workload', null);
  }
}

/** Saves a JSON document as a file, the way a download link does. */
function download(name: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function exportHistory(id: string): Promise<void> {
  actions.setBusy('workload', 'Export history');
  try {
    download(`workload-${id}-history.json`, await api.workloadHistory(id));
  } catch (err) {
    actions.setWorkload({ error: `Export history failed — ${message(err)}` });
  } finally {
    actions.setBusy('workload', null);
  }
}

export function exportReport(view: WorkloadView): void {
  download(`workload-${view.id}-report.json`, view);
}

export async function importHistory(file: File): Promise<void> {
  if (file.size > MAX_IMPORT_BYTES) {
    actions.setWorkload({ error: `Import history failed — ${file.name} is ${Math.round(file.size / 1024 / 1024)} MiB; the limit is ${MAX_IMPORT_BYTES / 1024 / 1024} MiB` });
    return;
  }
  actions.setBusy('workload', 'Import history');
  try {
    const read = readHistoryFile(await file.text());
    if ('problem' in read) throw new Error(read.problem);
    const verdict = await api.check(read.body);
    actions.setWorkload({ error: null, showing: 'import', imported: { name: file.name, history: read.history, faults: read.faults, verdict } });
  } catch (err) {
    actions.setWorkload({ error: `Import history failed (${file.name}) — ${message(err)}` });
  } finally {
    actions.setBusy('workload', null);
  }
}

export const showRun = () => actions.setWorkload({ showing: 'run' });
