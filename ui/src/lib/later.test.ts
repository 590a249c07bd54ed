import { describe, expect, it } from "vitest";
import { countText, LATER_CHOICES, sendWords, stateWords, whenFor } from "./later";

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
