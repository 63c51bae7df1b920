import { useEffect, useMemo, useRef, useState } from 'react';
import type { FaultView, LastingFault } from '@clusterlab/shared';
import { applyFaults, healAllFaults, healFault, loadFaults, replaceFault } from '../api/actions';
import { presets } from '../lib/faults';
import { useApp } from '../stores/hooks';
import { PartitionBuilder } from './PartitionBuilder';

/** A delay or loss on every link, the kind the sliders adjust. */
const isWholeNetwork = (f: FaultView, kind: 'delay' | 'loss') => f.fault.kind === kind && f.fault.from === undefined && f.fault.to === undefined;

/**
 * Faults: presets computed from the cluster as it is (who leads, which nodes), sliders for
 * delay and loss, and the faults in force, each in the sentence the supervisor gave it with a
 * Heal button. What the API refuses shows here, under the presets.
 */
export function FaultsPanel() {
  const leader = useApp((s) => s.cluster.leader);
  const nodeIds = useApp((s) => s.cluster.nodeIds);
  const faults = useApp((s) => s.faults.list);
  const loaded = useApp((s) => s.faults.loaded);
  const error = useApp((s) => s.faults.error);
  const snapshots = useApp((s) => s.faults.snapshots);
  const busy = useApp((s) => s.ui.busy.faults ?? null);
  const [delayMs, setDelayMs] = useState(200);
  const [lossPercent, setLossPercent] = useState(20);

  // On load and after every (re)connect: the faults in force may have moved while the feed was down.
  useEffect(() => {
    void loadFaults();
  }, [snapshots]);

  const list = useMemo(() => presets({ leader, nodeIds, delayMs, lossPercent }), [leader, nodeIds, delayMs, lossPercent]);
  const activeDelay = faults.find((f) => isWholeNetwork(f, 'delay'));
  const activeLoss = faults.find((f) => isWholeNetwork(f, 'loss'));

  // A slider moved while its fault is in force: swap the fault once the slider rests.
  useSliderSwap(activeDelay, delayMs, (ms) => (ms > 0 ? { kind: 'delay', ms, jitterMs: Math.round(ms / 4) } : null), (f) => (f.kind === 'delay' ? f.ms : 0), 'Set the delay');
  useSliderSwap(activeLoss, lossPercent, (p) => (p > 0 ? { kind: 'loss', rate: p / 100 } : null), (f) => (f.kind === 'loss' ? Math.round(f.rate * 100) : 0), 'Set the loss');

  return (
    <section className="panel faults" aria-labelledby="faults-heading">
      <div className="panel__head">
        <h2 id="faults-heading">Faults</h2>
        <span className="muted small">{faults.length === 0 ? 'none in force' : `${faults.length} in force`}</span>
        <div className="panel__tool">
          <button type="button" className="btn btn--small" disabled={faults.length === 0 || busy !== null} onClick={() => void healAllFaults()}>
            Heal all faults
          </button>
        </div>
      </div>
      <div className="faults__body">
        <ul className="faults__presets" aria-label="Fault presets">
          {list.map((p) => {
            const unavailable = 'unavailable' in p.faults ? p.faults.unavailable : null;
            return (
              <li key={p.id} className="faults__preset">
                <button
                  type="button"
                  className="btn btn--small"
                  aria-describedby={`preset-${p.id}`}
                  disabled={unavailable !== null || busy !== null}
                  onClick={() => {
                    if (!('unavailable' in p.faults)) void applyFaults(p.name, p.faults);
                  }}
                >
                  {p.name}
                </button>
                <span id={`preset-${p.id}`} className="faults__explains">
                  {p.explains}
                  {unavailable && <em> ({unavailable})</em>}
                </span>
              </li>
            );
          })}
        </ul>
        <div className="faults__side">
          <div className="faults__sliders">
            <label>
              <span>Delay (ms)</span>
              <input type="range" min={0} max={1000} step={50} value={delayMs} onChange={(e) => setDelayMs(Number(e.target.value))} />
              <output>{delayMs} ms{activeDelay ? ' · in force' : ''}</output>
            </label>
            <label>
              <span>Loss (%)</span>
              <input type="range" min={0} max={60} step={5} value={lossPercent} onChange={(e) => setLossPercent(Number(e.target.value))} />
              <output>{lossPercent}%{activeLoss ? ' · in force' : ''}</output>
            </label>
          </div>
          {/* A live region, not role=alert: the page's one alert is the feed-down banner. */}
          <PartitionBuilder />
          <p className="faults__error" aria-live="polite">
            {error}
          </p>
          <h3 id="faults-active-heading" className="faults__subhead">
            In force
          </h3>
          <ul className="faults__active" aria-labelledby="faults-active-heading">
            {faults.map((f) => (
              <li key={f.id} className="faults__item">
                <span className="faults__id">{f.id}</span>
                <span className="faults__sentence">{f.description}</span>
                <button type="button" className="btn btn--small" aria-label={`Heal ${f.id}`} disabled={busy !== null} onClick={() => void healFault(f.id)}>
                  Heal
                </button>
              </li>
            ))}
            {faults.length === 0 && <li className="faults__none muted small">{loaded ? 'No fault in force: every link works.' : 'Loading…'}</li>}
          </ul>
        </div>
      </div>
    </section>
  );
}

/**
 * While a slider's fault is in force, moving the slider swaps it for one of the new size once
 * the slider has rested 400 ms (0 heals it). Nothing happens while it is not in force.
 */
function useSliderSwap(
  active: FaultView | undefined,
  value: number,
  make: (v: number) => LastingFault | null,
  valueOf: (f: LastingFault) => number,
  label: string,
) {
  const latest = useRef({ active, make, valueOf });
  latest.current = { active, make, valueOf };
  useEffect(() => {
    const { active: now, valueOf: read } = latest.current;
    if (!now || read(now.fault) === value) return;
    const timer = setTimeout(() => {
      const { active: cur, make: build } = latest.current;
      if (cur) void replaceFault(label, cur, build(value));
    }, 400);
    return () => clearTimeout(timer);
  }, [value, label, active?.id]);
}
