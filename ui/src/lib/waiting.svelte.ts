// Asks waiting on me and my asks waiting on others, shared by the sidebar's
// count, the thread badges and the Waiting view: fetched once, then again
// whenever a store change names them (the shell also names them when a
// reply-by reminder fires, so "overdue" follows the app's clock).
import type { WaitingItem } from "./bindings";
import { api } from "./api";
import { app } from "./app.svelte";
import { onChanges } from "./changes";
import { coalesce } from "./latest";
import { toasts } from "./toasts.svelte";
import { byThread, nextDeadline, sortWaiting, waitingCount } from "./waiting";

/** setTimeout's longest wait; a later deadline is looked at again then. */
const MAX_WAIT_MS = 2 ** 31 - 1;

class Waiting {
  onMe = $state.raw<WaitingItem[]>([]);
  onOthers = $state.raw<WaitingItem[]>([]);
  /** When the lists were read (ms), for near/far due labels; null on a
   *  test clock, whose time the page cannot know. */
  now = $state<number | null>(null);

  count = $derived(waitingCount(this.onMe));
  /** The most pressing ask on me per thread, for the thread badges. */
  threads = $derived(byThread(this.onMe));
  /** My time zone, for due labels. */
  zone = $derived(app.me?.time_zone ?? "UTC");

  private timer: ReturnType<typeof setTimeout> | null = null;
  private watchers = 0;

  refresh = coalesce(async () => {
    try {
      const [me, others] = await Promise.all([api.waitingOnMe(), api.waitingOnOthers()]);
      this.onMe = sortWaiting(me);
      this.onOthers = sortWaiting(others);
      this.now = app.info?.test_clock ? null : Date.now();
      this.rearm();
    } catch (e) {
      toasts.error(e);
    }
  });

  /** On the computer's clock, reads again when the next deadline passes
   *  (the core then says it is overdue). */
  private rearm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const next = nextDeadline([...this.onMe, ...this.onOthers]);
    if (this.now === null || next === null || this.watchers === 0) return;
    const wait = Math.min(MAX_WAIT_MS, Math.max(0, next - this.now) + 1000);
    this.timer = setTimeout(() => void this.refresh(), wait);
  }

  /** Keeps the lists current until the returned function runs. */
  watch(): () => void {
    this.watchers++;
    void this.refresh();
    const off = onChanges((changes) => {
      if (changes.some((c) => c.kind === "waiting" || c.kind === "all" || c.kind === "workspace")) void this.refresh();
    });
    return () => {
      off();
      if (--this.watchers === 0 && this.timer !== null) {
        clearTimeout(this.timer);
        this.timer = null;
      }
    };
  }
}

export const waiting = new Waiting();
