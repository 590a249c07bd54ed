// My Later list, shared by the sidebar's badge, the thread header's
// reminder and the Later view: fetched once, then again whenever a store
// change names it (the shell also names it when a reminder comes due, so
// "due" follows the app's clock). Also which thread the Remind me dialog
// is open for.
import type { LaterItem, LaterList } from "./bindings";
import { api } from "./api";
import { onChanges } from "./changes";
import { coalesce } from "./latest";
import { toasts } from "./toasts.svelte";

const EMPTY: LaterList = { items: [], due: 0, open: 0 };

class Later {
  list = $state.raw<LaterList>(EMPTY);
  /** The thread the Remind me dialog is open for. */
  asking = $state.raw<{ id: string; title: string } | null>(null);

  byThread = $derived(new Map<string, LaterItem>(this.list.items.map((i) => [i.thread.id, i])));

  refresh = coalesce(async () => {
    try {
      this.list = await api.laterList();
    } catch (e) {
      toasts.error(e);
    }
  });

  /** Opens the Remind me dialog for a thread. */
  ask(id: string, title: string): void {
    this.asking = { id, title };
  }

  /** Keeps the list current until the returned function runs. */
  watch(): () => void {
    void this.refresh();
    return onChanges((changes) => {
      const mine = changes.some(
        (c) =>
          c.kind === "later" ||
          c.kind === "all" ||
          c.kind === "workspace" ||
          (c.kind === "thread" && this.byThread.has(c.id)),
      );
      if (mine) void this.refresh();
    });
  }
}

export const later = new Later();
