import { useEffect, useRef, type KeyboardEvent } from 'react';
import { chooseLesson } from '../api/lessonActions';
import { scrollToShow, type LessonRun, type LessonSummary } from '../lib/lessons';
import { useApp } from '../stores/hooks';

const LAST_RUN: Record<LessonRun['state'], string> = { running: '● running now', paused: '❚❚ paused', passed: '✓ passed', failed: '✗ failed', stopped: '■ stopped' };

/**
 * The table of contents: every lesson, its summary, its algorithm and how its last run went.
 * A button per lesson, named by its title; ↑/↓ move between them. As tall as the lesson beside
 * it, scrolled from inside, so a dozen lessons do not make the panel a dozen items long.
 */
export function LessonContents({ lessons, shown }: { lessons: readonly LessonSummary[]; shown: string | null }) {
  const byLesson = useApp((s) => s.lessons.runs.byLesson);
  const box = useRef<HTMLOListElement>(null);

  // The lesson shown (a link may name the last one) is in view in the contents.
  useEffect(() => {
    const ol = box.current;
    const li = ol?.children[lessons.findIndex((l) => l.id === shown)] as HTMLElement | undefined;
    if (!ol || !li) return;
    const top = scrollToShow({ scrollTop: ol.scrollTop, height: ol.clientHeight }, { top: li.offsetTop, height: li.offsetHeight }, 4);
    if (top !== null) ol.scrollTop = top;
  }, [shown, lessons]);

  const onKeyDown = (e: KeyboardEvent<HTMLOListElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = [...e.currentTarget.querySelectorAll('button')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    e.preventDefault();
    buttons[(at + (e.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length]!.focus();
  };

  return (
    <div className="lessons__toc-wrap">
      <ol ref={box} className="lessons__toc" aria-label="Lesson contents" onKeyDown={onKeyDown}>
      {lessons.map((l) => {
        const run = byLesson[l.id];
        return (
          <li key={l.id}>
            <button
              type="button"
              className="toc-item"
              aria-current={l.id === shown ? 'true' : undefined}
              aria-labelledby={`toc-${l.id}-title`}
              aria-describedby={`toc-${l.id}-algo toc-${l.id}-about`}
              onClick={() => chooseLesson(l.id)}
            >
              <span className="toc-item__top">
                <span id={`toc-${l.id}-title`} className="toc-item__title">
                  {l.title}
                </span>
                <AlgorithmBadge id={`toc-${l.id}-algo`} algorithm={l.algorithm} />
              </span>
              <span id={`toc-${l.id}-about`} className="toc-item__about">
                <span className="toc-item__summary">{l.summary}</span>
                <span className="toc-item__meta">
                  {l.nodes} nodes · {l.steps.length} steps
                  {run && <span className={`toc-item__last toc-item__last--${run.state}`}> · {LAST_RUN[run.state]}</span>}
                </span>
              </span>
            </button>
          </li>
        );
      })}
      </ol>
    </div>
  );
}

export function AlgorithmBadge({ algorithm, id }: { algorithm: LessonSummary['algorithm']; id?: string }) {
  return (
    <span id={id} className={`algo algo--${algorithm}`}>
      {algorithm}
    </span>
  );
}
