import type { HistoryOp } from '@clusterlab/shared/history';
import type { ImportedCheck } from '../stores/workloadSlice';

/** What an imported file holds, or why it is not a history: a history array, or an object with one. */
export function readHistoryFile(text: string): { body: unknown; history: HistoryOp[]; faults: ImportedCheck['faults'] } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'the file is not JSON' };
  }
  const history = Array.isArray(parsed) ? parsed : typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { history?: unknown }).history) ? (parsed as { history: unknown[] }).history : null;
  if (history === null) return { problem: 'the file has no history: expected an array of operations, or an object with a "history" array' };
  const faultsRaw = Array.isArray(parsed) ? [] : (parsed as { faults?: unknown }).faults;
  const faults = Array.isArray(faultsRaw)
    ? faultsRaw.filter((f): f is ImportedCheck['faults'][number] => typeof f === 'object' && f !== null && typeof (f as { fromMs?: unknown }).fromMs === 'number' && typeof (f as { description?: unknown }).description === 'string')
    : [];
  // The supervisor validates each operation; the page only draws what it accepted.
  return { body: parsed, history: history as HistoryOp[], faults };
}

