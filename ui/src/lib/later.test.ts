import { describe, expect, it } from "vitest";
import { ASK_CHOICES, askFor, askValue, countText, LATER_CHOICES, myLocal, postOptions, sendWords, stateWords, urgentWords, whenFor } from "./later";

describe("send later presets", () => {
  it("maps each select value to the core's SendAt", () => {
    expect(whenFor("now")).toBeNull();
    expect(whenFor("in_one_hour")).toEqual({ kind: "in_one_hour" });
    expect(whenFor("tomorrow_at_my_start")).toEqual({ kind: "tomorrow_at_my_start" });
    expect(whenFor("monday_at_my_start")).toEqual({ kind: "monday_at_my_start" });
    expect(whenFor("at_their_start")).toEqual({ kind: "at_their_start" });
  });

  it("treats an unknown value as now", () => {
    expect(whenFor("next_year")).toBeNull();
  });

  it("has one value per preset, each a SendAt kind", () => {
    const values = LATER_CHOICES.map((c) => c.value);
    expect(new Set(values).size).toBe(values.length);
    for (const c of LATER_CHOICES) if (c.when) expect(c.when.kind).toBe(c.value);
  });

  it("says Schedule on the button for a later time", () => {
    expect(sendWords("Reply", null)).toBe("Reply");
    expect(sendWords("Reply", { kind: "in_one_hour" })).toBe("Schedule");
  });

  it("names the recipient's state and hides a zero count", () => {
    expect(stateWords("in_hours")).toBe("working");
    expect(stateWords("after_hours")).toBe("after hours");
    expect(stateWords("away")).toBe("away");
    expect(countText(0)).toBe("");
    expect(countText(3)).toBe("3");
  });
});

describe("reply-by and urgent", () => {
  it("maps each reply-by preset to the core's DueBy and back", () => {
    expect(askFor("none")).toBeNull();
    expect(askFor("next_day")).toEqual({ kind: "end_of_next_working_day" });
    expect(askFor("2_days")).toEqual({ kind: "working_days", value: 2 });
    for (const c of ASK_CHOICES) expect(askValue(c.by)).toBe(c.value);
    expect(askFor("tomorrowish")).toBeNull();
  });

  it("asks and marks urgent everyone the draft notifies, or nobody", () => {
    const by = { kind: "working_days", value: 2 } as const;
    expect(postOptions(null, true, by, ["b", "c"])).toEqual({
      when: null,
      urgent: ["b", "c"],
      reply_by: { people: ["b", "c"], by },
    });
    expect(postOptions({ kind: "in_one_hour" }, false, null, ["b"])).toEqual({
      when: { kind: "in_one_hour" },
      urgent: [],
      reply_by: null,
    });
    // Nobody to ask: no ask (the core would refuse an empty one).
    expect(postOptions(null, false, by, []).reply_by).toBeNull();
  });

  it("says whether urgent breaks through, and from when it would again", () => {
    const person = { id: "b", name: "Ben" };
    expect(urgentWords({ person, breaks_through: true, again_at: null })).toBe("urgent: breaks through");
    const again = { utc: "2026-12-08T01:00:00Z", local: "Tue 10:00", author_local: null, label: "Tue 10:00" };
    expect(urgentWords({ person, breaks_through: false, again_at: again })).toBe(
      "urgent already used today: arrives normally (again from Tue 10:00)",
    );
  });
});

describe("a time I pick", () => {
  it("is a wall-clock time in my zone, with seconds", () => {
    expect(myLocal("2026-12-08T10:30")).toEqual({ kind: "my_local", value: "2026-12-08T10:30:00" });
    expect(myLocal("2026-12-08T10:30:15")).toEqual({ kind: "my_local", value: "2026-12-08T10:30:15" });
  });

  it("is nothing until picked", () => {
    expect(myLocal("")).toBeNull();
    expect(myLocal("  ")).toBeNull();
  });
});
