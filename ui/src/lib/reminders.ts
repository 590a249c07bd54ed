// Later and reminders: the choices "Remind me" offers, the RemindAt each
// stands for, and how a Later item's state reads. The core resolves a
// choice to an instant in my working hours, so nothing here reads the clock.
import type { LaterItem, RemindAt } from "./bindings";

/** A choice in the Remind me dialog. */
export type RemindChoice = { value: string; label: string; when: RemindAt | null };

export const REMIND_CHOICES: readonly RemindChoice[] = [
  { value: "later_today", label: "Later today (in 3 hours)", when: { kind: "later_today" } },
  { value: "tomorrow_at_my_start", label: "Tomorrow at my start", when: { kind: "tomorrow_at_my_start" } },
  { value: "monday_at_my_start", label: "Next Monday at my start", when: { kind: "monday_at_my_start" } },
  { value: "custom", label: "At a time I pick…", when: null },
  { value: "saved", label: "No reminder: just keep it in Later", when: { kind: "saved" } },
];

/** The RemindAt for a choice; `custom` takes a datetime-local value
 *  ("YYYY-MM-DDTHH:MM") in my zone, and is null until one is picked. */
export function remindFor(value: string, custom: string): RemindAt | null {
  if (value === "custom") {
    const v = custom.trim();
    if (v === "") return null;
    return { kind: "my_local", value: v.length === 16 ? `${v}:00` : v };
  }
  return REMIND_CHOICES.find((c) => c.value === value)?.when ?? null;
}

/** One line saying where an item stands. */
export function laterLine(item: LaterItem): string {
  switch (item.state) {
    case "due":
      if (item.replied) return `${item.replied.name} replied`;
      return item.due ? `Due since ${item.due.local}` : "Due";
    case "upcoming": {
      const at = item.remind_at?.local;
      if (at && item.on_reply) return `${at}, or sooner if someone replies`;
      if (at) return `Reminder ${at}`;
      return "When someone replies";
    }
    case "saved":
      return `Saved ${item.set.local}`;
    case "done":
      return "Done";
  }
}

/** The Later items of one state, in the list's order. */
export function inState(items: readonly LaterItem[], state: LaterItem["state"]): LaterItem[] {
  return items.filter((i) => i.state === state);
}

/** The sidebar's badge: due items, or nothing. */
export function dueBadge(due: number): string {
  return due > 0 ? String(due) : "";
}
