// My scheduled posts, shared by the sidebar's count and the Scheduled
// view: fetched once, then again whenever a store change names them.
import type { ScheduledView } from "./bindings";
import { api } from "./api";
import { onChanges } from "./changes";
import { coalesce } from "./latest";
import { toasts } from "./toasts.svelte";

class Scheduled {
  items = $state.raw<ScheduledView[]>([]);

  refresh = coalesce(async () => {
    try {
      this.items = await api.scheduledList();
    } catch (e) {
      toasts.error(e);
    }
  });

  /** Keeps the list current until the returned function runs. */
  watch(): () => void {
    void this.refresh();
    return onChanges((changes) => {
      if (changes.some((c) => c.kind === "scheduled" || c.kind === "all" || c.kind === "workspace")) void this.refresh();
    });
  }
}

export const scheduled = new Scheduled();
