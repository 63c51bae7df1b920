import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fsync, PeerMessage } from '@clusterlab/shared';
import { bully } from '../algorithms/bully';
import type { BullyRecord } from '../algorithms/bully/types';
import type { CoreOutput } from '../core/types';
import { Wal } from '../storage/wal';
import { DurableOutbox, type Performed } from './durable-outbox';

const dirs: string[] = [];
const wals: Wal<BullyRecord, unknown>[] = [];
afterEach(() => {
  for (const wal of wals.splice(0)) wal.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function outbox(fsync: Fsync) {
  const dir = mkdtempSync(join(tmpdir(), 'clusterlab-outbox-'));
  dirs.push(dir);
  const { wal } = Wal.open(dir, bully, { fsync });
  wals.push(wal as Wal<BullyRecord, unknown>);
  const performed: string[] = [];
  const box = new DurableOutbox<BullyRecord>(
    wal as Wal<BullyRecord, unknown>,
    (out: Performed<BullyRecord>) => performed.push(out.type === 'send' ? `send ${out.to}` : out.type === 'reply' ? `reply ${out.requestId}` : 'event'),
    (work) => work(),
    (err) => {
      throw err;
    },
  );
  return { wal, box, performed };
}

const persist = (epoch: number): CoreOutput<PeerMessage, BullyRecord> => ({ type: 'persist', record: { type: 'epoch', epoch } });
const send = (to: string): CoreOutput<PeerMessage, BullyRecord> => ({ type: 'send', to, msg: { type: 'hello', epoch: 0 } });
const reply = (requestId: number): CoreOutput<PeerMessage, BullyRecord> => ({ type: 'reply', requestId, reply: { type: 'timeout', index: 1 } });

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}

describe('persist before you send', () => {
  it('with fsync never, what follows a record goes out at once: the write alone survives a killed process', () => {
    const { box, performed } = outbox('never');
    box.carryOut([persist(1), send('n2'), reply(7)]);
    expect(performed).toEqual(['send n2', 'reply 7']);
  });

  it('with fsync always, each record is on disk before the next output, so nothing is ever held', () => {
    const { wal, box, performed } = outbox('always');
    box.carryOut([persist(1), send('n2'), persist(2), reply(7)]);
    expect(performed).toEqual(['send n2', 'reply 7']);
    expect(wal.durable).toBe(2);
  });

  it('with group commit, a message waits for the fsync of the records before it, and outputs keep their order', async () => {
    const { wal, box, performed } = outbox('batch');
    box.carryOut([send('n3'), persist(1), send('n2'), reply(7)]);
    // What came before the record needs nothing; what came after waits for the fsync.
    expect(performed).toEqual(['send n3']);
    expect(box.syncing).toBe(true);
    // A step taken while that fsync runs: its record joins the next one, and its outputs queue behind.
    box.carryOut([persist(2), send('n4')]);
    box.carryOut([reply(8)]);
    expect(performed).toEqual(['send n3']);
    await until(() => performed.length === 5);
    expect(performed).toEqual(['send n3', 'send n2', 'reply 7', 'send n4', 'reply 8']);
    expect(wal.durable).toBe(2);
    expect(box.syncing).toBe(false);
  });

  it('a lazy record (a commit index, which peers can tell again) holds nothing back', () => {
    const { wal, box, performed } = outbox('batch');
    box.carryOut([{ type: 'persist', record: { type: 'commit', index: 3 }, lazy: true }, reply(7)]);
    expect(performed).toEqual(['reply 7']);
    expect(wal.appended).toBe(1);
  });

  it('many writes share one fsync when they arrive while one runs', async () => {
    const { wal, box, performed } = outbox('batch');
    let syncs = 0;
    const real = wal.syncInBackground.bind(wal);
    wal.syncInBackground = (done) => {
      syncs++;
      real(done);
    };
    box.carryOut([persist(1), reply(1)]);
    for (let i = 2; i <= 50; i++) box.carryOut([persist(i), reply(i)]);
    await until(() => performed.length === 50);
    expect(performed).toEqual(Array.from({ length: 50 }, (_, i) => `reply ${i + 1}`));
    expect(syncs).toBeLessThanOrEqual(2);
  });
});
