// When the ledger drains its outboxes: a moment after a commit (so that a burst of registrations
// becomes one D1 batch and one queue send; longer while commits keep coming), again from the alarm when a drain failed (backing off),
// and from a safety alarm should the object stop before its timer fires.

import { type Deliveries, drainOutboxes, retryDelay } from "./outbox";
import type { LedgerStore } from "./store";

/** A lone commit reaches D1 and the live channel this soon… */
const DRAIN_DELAY_MS = 20;
/** …but while commits keep coming, each drain waits this long, so it carries a burst's rows. */
const BUSY_DRAIN_DELAY_MS = 250;
const SAFETY_ALARM_MS = 60_000;

export class Drainer {
  private draining: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** An alarm known to be set no later than this (real time), so commits need not set one. */
  private safetyAlarmAt: number | null = null;
  private failures = 0;
  private lastDrainAt = 0;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly store: LedgerStore,
    private readonly deliveries: () => Deliveries,
    private readonly now: () => Date,
    /** Called before each drain when something was written since the last one. */
    private readonly onChange: () => void,
  ) {}

  /** Writes pending projection rows to D1 and hands pending mail to the queue (joining a drain under way). */
  drain(): Promise<void> {
    this.draining ??= this.run().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  /** Drains shortly, coalescing with every other commit until then. */
  soon(): void {
    if (this.timer) return;
    const busy = Date.now() - this.lastDrainAt < BUSY_DRAIN_DELAY_MS;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.ctx.waitUntil(this.drain());
      },
      busy ? BUSY_DRAIN_DELAY_MS : DRAIN_DELAY_MS,
    );
    if (this.safetyAlarmAt === null || this.safetyAlarmAt < Date.now()) {
      this.safetyAlarmAt = Date.now() + SAFETY_ALARM_MS;
      this.ctx.waitUntil(this.alarmNoLaterThan(this.safetyAlarmAt));
    }
  }

  /** The alarm fired: the safety alarm, if it was one, is spent. */
  alarmFired(): void {
    this.safetyAlarmAt = null;
  }

  async alarmNoLaterThan(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || at < current) await this.ctx.storage.setAlarm(at);
  }

  private async run(): Promise<void> {
    this.lastDrainAt = Date.now();
    if (this.store.takeChanged()) this.onChange();
    try {
      await drainOutboxes(this.store, this.deliveries(), this.now);
      this.failures = 0;
    } catch (error) {
      // Nothing is lost: the rows stay stale and the alarm tries again, backing off.
      this.failures++;
      const delay = retryDelay(this.failures);
      console.warn(`ledger ${this.store.sessionRecord()?.id}: drain failed (attempt ${this.failures}), retrying in ${delay} ms`, error);
      await this.alarmNoLaterThan(Date.now() + delay);
    }
  }
}
