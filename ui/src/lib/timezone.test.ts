import { describe, expect, it } from "vitest";
import { detectTimeZone, preselectZone } from "./timezone";

describe("preselectZone", () => {
  const zones = ["America/New_York", "Asia/Tokyo", "Etc/UTC", "Europe/Lisbon", "UTC"];

  it("keeps the detected zone when the core offers it", () => {
    expect(preselectZone(zones, "Asia/Tokyo")).toBe("Asia/Tokyo");
  });

  it("maps UTC aliases onto one the core offers", () => {
    expect(preselectZone(["Asia/Tokyo", "UTC"], "Etc/UTC")).toBe("UTC");
    expect(preselectZone(["Asia/Tokyo", "Etc/UTC"], "UTC")).toBe("Etc/UTC");
  });

  it("falls back to UTC, then to the first zone", () => {
    expect(preselectZone(zones, "Mars/Olympus_Mons")).toBe("UTC");
    expect(preselectZone(["Asia/Tokyo"], "Mars/Olympus_Mons")).toBe("Asia/Tokyo");
  });

  it("detects some zone name", () => {
    expect(detectTimeZone()).toMatch(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/);
  });
});
