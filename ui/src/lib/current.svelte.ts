// What is on screen now, for the global shortcuts: the list shown and the
// thread open.
import type { ThreadView } from "./bindings";
import type { Pager } from "./pager.svelte";

class Current {
  pager = $state.raw<Pager | null>(null);
  thread = $state.raw<ThreadView | null>(null);
  /** Asks the open thread to focus its reply box. */
  focusReply: (() => void) | null = null;
  /** Opens the new-thread composer. */
  compose: (() => void) | null = null;
}

export const current = new Current();
