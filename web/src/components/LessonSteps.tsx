import { useEffect, useRef } from 'react';
import { scrollToShow, type StepView } from '../lib/lessons';

const WORD: Record<StepView['state'], string> = { pending: 'pending', running: 'running…', passed: 'passed ✓', failed: 'failed ✗', stopped: 'stopped ■' };

/**
 * A lesson's steps, in a box of fixed height so that steps changing state never move the page:
 * the step that runs (or that a link named, or the one that failed) is scrolled into view inside
 * the box, never by scrolling the page.
 */
export function LessonSteps({ title, steps, current }: { title: string; steps: readonly StepView[]; current: number | null }) {
  const box = useRef<HTMLOListElement>(null);
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
      {steps.map((s) => (
        <li key={s.index} className={`lstep lstep--${s.state}`} aria-current={s.index === current ? 'step' : undefined}>
          <span className="lstep__num">
            <span className="visually-hidden">Step </span>
            {s.index + 1}
          </span>
          <div className="lstep__body">
            <div className="lstep__head">
              <span className="lstep__title">{s.title}</span>
              <span className="lstep__state">{WORD[s.state]}</span>
            </div>
            <p className="lstep__say">{s.say}</p>
            {s.state === 'failed' && (
              <p className="lstep__detail">
                <strong>Why it failed:</strong> {s.detail ?? 'the supervisor gave no reason.'}
              </p>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
