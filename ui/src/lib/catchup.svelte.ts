// The Catch-up view's data: built by the core on this device, read when
// the view opens and again when a change could alter it (news, reads,
// asks, Later), while it is on screen.
import type { CatchUp } from "./bindings";
import { api } from "./api";
import { onChanges } from "./changes";
import { coalesce } from "./latest";
import { toasts } from "./toasts.svelte";

const KINDS = new Set(["inbox", "later", "waiting", "channels", "all", "workspace", "thread", "channel_threads", "checkins"]);

class CatchUpData {
  value = $state.raw<CatchUp | null>(null);

  refresh = coalesce(async () => {
    try {
      this.value = await api.catchUp();
    } catch (e) {
      toasts.error(e);
    }
  });

  /** Keeps it current until the returned function runs. */
  watch(): () => void {
    void this.refresh();
    return onChanges((changes) => {
      if (changes.some((c) => KINDS.has(c.kind))) void this.refresh();
    });
  }
}

export const catchUp = new CatchUpData();
