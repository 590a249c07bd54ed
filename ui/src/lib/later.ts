// Send later: the composer's presets, the value a <select> holds for each,
// and the send button's words. The core resolves a preset to an instant
// (with my hours and the recipients'), so nothing here reads the clock.
import type { DayState, SendAt } from "./bindings";

/** A preset the composer offers: its <select> value, label and SendAt. */
export type LaterChoice = { value: string; label: string; when: SendAt | null };

export const LATER_CHOICES: readonly LaterChoice[] = [
  { value: "now", label: "Send now", when: null },
  { value: "in_one_hour", label: "In 1 hour", when: { kind: "in_one_hour" } },
  { value: "tomorrow_at_my_start", label: "Tomorrow at my start", when: { kind: "tomorrow_at_my_start" } },
  { value: "monday_at_my_start", label: "Monday at my start", when: { kind: "monday_at_my_start" } },
  { value: "at_their_start", label: "At their start", when: { kind: "at_their_start" } },
];

/** The SendAt for a <select> value (unknown values mean now). */
export function whenFor(value: string): SendAt | null {
  return LATER_CHOICES.find((c) => c.value === value)?.when ?? null;
}

/** "Reply" when sending now, "Schedule" for any later time. */
export function sendWords(now: string, when: SendAt | null): string {
  return when === null ? now : "Schedule";
}

/** How a recipient's state reads in the panel. */
export function stateWords(state: DayState): string {
  switch (state) {
    case "in_hours":
      return "working";
    case "after_hours":
      return "after hours";
    case "away":
      return "away";
  }
}

/** The sidebar's count: empty when nothing is scheduled. */
export function countText(n: number): string {
  return n > 0 ? String(n) : "";
}
