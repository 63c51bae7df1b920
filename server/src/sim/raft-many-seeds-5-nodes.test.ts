import { describeManySeeds } from './many-seeds';

describeManySeeds(5, 'raft');
