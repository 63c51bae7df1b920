import { useEffect, useRef } from 'react';
import { admitFlights, type Flight } from '../lib/flights';
import { subscribeSentMessages } from '../lib/messageBus';
import { useApp } from '../stores/hooks';

export type Point = { x: number; y: number };

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Dot class per message family (a Raft heartbeat is an empty AppendEntries); the legend uses the same names. */
export function dotClass(family: Flight['family']): string {
  return `dot dot--${family}`;
}

const RADIUS: Record<Flight['family'], string> = { heartbeat: '3', election: '4', victory: '5', replication: '4', other: '4' };

/**
 * Messages in flight, drawn outside React: one requestAnimationFrame loop moves a small pool
 * of SVG circles, and stops when nothing is flying or the drawing is off screen. The dots show who talks to whom, not real
 * latency (loopback delivers in well under a millisecond).
 */
export function MessageLayer({ positions }: { positions: ReadonlyMap<string, Point> }) {
  const groupRef = useRef<SVGGElement>(null);
  const positionsRef = useRef(positions);
  positionsRef.current = positions;
  const enabled = useApp((s) => s.ui.animateMessages);

  useEffect(() => {
    const group = groupRef.current;
    if (!group || !enabled) return;
    let flights: Flight[] = [];
    let frame = 0;
    const pool: SVGCircleElement[] = [];

    const draw = () => {
      const now = performance.now();
      flights = flights.filter((f) => f.startAt + f.durationMs > now);
      let used = 0;
      for (const f of flights) {
        const a = positionsRef.current.get(f.from);
        const b = positionsRef.current.get(f.to);
        const t = (now - f.startAt) / f.durationMs;
        if (!a || !b || t < 0) continue;
        let c = pool[used];
        if (!c) {
          c = document.createElementNS(SVG_NS, 'circle');
          group.appendChild(c);
          pool.push(c);
        }
        used++;
        const e = t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
        c.setAttribute('cx', String(a.x + (b.x - a.x) * e));
        c.setAttribute('cy', String(a.y + (b.y - a.y) * e));
        c.setAttribute('r', RADIUS[f.family]);
        c.setAttribute('class', dotClass(f.family));
        c.style.display = '';
      }
      for (let i = used; i < pool.length; i++) pool[i]!.style.display = 'none';
      frame = flights.length > 0 ? requestAnimationFrame(draw) : 0;
    };

    // Off screen (the learner scrolled down to the workload or the keys), the dots would still
    // cost a style recalc, layout and repaint of the whole page every frame: stop them there.
    let onScreen = true;
    const io =
      typeof IntersectionObserver === 'undefined'
        ? null
        : new IntersectionObserver((entries) => {
            onScreen = entries.at(-1)?.isIntersecting ?? true;
            if (onScreen) return;
            flights = [];
            cancelAnimationFrame(frame);
            frame = 0;
            for (const c of pool) c.style.display = 'none';
          });
    // The svg, not the group: an empty group has no box and never intersects.
    io?.observe(group.ownerSVGElement ?? group);

    const unsubscribe = subscribeSentMessages((msgs) => {
      // Skip work while the tab is hidden or the drawing is scrolled away: nobody sees the dots.
      if (document.hidden || !onScreen) return;
      flights = admitFlights(flights, msgs, performance.now());
      if (!frame && flights.length) frame = requestAnimationFrame(draw);
    });
    return () => {
      io?.disconnect();
      unsubscribe();
      cancelAnimationFrame(frame);
      for (const c of pool) c.remove();
    };
  }, [enabled]);

  return <g ref={groupRef} className="message-layer" aria-hidden="true" />;
}
