import { describeManySeeds } from './many-seeds';

describeManySeeds(3, 'raft');
