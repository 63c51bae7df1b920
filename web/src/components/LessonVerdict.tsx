import { useMemo } from 'react';
import type { HistoryOp } from '@clusterlab/shared/history';
import type { WorkloadVerdict } from '@clusterlab/shared/workloads';
import type { DiagramSource } from '../hooks/useFindingOps';
import { VerdictHeadline, VerdictView } from './VerdictView';

const NO_FAULTS: never[] = [];

/**
 * What the checker made of the lesson's own reads and writes, as it judges a workload's: the
 * headline, and the finding (the lost write, the stale read) drawn on a history diagram. Open
 * when it found something — that is the lesson's moment — folded when all was well.
 */
export function LessonVerdict({ verdict, history }: { verdict: WorkloadVerdict; history: readonly HistoryOp[] }) {
  const source = useMemo((): DiagramSource => ({ kind: 'file', history }), [history]);
  const clean = verdict.outcome === 'linearizable' && verdict.lostWrites === 0 && verdict.staleReads === 0 && verdict.divergentReplicas === 0;
  return (
    <section className="lesson__verdict" aria-label="The checker on this lesson">
      <details open={!clean}>
        <summary>
          <span className="lesson__verdict-what">The checker, on the lesson’s {history.length} reads and writes:</span> <VerdictHeadline verdict={verdict} inline />
        </summary>
        <VerdictView verdict={verdict} source={source} faults={NO_FAULTS} />
      </details>
    </section>
  );
}
