import type { Dispatch, SetStateAction } from 'react';
import type { MessageFamily } from '@clusterlab/shared';
import { shownDiagramBuffer } from '../lib/diagramFeed';
import { MESSAGE_FAMILIES } from '@clusterlab/shared/algorithms/vocabulary';
import { MARK_GLYPHS } from './drawMessageDiagram';
import type { DiagramView } from './MessageDiagram';

/** Milliseconds per pixel, finest first. Loopback delivers in about a millisecond: the finest zooms show it. */
export const ZOOM_STEPS = [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];
export const DEFAULT_ZOOM = ZOOM_STEPS.indexOf(0.2);

const FAMILY_WORDS: Record<MessageFamily, string> = { heartbeat: 'heartbeat', election: 'election', victory: 'victory', replication: 'replication', other: 'other' };

type Props = { view: DiagramView; setView: Dispatch<SetStateAction<DiagramView>>; onZoom: (d: number) => void };

export function MessageDiagramControls({ view, setView, onZoom }: Props) {
  const freeze = () => setView((v) => ({ ...v, paused: true, follow: false, endMs: v.follow ? (shownDiagramBuffer().newestMs ?? v.endMs) : v.endMs }));
  const live = () => setView((v) => ({ ...v, paused: false, follow: true }));
  const toggle = (f: MessageFamily, on: boolean) =>
    setView((v) => {
      const families = new Set(v.families);
      if (on) families.add(f);
      else families.delete(f);
      return { ...v, families };
    });
  return (
    <div className="mdiagram__tools small">
      <div className="mdiagram__group" role="group" aria-label="Diagram view">
        <button type="button" className="btn btn--small" aria-pressed={view.paused} onClick={view.paused ? live : freeze}>
          {view.paused ? 'Resume diagram' : 'Pause diagram'}
        </button>
        <button type="button" className="btn btn--small" onClick={live} disabled={view.follow}>
          Back to live
        </button>
        <span className="mdiagram__state muted" aria-live="polite">
          {view.follow ? '● live' : view.paused ? 'paused' : 'scrolled back'}
        </span>
      </div>
      <div className="mdiagram__group" role="group" aria-label="Zoom">
        <button type="button" className="btn btn--small" aria-label="Zoom in" title="Zoom in (ctrl + wheel)" onClick={() => onZoom(-1)} disabled={view.zoom === 0}>
          +
        </button>
        <button type="button" className="btn btn--small" aria-label="Zoom out" title="Zoom out (ctrl + wheel)" onClick={() => onZoom(1)} disabled={view.zoom === ZOOM_STEPS.length - 1}>
          −
        </button>
        <span className="mdiagram__zoom muted">{ZOOM_STEPS[view.zoom]} ms/px</span>
      </div>
      <fieldset className="mdiagram__group mdiagram__families">
        <legend className="visually-hidden">Message kinds shown</legend>
        {MESSAGE_FAMILIES.map((f) => (
          <label key={f} className={`mdiagram__family mdiagram__family--${f}`}>
            <input type="checkbox" aria-label={`Show ${FAMILY_WORDS[f]} messages`} checked={view.families.has(f)} onChange={(e) => toggle(f, e.target.checked)} />
            <span aria-hidden="true">{FAMILY_WORDS[f]}</span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}

/** What the glyphs and colours mean; the canvas draws the same ones. */
export function MessageDiagramLegend() {
  return (
    <div className="mdiagram__legend small muted" aria-hidden="true">
      {MESSAGE_FAMILIES.map((f) => (
        <span key={f} className={`mdiagram__key mdiagram__key--${f}`}>
          {FAMILY_WORDS[f]}
        </span>
      ))}
      <span className="mdiagram__key mdiagram__key--lost">lost</span>
      {Object.entries(MARK_GLYPHS).map(([k, g]) => (
        <span key={k} className="mdiagram__mark">
          <span className={`mdiagram__glyph mdiagram__glyph--${k}`}>{g.glyph}</span> {g.label}
        </span>
      ))}
      <span className="mdiagram__key mdiagram__key--band">fault in force</span>
      <span className="mdiagram__mark">⋯ quiet stretch, shrunk</span>
    </div>
  );
}
