import { describe, expect, it } from "vitest";
import type { LaterItem } from "./bindings";
import { dueBadge, inState, laterLine, remindFor } from "./reminders";

const time = (local: string) => ({ utc: "2026-11-30T09:00:00Z", local, author_local: null, label: local });

function item(over: Partial<LaterItem>): LaterItem {
  return {
    thread: { id: "t1" } as LaterItem["thread"],
    state: "upcoming",
    remind_at: time("30 Nov 09:00"),
    on_reply: false,
    due: time("30 Nov 09:00"),
    replied: null,
    set: time("27 Nov 14:00"),
    ...over,
  };
}

describe("remindFor", () => {
  it("maps presets and a picked local time, and waits for the pick", () => {
    expect(remindFor("later_today", "")).toEqual({ kind: "later_today" });
    expect(remindFor("saved", "")).toEqual({ kind: "saved" });
    expect(remindFor("custom", "")).toBeNull();
    expect(remindFor("custom", "2026-12-07T09:30")).toEqual({ kind: "my_local", value: "2026-12-07T09:30:00" });
    expect(remindFor("nonsense", "")).toBeNull();
  });
});

describe("laterLine", () => {
  it("says who replied, when it was due, or when it will be", () => {
    expect(laterLine(item({ state: "due", replied: { id: "m", name: "Ben" } as LaterItem["replied"] }))).toBe("Ben replied");
    expect(laterLine(item({ state: "due" }))).toBe("Due since 30 Nov 09:00");
    expect(laterLine(item({}))).toBe("Reminder 30 Nov 09:00");
    expect(laterLine(item({ on_reply: true }))).toBe("30 Nov 09:00, or sooner if someone replies");
    expect(laterLine(item({ on_reply: true, remind_at: null }))).toBe("When someone replies");
    expect(laterLine(item({ state: "saved" }))).toBe("Saved 27 Nov 14:00");
    expect(laterLine(item({ state: "done" }))).toBe("Done");
  });
});

describe("inState and dueBadge", () => {
  it("filter by state and hide a zero badge", () => {
    const list = [item({ state: "due" }), item({}), item({ state: "due" })];
    expect(inState(list, "due")).toHaveLength(2);
    expect(dueBadge(0)).toBe("");
    expect(dueBadge(3)).toBe("3");
  });
});
