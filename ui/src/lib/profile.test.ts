import { describe, expect, it } from "vitest";
import { toProfile } from "./profile";

describe("toProfile", () => {
  it("turns the form into the core's profile", () => {
    expect(toProfile({ name: "Ana Souza", tz: "Europe/Lisbon", start: "08:30", end: "16:45", days: 0b11111 })).toEqual({
      profile: {
        display_name: "Ana Souza",
        time_zone: "Europe/Lisbon",
        working_hours: { start_min: 510, end_min: 1005, days: 31 },
      },
    });
  });

  it("leaves the name and zone for the core to judge", () => {
    const r = toProfile({ name: "", tz: "Nowhere", start: "09:00", end: "17:00", days: 0 });
    expect("profile" in r).toBe(true);
  });

  it("says which time is not a time", () => {
    expect(toProfile({ name: "A", tz: "UTC", start: "", end: "17:00", days: 1 })).toEqual({
      error: expect.stringMatching(/starts/),
    });
    expect(toProfile({ name: "A", tz: "UTC", start: "09:00", end: "25:00", days: 1 })).toEqual({
      error: expect.stringMatching(/ends/),
    });
  });
});
