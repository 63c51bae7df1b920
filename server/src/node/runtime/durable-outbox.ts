import type { PeerMessage } from '@clusterlab/shared';
import type { CoreOutput, LogPosition } from '../core/types';
import type { Wal } from '../storage/wal';

/** Everything but a record: what leaves the node once the records before it are durable. */
export type Performed<R> = Exclude<CoreOutput<PeerMessage, R>, { type: 'persist' }>;

/**
 * Carries out a core's outputs in order, keeping "persist before you send": a message, reply
 * or event that follows a record in the output list is held until that record is durable.
 *
 * - fsync `never`: a record is durable once written (it survives a killed process).
 * - fsync `always`: each record is fsync'ed as it is written, before anything after it.
 * - fsync `batch` (group commit): records are written at once, and one fsync on a worker
 *   thread makes all of them durable; what waits on them goes out when it returns. Records
 *   written while that fsync runs share the next one, so a busy node pays one fsync for many
 *   writes and an idle one pays one per write.
 * - A lazy record is written but waited for by nothing (it rides along with the next fsync);
 *   one that asks to hear when it is durable (`whenDurable`) is reported when it is.
 */
export class DurableOutbox<R> {
  /** Outputs waiting for the record count they need to be durable, in output order. */
  private readonly held: { needs: number; out: Performed<R>; cause: string | undefined }[] = [];
  private syncInFlight = false;
  /** The record count that outputs wait for: every record written so far that is not lazy. */
  private mustBeDurable = 0;
  /** Positions a core asked to hear about, with the record count that makes each durable. */
  private readonly awaited: { count: number; position: LogPosition }[] = [];

  /**
   * `perform` carries out one output; `exclusive` runs the release of held outputs the way the
   * host runs a step, so an input they cause (an undeliverable send) waits until all are out.
   */
  constructor(
    private readonly wal: Wal<R, unknown>,
    /** `cause`: the peer message whose step produced the output (what its event will name). */
    private readonly perform: (out: Performed<R>, cause: string | undefined) => void,
    private readonly exclusive: (work: () => void) => void,
    private readonly onFatal: (err: Error) => void,
    /** A position the core asked about is durable: the host steps it with a `durable` input. */
    private readonly onDurable: (position: LogPosition) => void = () => {},
  ) {}

  /** True while a background fsync runs (the log must not be switched under it). */
  get syncing(): boolean {
    return this.syncInFlight;
  }

  carryOut(outputs: readonly CoreOutput<PeerMessage, R>[], cause?: string): void {
    for (const out of outputs) {
      if (out.type === 'persist') {
        this.wal.append(out.record);
        if (!out.lazy) this.mustBeDurable = this.wal.appended;
        if (this.wal.fsync === 'always' && (!out.lazy || out.whenDurable)) this.wal.sync();
        if (out.whenDurable) {
          if (this.wal.durable >= this.wal.appended) this.onDurable(out.whenDurable);
          else this.awaited.push({ count: this.wal.appended, position: out.whenDurable });
        }
        continue;
      }
      const needs = this.mustBeDurable;
      if (this.held.length === 0 && this.wal.durable >= needs) this.perform(out, cause);
      else this.held.push({ needs, out, cause });
    }
    if ((this.held.length > 0 || this.awaited.length > 0) && !this.syncInFlight) this.startSync();
  }

  private startSync(): void {
    this.syncInFlight = true;
    this.wal.syncInBackground((durable, err) => {
      this.syncInFlight = false;
      if (err) {
        // The disk refused to promise the records are there: nothing that depends on them may
        // leave, and carrying on as if they were would break every promise the log makes.
        this.held.length = 0;
        this.onFatal(err);
        return;
      }
      let released = 0;
      while (released < this.held.length && this.held[released]!.needs <= durable) released++;
      const ready = this.held.splice(0, released);
      let heard = 0;
      while (heard < this.awaited.length && this.awaited[heard]!.count <= durable) heard++;
      const positions = this.awaited.splice(0, heard);
      this.exclusive(() => {
        for (const { out, cause } of ready) this.perform(out, cause);
        for (const { position } of positions) this.onDurable(position);
      });
      if ((this.held.length > 0 || this.awaited.length > 0) && !this.syncInFlight) this.startSync();
    });
  }
}
