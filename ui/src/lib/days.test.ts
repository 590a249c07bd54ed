import { describe, expect, it } from "vitest";
import { hasDay, WEEKDAYS, withDay } from "./days";

describe("weekday sets", () => {
  it("read and switch single days, Monday first", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => hasDay(WEEKDAYS, i))).toEqual([true, true, true, true, true, false, false]);
    expect(withDay(WEEKDAYS, 5, true)).toBe(0b0111111);
    expect(withDay(WEEKDAYS, 0, false)).toBe(0b0011110);
    expect(withDay(0, 2, true)).toBe(0b100);
  });
});
