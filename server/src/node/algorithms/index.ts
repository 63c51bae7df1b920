import type { AlgorithmId } from '@clusterlab/shared';
import type { AnyAlgorithm } from '../core/types';
import { bully } from './bully';

/** Every algorithm a cluster can run, by the id its settings name. */
const ALGORITHMS: Record<AlgorithmId, AnyAlgorithm | null> = {
  bully: bully as unknown as AnyAlgorithm,
  raft: null,
};

export function algorithmFor(id: AlgorithmId): AnyAlgorithm {
  const algorithm = ALGORITHMS[id];
  if (!algorithm) throw new Error(`the ${id} algorithm is not built yet`);
  return algorithm;
}
