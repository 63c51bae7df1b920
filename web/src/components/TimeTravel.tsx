import { useEffect, useRef, useState } from 'react';
import { backToLive, goTo, goToSoon, moments, openCurrentRun, openFile, openRun, openSim, step } from '../api/travel';
import { formatClock } from '../lib/format';
import { parseTravelHash } from '../lib/travel';
import { useActions, useApp } from '../stores/hooks';
import { ForkPanel } from './ForkPanel';
import { ReplayCheck } from './ReplayCheck';

/**
 * Time travel: every run is recorded, and here the learner opens one (this one, a trace file,
 * or a simulated seed), drags through it, steps one event at a time, jumps to the moment the
 * leader was lost or to the next election — and the whole page shows the cluster as it was.
 * Actions on the cluster are off meanwhile: they would act on the present.
 */
export function TimeTravel() {
  const travel = useApp((s) => s.travel);
  const leader = useApp((s) => s.cluster.leader);
  const { toast } = useActions();
  const [busy, setBusy] = useState<string | null>(null);
  const [seed, setSeed] = useState(26);
  const file = useRef<HTMLInputElement>(null);

  const attempt = (what: string, run: () => Promise<void>) => {
    setBusy(what);
    run()
      .catch((err: unknown) => toast('error', `${what} failed — ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => setBusy(null));
  };

  // A shared link (#run=r2&at=1234, #sim=26) opens that moment: as the page loads, or when
  // one is followed on a page already open (moving through a run rewrites the hash without this).
  useEffect(() => {
    const follow = () => {
      const link = parseTravelHash(location.hash);
      if (link) attempt('Opening the shared moment', () => ('run' in link ? openRun(link.run, link.at) : openSim(link.sim, link.algorithm, link.at)));
    };
    follow();
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (travel.mode === 'live') {
    return (
      <section className="panel travel" aria-labelledby="travel-heading">
        <div className="panel__head">
          <h2 id="travel-heading">Time travel</h2>
          <span className="muted small">Every run is recorded: go back to any moment of it, step through it, check that it replays exactly.</span>
        </div>
        <div className="travel__open">
          <button type="button" disabled={busy !== null} onClick={() => attempt('Opening this run', openCurrentRun)}>
            Replay this run
          </button>
          <button type="button" disabled={busy !== null} onClick={() => file.current?.click()}>
            Open a trace file…
          </button>
          <input
            ref={file}
            type="file"
            accept=".ndjson,application/x-ndjson"
            hidden
            aria-label="Trace file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) attempt(`Opening ${f.name}`, () => openFile(f));
              e.target.value = '';
            }}
          />
          <span className="travel__sim">
            <label>
              Simulate seed{' '}
              <input type="number" min={0} value={seed} onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))} aria-label="Seed to simulate" />
            </label>
            <button type="button" disabled={busy !== null} onClick={() => attempt(`Simulating seed ${seed}`, () => openSim(seed, 'bully', null))}>
              Simulate
            </button>
          </span>
          {busy && <span className="muted small" role="status">{busy}…</span>}
        </div>
      </section>
    );
  }

  const m = moments();
  return (
    <section className="panel travel travel--past" aria-labelledby="travel-heading">
      <div className="panel__head">
        <h2 id="travel-heading">Time travel</h2>
        <span className="muted small">{travel.run.label}</span>
        <button type="button" className="travel__live" onClick={backToLive}>
          Back to the live cluster
        </button>
      </div>
      <p className="travel__where" role="status" aria-label="Moment shown">
        Event #{travel.seq} ({travel.index + 1} of {travel.count.toLocaleString('en')}) · {formatClock(travel.time)} · {leader ? `leader ${leader}` : 'no leader'}
      </p>
      <input
        className="travel__scrub"
        type="range"
        min={0}
        max={Math.max(0, travel.count - 1)}
        value={travel.index}
        aria-label="Moment of the run"
        aria-valuetext={`event ${travel.index + 1} of ${travel.count}, ${formatClock(travel.time)}`}
        onChange={(e) => goToSoon(Number(e.target.value))}
      />
      <div className="travel__steps">
        <button type="button" onClick={() => step(-1)} disabled={travel.index === 0}>
          ◀ Step back
        </button>
        <button type="button" onClick={() => step(1)} disabled={travel.index >= travel.count - 1}>
          Step forward ▶
        </button>
        <button type="button" onClick={() => m?.previousElection != null && goTo(m.previousElection)} disabled={m?.previousElection == null}>
          Previous election
        </button>
        <button type="button" onClick={() => m?.nextElection != null && goTo(m.nextElection)} disabled={m?.nextElection == null}>
          Next election
        </button>
        <button type="button" onClick={() => m?.leaderLost != null && goTo(m.leaderLost)} disabled={m?.leaderLost == null}>
          The moment the leader is lost
        </button>
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(location.href).then(
              () => toast('info', 'A link to this moment is on the clipboard.'),
              () => toast('info', `Link to this moment: ${location.href}`),
            );
          }}
        >
          Copy link
        </button>
      </div>
      <p className="muted small">You are looking at the past: the cards, the timeline, the failovers and the event log show the cluster as it was. Actions are off until you go back to the live cluster.</p>
      <ReplayCheck key={travel.run.id} />
      <ForkPanel />
    </section>
  );
}
