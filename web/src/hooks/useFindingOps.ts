import { useEffect, useMemo, useState } from 'react';
import { findings, opsForFinding, sampleFinding, type FindingOps } from '@clusterlab/shared/findings';
import type { HistoryOp } from '@clusterlab/shared/history';
import type { WorkloadFault, WorkloadVerdict } from '@clusterlab/shared/workloads';
import { api } from '../api/endpoints';

/** A run the supervisor holds (asked per finding), or a file the learner imported (at hand whole). */
export type DiagramSource = { kind: 'run'; id: string } | { kind: 'file'; history: readonly HistoryOp[] };

type Drawn = { found: FindingOps | null; error: string | null };

/**
 * The operations the history diagram draws for one finding (`sample` when the verdict has
 * none). A run's are asked of the supervisor, which sends only those (at most a few hundred,
 * however long the run), once per finding; an imported file's are picked here, by the same
 * shared rule, with the final-state reads the check added among them.
 */
export function useFindingOps(source: DiagramSource, verdict: WorkloadVerdict, faults: readonly Pick<WorkloadFault, 'fromMs' | 'toMs'>[], findingId: string): Drawn {
  const local = useMemo(() => {
    if (source.kind !== 'file') return null;
    const history = [...source.history, ...(verdict.finalReads ?? [])];
    const finding = findingId === 'sample' ? sampleFinding(history, faults) : findings(verdict).find((f) => f.id === findingId);
    return finding ? { finding, ops: opsForFinding(history, finding) } : null;
  }, [source, verdict, faults, findingId]);

  const runId = source.kind === 'run' ? source.id : null;
  // Per finding, for as long as the view lives (the panel keys it by run, so a new run starts afresh).
  const [fetched, setFetched] = useState<Map<string, Drawn>>(new Map());
  useEffect(() => {
    if (runId === null || fetched.has(findingId)) return;
    let live = true;
    api.workloadOps(runId, findingId).then(
      (found) => live && setFetched((m) => new Map(m).set(findingId, { found, error: null })),
      (err: unknown) => live && setFetched((m) => new Map(m).set(findingId, { found: null, error: err instanceof Error ? err.message : String(err) })),
    );
    return () => {
      live = false;
    };
  }, [runId, findingId, fetched]);

  if (source.kind === 'file') return { found: local, error: null };
  return fetched.get(findingId) ?? { found: null, error: null };
}
