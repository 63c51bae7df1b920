import type { WorkloadFault } from '@clusterlab/shared/workloads';
import { faultSpan, mark } from '../lib/workloadChart';

type Props = { faults: readonly (Pick<WorkloadFault, 'description' | 'fromMs' | 'toMs'> & { bit?: boolean; effect?: string })[]; running: boolean };

/**
 * Every fault in force during the run, marked as on the chart, with when it held and whether
 * it bit: one that did not is flagged, with why (it teaches nothing, and the learner should know).
 */
export function WorkloadFaultList({ faults, running }: Props) {
  return (
    <div className="wl-faults">
      <h3 id="wl-faults-heading" className="wl-subhead">
        Faults during the run
      </h3>
      <ul className="wl-faults__list" aria-labelledby="wl-faults-heading">
        {faults.map((f, i) => (
          <li key={i} className={f.bit === false ? 'wl-faults__item wl-faults__item--missed' : 'wl-faults__item'}>
            <span className="wl-faults__mark" aria-hidden="true">
              {mark(i)}
            </span>
            <span className="wl-faults__what">
              <span className="wl-faults__desc">{f.description}</span> <span className="muted small">{faultSpan(f, running)}</span>
            </span>
            {f.bit === true && <span className="wl-faults__effect">{f.effect}</span>}
            {f.bit === false && (
              <span className="wl-faults__effect wl-faults__effect--missed">
                <strong>did not bite:</strong> {f.effect}
              </span>
            )}
          </li>
        ))}
        {faults.length === 0 && <li className="muted small">No fault was in force: add one from the Faults panel or a node card while it runs.</li>}
      </ul>
    </div>
  );
}
