// The sidebar's one-word summary of every sync target's status.
import type { SyncStatus, TargetState } from "./bindings";

export type Overall = "none" | "offline" | "connecting" | "catching_up" | "live";

/** The state that matters most to the person: catching up beats live beats
 *  connecting beats offline; "none" when nothing is set up. */
export function overallState(status: SyncStatus): Overall {
  const states = status.targets.map((t) => t.state.state);
  if (states.length === 0) return "none";
  for (const s of ["catching_up", "live", "connecting"] as const) {
    if (states.includes(s)) return s;
  }
  return "offline";
}

/** Items read so far and in all, over the targets catching up; null when
 *  none is. */
export function catchUp(status: SyncStatus): { done: number; total: number } | null {
  let done = 0;
  let total = 0;
  let any = false;
  for (const t of status.targets) {
    if (t.state.state === "catching_up") {
      any = true;
      done += t.state.done;
      total += t.state.total;
    }
  }
  return any ? { done, total } : null;
}

/** A target's state in words. */
export function stateText(state: TargetState): string {
  switch (state.state) {
    case "offline":
      return "Offline";
    case "connecting":
      return "Connecting…";
    case "catching_up":
      return state.total > 0 ? `Catching up ${state.done} of ${state.total}` : "Catching up…";
    case "live":
      return "Live";
  }
}

/** The indicator's words for the overall state. */
export const OVERALL_TEXT: Record<Overall, string> = {
  none: "Not syncing",
  offline: "Offline",
  connecting: "Connecting…",
  catching_up: "Catching up…",
  live: "Synced",
};

/** What Settings and the sync tooltip say about teammates' changes held
 *  because their device's clock is ahead of mine (null: none held). */
export function fromFutureText(held: number): string | null {
  if (held <= 0) return null;
  const what = held === 1 ? "1 change" : `${held} changes`;
  return `Waiting: ${what} from the future — a teammate's clock is ahead of yours; ${held === 1 ? "it applies" : "they apply"} when your clock reaches ${held === 1 ? "its" : "their"} time.`;
}
