import { describe, expect, it } from "vitest";
import { formatInstant, pauseText } from "./pause";

describe("pauseText", () => {
  const until = "2026-01-06T09:00:00Z";

  it("says On without a pause", () => {
    expect(pauseText(null, "UTC", Date.parse("2026-01-06T08:00:00Z"))).toBe("On");
  });

  it("names the end of a pause in my zone", () => {
    expect(pauseText(until, "Asia/Tokyo", Date.parse("2026-01-06T08:00:00Z"))).toBe("Paused until Tue 6 Jan, 18:00");
    expect(pauseText(until, "UTC", null)).toBe("Paused until Tue 6 Jan, 09:00");
  });

  it("says On once the pause has run out", () => {
    expect(pauseText(until, "UTC", Date.parse("2026-01-06T09:00:01Z"))).toBe("On");
  });

  it("falls back to UTC for an unknown zone", () => {
    expect(formatInstant(until, "Not/AZone")).toBe("Tue 6 Jan, 09:00");
  });
});
