// Send later: the composer's presets, the value a <select> holds for each,
// and the send button's words. The core resolves a preset to an instant
// (with my hours and the recipients'), so nothing here reads the clock.
import type { DayState, DueBy, PostOptions, SendAt, UrgentCheck } from "./bindings";

/** A preset the composer offers: its <select> value, label and SendAt. */
export type LaterChoice = { value: string; label: string; when: SendAt | null };

export const LATER_CHOICES: readonly LaterChoice[] = [
  { value: "now", label: "Send now", when: null },
  { value: "in_one_hour", label: "In 1 hour", when: { kind: "in_one_hour" } },
  { value: "tomorrow_at_my_start", label: "Tomorrow at my start", when: { kind: "tomorrow_at_my_start" } },
  { value: "monday_at_my_start", label: "Monday at my start", when: { kind: "monday_at_my_start" } },
  { value: "at_their_start", label: "At their start", when: { kind: "at_their_start" } },
];

/** The <select> value that opens the date-and-time picker. */
export const CUSTOM = "custom";

/** A wall-clock time in my zone from a datetime-local input
 *  ("YYYY-MM-DDTHH:MM", seconds optional); null when empty. */
export function myLocal(input: string): SendAt | null {
  const v = input.trim();
  if (v === "") return null;
  return { kind: "my_local", value: v.length === 16 ? `${v}:00` : v };
}

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

/** A reply-by preset the composer offers. */
export type AskChoice = { value: string; label: string; by: DueBy | null };

export const ASK_CHOICES: readonly AskChoice[] = [
  { value: "none", label: "No reply needed", by: null },
  { value: "next_day", label: "Reply by their next working day", by: { kind: "end_of_next_working_day" } },
  { value: "2_days", label: "Reply within 2 working days", by: { kind: "working_days", value: 2 } },
  { value: "3_days", label: "Reply within 3 working days", by: { kind: "working_days", value: 3 } },
  { value: "5_days", label: "Reply within 5 working days", by: { kind: "working_days", value: 5 } },
];

/** The DueBy for a <select> value (unknown values: no ask). */
export function askFor(value: string): DueBy | null {
  return ASK_CHOICES.find((c) => c.value === value)?.by ?? null;
}

/** The <select> value that shows `by`. */
export function askValue(by: DueBy | null): string {
  if (by === null) return "none";
  return ASK_CHOICES.find((c) => c.by !== null && JSON.stringify(c.by) === JSON.stringify(by))?.value ?? "none";
}

/** What the urgent mark does for one recipient, in words. */
export function urgentWords(check: UrgentCheck): string {
  if (check.breaks_through) return "urgent: breaks through";
  const again = check.again_at ? ` (again from ${check.again_at.local})` : "";
  return `urgent already used today: arrives normally${again}`;
}

/** The options a post is sent with: the ask and the urgent mark go to
 *  everyone the draft notifies. */
export function postOptions(when: SendAt | null, urgent: boolean, replyBy: DueBy | null, people: readonly string[]): PostOptions {
  return {
    when,
    urgent: urgent ? [...people] : [],
    reply_by: replyBy !== null && people.length > 0 ? { people: [...people], by: replyBy } : null,
  };
}
