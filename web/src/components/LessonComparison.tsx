import type { LessonComparisonView, LessonSummary } from '@clusterlab/shared/lessons';
import { stopComparison } from '../api/lessonActions';
import { AlgorithmBadge } from './LessonContents';
import { VerdictHeadline } from './VerdictView';

type Side = LessonComparisonView['sides'][number];

const WORD = { pending: '—', running: 'playing…', passed: 'happened ✓', failed: 'did not happen ✗' } as const;

/**
 * The same lesson under both designs, side by side: for each, whether each step's moment came
 * (and, where it did not, what came instead), and the checker's verdict on its reads and writes.
 * A table: a row per step, a column per design, so the eye compares a step along its row.
 */
export function LessonComparison({ comparison, lesson, busy }: { comparison: LessonComparisonView; lesson: LessonSummary; busy: boolean }) {
  const going = comparison.endedAt === null;
  const said =
    comparison.state === 'starting'
      ? 'Starting a second cluster for the other design…'
      : comparison.state === 'running'
        ? 'Both clusters are playing the lesson…'
        : comparison.state === 'failed'
          ? (comparison.error ?? 'The comparison failed.')
          : comparison.state === 'stopped'
            ? 'Stopped before both sides ended.'
            : alike(comparison)
              ? 'Both sides played every step, and every moment came under both designs: here they behave alike.'
              : 'Both sides played every step: where a moment did not come is where the designs differ.';
  return (
    <section className="compare" aria-label={`${lesson.title} under both algorithms`}>
      <div className="compare__head">
        <h4>The same lesson, both designs</h4>
        <p className="compare__state small" role="status" aria-label="Comparison status">
          {said}
        </p>
        {going && (
          <button type="button" className="btn btn--small" aria-disabled={busy} onClick={() => !busy && void stopComparison()}>
            Stop comparison
          </button>
        )}
      </div>
      <table className="compare__table">
        <caption className="visually-hidden">Each step of {lesson.title}, and whether its moment came under each design</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            {comparison.sides.map((side, i) => (
              <th key={side.algorithm} scope="col">
                <AlgorithmBadge algorithm={side.algorithm} /> <span className="muted small">{i === 0 ? 'written for' : 'the other design'}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {lesson.steps.map((s, index) => (
            <tr key={index}>
              <th scope="row" className="cstep__title">
                {index + 1}. {s.title}
              </th>
              {comparison.sides.map((side) => (
                <StepCell key={side.algorithm} side={side} index={index} />
              ))}
            </tr>
          ))}
          <tr className="compare__verdicts">
            <th scope="row">The checker</th>
            {comparison.sides.map((side) => (
              <td key={side.algorithm}>
                {side.run?.verdict ? <VerdictHeadline verdict={side.run.verdict} inline /> : <span className="muted small">{side.run?.endedAt ? 'no reads or writes to check' : 'speaks when this side ends'}</span>}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </section>
  );
}

/** Every step of both sides happened: this lesson shows no difference between the designs. */
function alike(comparison: LessonComparisonView): boolean {
  return comparison.sides.every((side) => side.run !== null && side.run.steps.every((step) => step.state === 'passed'));
}

function StepCell({ side, index }: { side: Side; index: number }) {
  const step = side.run?.steps[index];
  const state = step?.state ?? 'pending';
  return (
    <td className={`cstep cstep--${state}`}>
      <span className="cstep__state">{WORD[state]}</span>
      {state === 'failed' && step?.detail && <span className="cstep__detail small">{step.detail}</span>}
    </td>
  );
}
