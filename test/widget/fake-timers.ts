// A clock the test moves by hand, for the elements' live channel (RollcallElement.timers): a
// reconnection after a drop happens when the test says so, not after a real wait.

import type { Timers } from "../../widget/shared/live";

export class FakeTimers implements Timers {
  private now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; run: () => void }>();

  setTimeout(run: () => void, ms: number): number {
    const id = this.next++;
    this.due.set(id, { at: this.now + ms, run });
    return id;
  }

  clearTimeout(id: number | undefined) {
    if (id !== undefined) this.due.delete(id);
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.due.size;
  }

  /** Moves the clock on by `ms`, running every timer that falls due, in order. */
  tick(ms: number) {
    const until = this.now + ms;
    for (;;) {
      const [id, timer] = [...this.due].sort(([, a], [, b]) => a.at - b.at)[0] ?? [];
      if (id === undefined || !timer || timer.at > until) break;
      this.due.delete(id);
      this.now = timer.at;
      timer.run();
    }
    this.now = until;
  }
}
