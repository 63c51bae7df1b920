import type { AlgorithmId } from '@clusterlab/shared';
import type { AnyAlgorithm } from '../core/types';
import { bully } from './bully';
import { raft } from './raft';

/** Every algorithm a cluster can run, by the id its settings name. */
const ALGORITHMS: Record<AlgorithmId, AnyAlgorithm> = {
  bully: bully as unknown as AnyAlgorithm,
  raft: raft as unknown as AnyAlgorithm,
};

export function algorithmFor(id: AlgorithmId): AnyAlgorithm {
  return ALGORITHMS[id];
}
