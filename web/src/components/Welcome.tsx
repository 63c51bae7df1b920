import { useState } from 'react';
import { chooseLesson } from '../api/lessonActions';
import { useApp } from '../stores/hooks';

const SEEN_KEY = 'clusterlab.welcomed';
/** What a newcomer is offered: how a leader is chosen, and the lost write that every later lesson explains. */
const OFFERED = ['first-election', 'lost-write'];

function firstVisit(): boolean {
  try {
    // A shared link (a lesson, a moment of a run) says where to look already.
    return localStorage.getItem(SEEN_KEY) === null && location.hash === '';
  } catch {
    return false;
  }
}

function remember(): void {
  try {
    localStorage.setItem(SEEN_KEY, '1');
  } catch {
    // A private window may refuse storage: the welcome then shows again next visit.
  }
}

/**
 * A first visit's welcome: what this page is, and two lessons to start with — the first
 * election, and the lost acknowledged write, which a newcomer can see flagged within minutes.
 * Gone once a lesson is chosen or it is dismissed, for good on this browser.
 */
export function Welcome() {
  const [shown, setShown] = useState(firstVisit);
  const lessons = useApp((s) => s.lessons.list);
  const offered = OFFERED.map((id) => lessons.find((l) => l.id === id)).filter((l) => l !== undefined);
  if (!shown || offered.length === 0) return null;
  const close = () => {
    remember();
    setShown(false);
  };
  return (
    <section className="panel welcome" aria-labelledby="welcome-heading">
      <h2 id="welcome-heading">New here?</h2>
      <p>
        This page runs a real cluster on your machine: a registry and three database nodes, each its own process. A lesson plays a short scenario on it — kills, pauses,
        partitions, writes — and tells you what to watch as it happens. Start with one:
      </p>
      <div className="welcome__buttons">
        {offered.map((l) => (
          <button
            key={l.id}
            type="button"
            className="btn btn--primary"
            onClick={() => {
              close();
              chooseLesson(l.id, { reveal: true });
            }}
          >
            {l.title}
          </button>
        ))}
        <button type="button" className="btn" onClick={close}>
          No thanks, I'll explore
        </button>
      </div>
    </section>
  );
}
