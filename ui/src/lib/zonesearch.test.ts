import { describe, expect, it } from "vitest";
import { findZones, fold, zoneCountries, zoneLabel } from "./zonesearch";

// A slice of the core's list (IANA names, current and deprecated).
const ZONES = [
  "America/Argentina/Buenos_Aires",
  "America/Indiana/Indianapolis",
  "America/New_York",
  "America/Sao_Paulo",
  "Asia/Calcutta",
  "Asia/Kolkata",
  "Asia/Tokyo",
  "Atlantic/Azores",
  "Atlantic/Madeira",
  "Etc/GMT+5",
  "Europe/Lisbon",
  "Europe/London",
  "US/Eastern",
  "UTC",
];

describe("finding a time zone", () => {
  it("finds a zone by its city, in any case", () => {
    expect(findZones(ZONES, "Lisbon")[0]).toBe("Europe/Lisbon");
    expect(findZones(ZONES, "new york")[0]).toBe("America/New_York");
    expect(findZones(ZONES, "tok")).toEqual(["Asia/Tokyo"]);
  });

  it("finds a city typed without its accents or underscores", () => {
    expect(findZones(ZONES, "sao paulo")).toEqual(["America/Sao_Paulo"]);
    expect(findZones(ZONES, "São Paulo")).toEqual(["America/Sao_Paulo"]);
    expect(findZones(ZONES, "buenos")[0]).toBe("America/Argentina/Buenos_Aires");
  });

  it("finds a zone by its country, the current name before an old alias", () => {
    // A country named exactly as typed comes before a city that merely starts so.
    expect(findZones(ZONES, "India")).toEqual(["Asia/Kolkata", "Asia/Calcutta", "America/Indiana/Indianapolis"]);
    const portugal = findZones(ZONES, "portugal");
    expect(new Set(portugal)).toEqual(new Set(["Europe/Lisbon", "Atlantic/Azores", "Atlantic/Madeira"]));
    expect(findZones(ZONES, "united states")).toEqual(["America/Indiana/Indianapolis", "America/New_York", "US/Eastern"]);
  });

  it("ranks a city starting with the query above a country starting with it", () => {
    expect(findZones(ZONES, "ind")).toEqual(["America/Indiana/Indianapolis", "Asia/Kolkata", "Asia/Calcutta"]);
  });

  it("offers every zone for an empty query and none for nonsense", () => {
    expect(findZones(ZONES, "  ")).toEqual(ZONES);
    expect(findZones(ZONES, "qwxz")).toEqual([]);
  });

  it("names the countries in each zone's label, and none for UTC", () => {
    expect(zoneLabel("Europe/Lisbon")).toBe("Europe/Lisbon (Portugal)");
    expect(zoneLabel("America/Sao_Paulo")).toBe("America/Sao Paulo (Brazil)");
    expect(zoneLabel("UTC")).toBe("UTC");
    expect(zoneCountries("Etc/GMT+5")).toEqual([]);
  });

  it("folds accents, case and separators", () => {
    expect(fold("Europe/Zürich")).toBe("europe zurich");
    expect(fold("  Ho_Chi_Minh ")).toBe("ho chi minh");
  });
});
