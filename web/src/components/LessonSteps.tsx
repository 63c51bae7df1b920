import { useEffect, useRef } from 'react';
import { scrollToShow, type StepView } from '../lib/lessons';
import { useActions } from '../stores/hooks';

const WORD: Record<StepView['state'], string> = { pending: 'pending', running: 'running…', passed: 'passed ✓', failed: 'failed ✗', stopped: 'stopped ■' };

type Props = {
  title: string;
  steps: readonly StepView[];
  current: number | null;
  /** The lesson is being played: the nodes a step was about are marked on the cluster. */
  live: boolean;
  /** What going to step `index` does now, or undefined when it cannot. */
  jump: (index: number) => (() => void) | undefined;
};

/**
 * A lesson's steps, in a box of fixed height so that steps changing state never move the page:
 * the step that runs (or that a link named, or the one that failed) is scrolled into view inside
 * the box, never by scrolling the page. Each step can be gone to: the lesson is played (on a
 * fresh cluster, when that means going back) until that step is done.
 */
export function LessonSteps({ title, steps, current, live, jump }: Props) {
  const box = useRef<HTMLOListElement>(null);
  const { selectEvent } = useActions();
  /** The event a step waited for, opened in the event log's details: the refused vote, with its reason. */
  const showEvent = (seq: number) => {
    selectEvent(seq);
    document.querySelector('.ev-details')?.scrollIntoView({ block: 'nearest' });
  };
  const ended = steps.find((s) => s.state === 'failed' || s.state === 'stopped')?.index ?? null;
  const target = current ?? ended;

  useEffect(() => {
    const ol = box.current;
    const li = target === null ? null : (ol?.children[target] as HTMLElement | undefined);
    if (!ol || !li) return;
    const top = scrollToShow({ scrollTop: ol.scrollTop, height: ol.clientHeight }, { top: li.offsetTop, height: li.offsetHeight });
    const calm = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (top !== null) ol.scrollTo({ top, behavior: calm ? 'auto' : 'smooth' });
  }, [target]);

  return (
    // Focusable, so the keyboard can scroll it; named by the lesson it belongs to.
    <ol ref={box} className="lesson__steps" aria-label={`Steps of ${title}`} tabIndex={0}>
      {steps.map((s) => {
        const go = jump(s.index);
        return (
          <li key={s.index} className={`lstep lstep--${s.state}${s.next ? ' lstep--next' : ''}`} aria-current={s.index === current ? 'step' : undefined}>
            <span className="lstep__num">
              <span className="visually-hidden">Step </span>
              {s.index + 1}
            </span>
            <div className="lstep__body">
              <div className="lstep__head">
                <span className="lstep__title">{s.title}</span>
                <span className="lstep__state">{s.next ? 'next' : WORD[s.state]}</span>
                <button type="button" className="btn btn--quiet btn--small lstep__go" aria-label={`Go to step ${s.index + 1}: ${s.title}`} aria-disabled={!go} onClick={() => go?.()}>
                  Go here
                </button>
              </div>
              <p className="lstep__say">{s.say}</p>
              {live && s.state === 'passed' && s.moment && s.moment.nodes.length > 0 && (
                <p className="lstep__moment small">
                  Marked on the cluster: <strong>{s.moment.nodes.join(', ')}</strong>
                </p>
              )}
              {s.state === 'passed' && s.moment?.eventSeq != null && (
                <p className="lstep__moment small">
                  The moment is event #{s.moment.eventSeq}.{' '}
                  <button type="button" className="btn btn--quiet btn--small" aria-label={`Show event #${s.moment.eventSeq} of step ${s.index + 1} in the event details`} onClick={() => showEvent(s.moment!.eventSeq!)}>
                    Show it
                  </button>
                </p>
              )}
              {s.state === 'failed' && (
                <p className="lstep__detail">
                  <strong>Why it failed:</strong> {s.detail ?? 'the supervisor gave no reason.'}
                </p>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
