import { describe, expect, it } from "vitest";
import { DEFAULT_HOURS, hasDay, minutesToTime, timeToMinutes, withDay } from "./hours";

describe("working hours", () => {
  it("converts minutes to HH:MM and back", () => {
    expect(minutesToTime(540)).toBe("09:00");
    expect(minutesToTime(17 * 60 + 5)).toBe("17:05");
    expect(minutesToTime(0)).toBe("00:00");
    expect(minutesToTime(1439)).toBe("23:59");
    expect(timeToMinutes("09:00")).toBe(540);
    expect(timeToMinutes("9:30")).toBe(570);
    expect(timeToMinutes("23:59:00")).toBe(1439);
  });

  it("refuses what is not a time of day", () => {
    expect(timeToMinutes("")).toBeNull();
    expect(timeToMinutes("24:00")).toBeNull();
    expect(timeToMinutes("12:60")).toBeNull();
    expect(timeToMinutes("noon")).toBeNull();
  });

  it("defaults to Monday to Friday", () => {
    const days = [0, 1, 2, 3, 4, 5, 6].map((i) => hasDay(DEFAULT_HOURS.days, i));
    expect(days).toEqual([true, true, true, true, true, false, false]);
  });

  it("toggles single weekdays in the mask", () => {
    expect(withDay(DEFAULT_HOURS.days, 6, true)).toBe(0b1011111);
    expect(withDay(DEFAULT_HOURS.days, 0, false)).toBe(0b0011110);
    expect(withDay(0, 3, true)).toBe(0b0001000);
    expect(withDay(0b1111111, 6, false)).toBe(0b0111111);
  });
});
