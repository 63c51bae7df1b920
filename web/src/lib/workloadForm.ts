import type { WorkloadSpecInput } from '@clusterlab/shared/workloads';

/*
 * The workload form: its fields as the learner types them (strings), the presets, and the
 * spec they make. The limits are shared/src/workloads.ts's; that module builds zod schemas,
 * so the page cannot import it at runtime (workloadForm.test.ts checks the two agree).
 */
export const FORM_LIMITS = { maxClients: 256, minDurationMs: 100, maxDurationMs: 10 * 60_000, maxKeys: 1000, maxAccounts: 64 } as const;

export type WorkloadMixChoice = 'mixed' | 'writes' | 'reads' | 'cas' | 'bank';
export type ReadMode = 'local' | 'leader' | 'linearizable';

export type WorkloadFormValues = {
  clients: string;
  /** Seconds, as typed ("30", "7.5"). */
  durationS: string;
  keys: string;
  mix: WorkloadMixChoice;
  read: ReadMode;
  /** "leader", "any" or a node id. */
  through: string;
};

export type WorkloadFormField = keyof WorkloadFormValues;

/** A bank is a kind of workload of its own: its ops are transfers and reads of every balance. */
export const MIXES: Record<WorkloadMixChoice, { label: string; mix: WorkloadSpecInput['mix']; kind?: 'bank' }> = {
  mixed: { label: 'reads + writes', mix: { read: 1, write: 1 } },
  writes: { label: 'writes only', mix: { write: 1 } },
  reads: { label: '9 reads : 1 write', mix: { read: 9, write: 1 } },
  cas: { label: 'reads + compare-and-set', mix: { read: 1, write: 0.2, cas: 2 } },
  bank: { label: 'bank: transfers between the keys', mix: { read: 1, write: 1 }, kind: 'bank' },
};

export const READ_MODES: { value: ReadMode; label: string; explains: string }[] = [
  { value: 'local', label: 'local', explains: 'the serving node answers from its own copy' },
  { value: 'leader', label: 'leader', explains: 'the leader answers from its copy' },
  { value: 'linearizable', label: 'linearizable', explains: 'the leader confirms it still leads before answering' },
];

const MIXED: WorkloadFormValues = { clients: '10', durationS: '30', keys: '10', mix: 'mixed', read: 'local', through: 'leader' };

export const WORKLOAD_PRESETS: { id: string; name: string; explains: string; values: WorkloadFormValues }[] = [
  { id: 'mixed', name: '10 clients, 30 s, mixed', explains: 'half reads, half writes on 10 keys, through the leader, local reads', values: MIXED },
  { id: 'writers', name: 'writers only', explains: 'the same, but every operation a write: what survives a failover?', values: { ...MIXED, mix: 'writes' } },
];

export const DEFAULT_FORM: WorkloadFormValues = MIXED;

/** Which preset the fields match as they are, if any. */
export function matchingPreset(values: WorkloadFormValues): string | null {
  const same = (a: WorkloadFormValues, b: WorkloadFormValues) => (Object.keys(a) as WorkloadFormField[]).every((k) => a[k].trim() === b[k].trim());
  return WORKLOAD_PRESETS.find((p) => same(p.values, values))?.id ?? null;
}

export type FormCheck = { spec: WorkloadSpecInput; problems: null } | { spec: null; problems: Partial<Record<WorkloadFormField, string>> };

const wholeNumber = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : NaN);

/** The spec the fields make, or what is wrong with each field, in words. */
export function checkWorkloadForm(values: WorkloadFormValues, nodeIds: readonly string[]): FormCheck {
  const problems: Partial<Record<WorkloadFormField, string>> = {};
  const clients = wholeNumber(values.clients);
  if (!(clients >= 1 && clients <= FORM_LIMITS.maxClients)) problems.clients = `a whole number from 1 to ${FORM_LIMITS.maxClients}`;
  const seconds = /^\s*\d+(\.\d+)?\s*$/.test(values.durationS) ? Number(values.durationS) : NaN;
  const durationMs = Math.round(seconds * 1000);
  if (!(durationMs >= FORM_LIMITS.minDurationMs && durationMs <= FORM_LIMITS.maxDurationMs))
    problems.durationS = `seconds, from ${FORM_LIMITS.minDurationMs / 1000} to ${FORM_LIMITS.maxDurationMs / 1000}`;
  const keys = wholeNumber(values.keys);
  const bank = MIXES[values.mix].kind === 'bank';
  if (bank && !(keys >= 2 && keys <= FORM_LIMITS.maxAccounts)) problems.keys = `a bank's accounts: a whole number from 2 to ${FORM_LIMITS.maxAccounts}`;
  else if (!(keys >= 1 && keys <= FORM_LIMITS.maxKeys)) problems.keys = `a whole number from 1 to ${FORM_LIMITS.maxKeys}`;
  const through = values.through.trim();
  if (through !== 'leader' && through !== 'any' && !nodeIds.includes(through)) problems.through = '"leader", "any" or a node of the cluster';
  if (Object.keys(problems).length > 0) return { spec: null, problems };
  const spec: WorkloadSpecInput = { clients, durationMs, keys, mix: { ...MIXES[values.mix].mix }, read: values.read, through };
  return { spec: bank ? { ...spec, kind: 'bank' } : spec, problems: null };
}
