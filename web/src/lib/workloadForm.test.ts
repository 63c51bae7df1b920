import { describe, expect, it } from 'vitest';
import { MAX_WORKLOAD_CLIENTS, MAX_WORKLOAD_DURATION_MS, MAX_WORKLOAD_KEYS, WorkloadSpec } from '@clusterlab/shared/workloads';
import { MAX_TXN_KEYS } from '@clusterlab/shared/txn';
import { checkWorkloadForm, DEFAULT_FORM, FORM_LIMITS, matchingPreset, WORKLOAD_PRESETS } from './workloadForm';

describe('the workload form', () => {
  it('keeps the limits the supervisor enforces', () => {
    expect(FORM_LIMITS).toEqual({ maxClients: MAX_WORKLOAD_CLIENTS, minDurationMs: 100, maxDurationMs: MAX_WORKLOAD_DURATION_MS, maxKeys: MAX_WORKLOAD_KEYS, maxAccounts: MAX_TXN_KEYS });
  });

  it('the mixed preset is 10 clients for 30 s on 10 keys, half reads, local reads through the leader', () => {
    const r = checkWorkloadForm(WORKLOAD_PRESETS[0]!.values, ['n1']);
    expect(r.spec).toEqual({ clients: 10, durationMs: 30_000, keys: 10, mix: { read: 1, write: 1 }, read: 'local', through: 'leader' });
  });

  it('the writers-only preset only writes', () => {
    expect(checkWorkloadForm(WORKLOAD_PRESETS[1]!.values, []).spec?.mix).toEqual({ write: 1 });
  });

  it('every spec the form makes is one the shared schema accepts', () => {
    for (const p of WORKLOAD_PRESETS) expect(WorkloadSpec.safeParse(checkWorkloadForm(p.values, []).spec).success).toBe(true);
    expect(WorkloadSpec.safeParse(checkWorkloadForm({ ...DEFAULT_FORM, durationS: '7.5', through: 'n2', read: 'linearizable', mix: 'reads' }, ['n2']).spec).success).toBe(true);
    for (const mix of ['cas', 'bank'] as const) expect(WorkloadSpec.safeParse(checkWorkloadForm({ ...DEFAULT_FORM, mix }, []).spec).success).toBe(true);
  });

  it('makes a bank a workload of its own kind, of 2 to 64 accounts', () => {
    expect(checkWorkloadForm({ ...DEFAULT_FORM, mix: 'bank', keys: '5' }, []).spec).toMatchObject({ kind: 'bank', keys: 5 });
    expect(checkWorkloadForm({ ...DEFAULT_FORM, mix: 'bank', keys: '100' }, []).problems?.keys).toBe("a bank's accounts: a whole number from 2 to 64");
  });

  it('names each bad field in words', () => {
    const r = checkWorkloadForm({ ...DEFAULT_FORM, clients: '0', durationS: 'soon', keys: '2.5', through: 'n9' }, ['n1', 'n2']);
    expect(r.problems).toEqual({
      clients: 'a whole number from 1 to 256',
      durationS: 'seconds, from 0.1 to 600',
      keys: 'a whole number from 1 to 1000',
      through: '"leader", "any" or a node of the cluster',
    });
  });

  it('takes seconds with a fraction, and refuses a run shorter than 100 ms', () => {
    expect(checkWorkloadForm({ ...DEFAULT_FORM, durationS: '8.25' }, []).spec?.durationMs).toBe(8250);
    expect(checkWorkloadForm({ ...DEFAULT_FORM, durationS: '0.05' }, []).problems?.durationS).toBeDefined();
  });

  it('knows which preset the fields still match', () => {
    expect(matchingPreset(DEFAULT_FORM)).toBe('mixed');
    expect(matchingPreset({ ...DEFAULT_FORM, mix: 'writes' })).toBe('writers');
    expect(matchingPreset({ ...DEFAULT_FORM, durationS: '8' })).toBeNull();
  });
});
