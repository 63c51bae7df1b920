import { MAX_NODES } from '@clusterlab/shared/limits';
import { addNode } from '../api/actions';
import { useApp } from '../stores/hooks';
import { NodeCard } from './NodeCard';
import { RegistryPanel } from './RegistryPanel';
import { ResetControl } from './ResetControl';
import { Topology } from './Topology';

export function ClusterSection() {
  const nodeIds = useApp((s) => s.cluster.nodeIds);
  const loaded = useApp((s) => s.cluster.loaded);
  const busy = useApp((s) => s.ui.busy.cluster !== undefined);
  // More than one running node believing it leads is the split brain a learner should notice.
  const claimants = useApp((s) => s.cluster.nodeIds.filter((id) => s.cluster.nodes[id]?.role === 'leader' && s.cluster.nodes[id]?.status === 'running').length);
  return (
    <section className="cluster" aria-labelledby="cluster-heading">
      <div className="section-head">
        <h2 id="cluster-heading">Cluster</h2>
        <span className="muted small">{loaded ? `${nodeIds.length} node${nodeIds.length === 1 ? '' : 's'}` : 'connecting…'}</span>
        {claimants > 1 && <span className="split-brain">⚠ {claimants} nodes think they lead</span>}
        <div className="section-head__tools">
          <button type="button" className="btn btn--primary" disabled={busy || nodeIds.length >= MAX_NODES} onClick={() => void addNode()}>
            Add node
          </button>
          <ResetControl />
        </div>
      </div>
      <div className="cluster__overview">
        <Topology />
        <RegistryPanel />
      </div>
      <div className="node-grid">
        {nodeIds.map((id) => (
          <NodeCard key={id} id={id} />
        ))}
        {loaded && nodeIds.length === 0 && <p className="empty">No nodes. Add one to start a cluster.</p>}
      </div>
    </section>
  );
}
