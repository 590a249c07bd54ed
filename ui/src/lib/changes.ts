// Store changes, as the shell names them, fanned out to whoever shows the
// data: each view refreshes only what a batch names.
import type { Change } from "./bindings";

export type Listener = (changes: readonly Change[]) => void;

const listeners = new Set<Listener>();

/** Calls `f` with every batch of changes until the returned function runs. */
export function onChanges(f: Listener): () => void {
  listeners.add(f);
  return () => void listeners.delete(f);
}

export function publishChanges(changes: readonly Change[]): void {
  for (const f of [...listeners]) {
    try {
      f(changes);
    } catch (e) {
      console.error("a change listener failed", e);
    }
  }
}

/** Whether the batch names `kind` (or everything). */
export function names(changes: readonly Change[], kind: "workspace" | "members" | "channels" | "inbox" | "settings"): boolean {
  return changes.some((c) => c.kind === kind || c.kind === "all");
}

/** Whether the batch names everything. */
export function everything(changes: readonly Change[]): boolean {
  return changes.some((c) => c.kind === "all");
}

/** Whether the batch names this channel's thread list (or everything). */
export function namesChannel(changes: readonly Change[], channel: string): boolean {
  return changes.some((c) => c.kind === "all" || (c.kind === "channel_threads" && c.id === channel));
}

/** The threads the batch names. */
export function threadsNamed(changes: readonly Change[]): Set<string> {
  const out = new Set<string>();
  for (const c of changes) if (c.kind === "thread") out.add(c.id);
  return out;
}
