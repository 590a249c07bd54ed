import { describe, expect, it } from "vitest";
import { scrollToShow, windowRange } from "./virtual";

describe("windowRange", () => {
  it("covers the rows in view plus the overscan, within the list", () => {
    expect(windowRange(0, 400, 10_000, 80, 5)).toEqual({ start: 0, end: 10 });
    expect(windowRange(8000, 400, 10_000, 80, 5)).toEqual({ start: 95, end: 110 });
    expect(windowRange(799_600, 400, 10_000, 80, 5)).toEqual({ start: 9990, end: 10_000 });
  });

  it("puts a short list in whole", () => {
    expect(windowRange(0, 800, 3, 80, 5)).toEqual({ start: 0, end: 3 });
  });

  it("is empty for an empty list, and sane for odd input", () => {
    expect(windowRange(0, 800, 0, 80, 5)).toEqual({ start: 0, end: 0 });
    expect(windowRange(-50, 400, 100, 80, 2)).toEqual({ start: 0, end: 7 });
    expect(windowRange(1e9, 400, 100, 80, 2)).toEqual({ start: 100, end: 100 });
  });
});

describe("scrollToShow", () => {
  it("keeps the position when the row is in view", () => {
    expect(scrollToShow(3, 0, 400, 80)).toBe(0);
  });

  it("scrolls up to a row above and down to a row below, minimally", () => {
    expect(scrollToShow(2, 400, 400, 80)).toBe(160);
    expect(scrollToShow(10, 0, 400, 80)).toBe(480);
  });
});
