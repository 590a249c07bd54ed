// Where the person is: a list (inbox, done, a channel) with maybe a thread
// open beside it, or Settings. Tells the shell which thread is on screen.
import { api, attempt } from "./api";

export type ListRoute = { kind: "inbox" } | { kind: "done" } | { kind: "channel"; id: string };
export type OpenThread = { id: string; comment: string | null; nonce: number };

export function sameList(a: ListRoute, b: ListRoute): boolean {
  return a.kind === b.kind && (a.kind !== "channel" || (b.kind === "channel" && a.id === b.id));
}

class Nav {
  section = $state<"lists" | "settings" | "scheduled" | "waiting" | "later" | "catch-up" | "checkins">("lists");
  /** The check-in whose board is open in the Check-ins view. */
  checkin = $state<string | null>(null);
  list = $state.raw<ListRoute>({ kind: "inbox" });
  thread = $state.raw<OpenThread | null>(null);
  /** The keyboard selection in the current list. */
  selected = $state<string | null>(null);
  /** Dialogs and overlays open: global shortcuts wait while any is. */
  modals = $state(0);
  private nonce = 0;
  private told: string | null = null;

  showList(list: ListRoute): void {
    const changed = this.section !== "lists" || !sameList(this.list, list);
    this.section = "lists";
    if (changed) {
      this.list = list;
      this.selected = null;
      this.closeThread();
    }
  }

  showSettings(): void {
    this.section = "settings";
    this.closeThread();
  }

  /** My posts waiting for their time. */
  showScheduled(): void {
    this.section = "scheduled";
    this.closeThread();
  }

  /** Asks waiting on me and mine waiting on others. */
  showWaiting(): void {
    this.section = "waiting";
    this.closeThread();
  }

  /** The Check-ins view, on a check-in's board if given. */
  showCheckins(checkin: string | null = null): void {
    this.section = "checkins";
    this.checkin = checkin;
    this.closeThread();
  }

  /** The morning catch-up, built on this device. */
  showCatchUp(): void {
    this.section = "catch-up";
    this.closeThread();
  }

  /** Threads I keep to come back to, with their reminders. */
  showLater(): void {
    this.section = "later";
    this.closeThread();
  }

  /** Opens a thread beside the current list, at a comment if given. */
  openThread(id: string, comment: string | null = null): void {
    if (this.section !== "lists") this.section = "lists";
    this.thread = { id, comment, nonce: ++this.nonce };
    this.selected = id;
    this.tell(id);
  }

  closeThread(): void {
    if (this.thread === null) return;
    this.thread = null;
    this.tell(null);
  }

  private tell(id: string | null): void {
    if (this.told === id) return;
    this.told = id;
    void attempt(() => api.setOpenThread(id));
  }
}

export const nav = new Nav();
