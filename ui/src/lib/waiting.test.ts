import { describe, expect, it } from "vitest";
import type { WaitingItem } from "./bindings";
import {
  awayText,
  backOnError,
  backOnLabel,
  byThread,
  dueLabel,
  localDate,
  nextDeadline,
  replyByText,
  sortWaiting,
  waitingCount,
} from "./waiting";

function item(thread: string, utc: string, overdue = false): WaitingItem {
  return {
    thread,
    title: `Thread ${thread}`,
    channel_name: "general",
    asker: { id: "ben", name: "Ben" },
    asked: { id: "ana", name: "Ana" },
    due: { utc, local: utc, author_local: null, label: utc },
    overdue,
    ask: `ask-${thread}-${utc}`,
  };
}

// Tuesday 15 Dec 2026, 17:00 UTC.
const TUE = "2026-12-15T17:00:00Z";
const MON_NOON = Date.parse("2026-12-14T12:00:00Z");

describe("due labels", () => {
  it("says the weekday and time in my zone when the deadline is near", () => {
    expect(dueLabel(TUE, "UTC", MON_NOON)).toBe("Tue 17:00");
    expect(dueLabel(TUE, "Asia/Tokyo", MON_NOON)).toBe("Wed 02:00");
  });

  it("adds the date when it is far, or when the app's clock is a test clock", () => {
    expect(dueLabel(TUE, "UTC", MON_NOON - 10 * 24 * 3600 * 1000)).toBe("Tue 15 Dec 17:00");
    expect(dueLabel(TUE, "UTC", null)).toBe("Tue 15 Dec 17:00");
  });

  it("falls back to UTC for an unknown zone and keeps a bad instant as is", () => {
    expect(dueLabel(TUE, "Not/AZone", MON_NOON)).toBe("Tue 17:00");
    expect(dueLabel("soon", "UTC", MON_NOON)).toBe("soon");
  });

  it("words the thread badge", () => {
    expect(replyByText(item("a", TUE), "UTC", MON_NOON)).toBe("Reply by Tue 17:00");
    expect(replyByText(item("a", TUE, true), "UTC", MON_NOON)).toBe("Overdue");
  });
});

describe("ordering and counts", () => {
  const late = item("a", "2026-12-16T09:00:00Z");
  const soon = item("b", "2026-12-15T09:00:00Z");
  const over = item("c", "2026-12-17T09:00:00Z", true);

  it("puts overdue first, then the soonest deadline", () => {
    expect(sortWaiting([late, soon, over]).map((i) => i.thread)).toEqual(["c", "b", "a"]);
  });

  it("keeps the most pressing ask of each thread", () => {
    const again = item("b", "2026-12-20T09:00:00Z");
    const overAgain = item("a", "2026-12-30T09:00:00Z", true);
    const map = byThread([again, soon, late, overAgain]);
    expect(map.get("b")?.due.utc).toBe(soon.due.utc);
    expect(map.get("a")?.overdue).toBe(true);
    expect(map.size).toBe(2);
  });

  it("counts asks on me and notes an overdue one", () => {
    expect(waitingCount([])).toEqual({ text: "", overdue: false });
    expect(waitingCount([late, soon])).toEqual({ text: "2", overdue: false });
    expect(waitingCount([late, over])).toEqual({ text: "2", overdue: true });
  });

  it("finds the next deadline still to come", () => {
    expect(nextDeadline([late, soon, over])).toBe(Date.parse(soon.due.utc));
    expect(nextDeadline([over])).toBeNull();
  });
});

describe("away", () => {
  const away = { until: "2026-12-14T09:00:00Z", note: " At a conference " };

  it("says until when and why, in my zone", () => {
    expect(awayText(away, "Europe/Lisbon")).toBe("Away until you are back on Mon 14 Dec — At a conference");
    expect(awayText({ ...away, note: "" }, "UTC")).toBe("Away until you are back on Mon 14 Dec");
    expect(awayText(null, "UTC")).toBe("You are not away.");
    expect(backOnLabel("2026-12-14T01:00:00Z", "America/New_York")).toBe("Sun 13 Dec");
  });

  it("takes only a day after today", () => {
    expect(backOnError("2026-12-08", "2026-12-07")).toBeNull();
    expect(backOnError("2026-12-07", "2026-12-07")).not.toBeNull();
    expect(backOnError("2026-12-01", "2026-12-07")).not.toBeNull();
    expect(backOnError("", "2026-12-07")).not.toBeNull();
    expect(backOnError("2026-12-01", null)).toBeNull();
  });

  it("knows today's date in my zone", () => {
    const at = Date.parse("2026-12-06T23:30:00Z");
    expect(localDate(at, "UTC")).toBe("2026-12-06");
    expect(localDate(at, "Asia/Tokyo")).toBe("2026-12-07");
  });
});
