// The time zone this computer is set to, matched against the core's list.

/** The system's IANA zone as the browser engine reports it ("UTC" when it
 *  cannot tell). */
export function detectTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

const UTC_ALIASES = new Set(["UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/GMT", "GMT", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu"]);

/** The zone to preselect: the detected one when the core knows it, UTC for
 *  its aliases, else UTC (or the first zone offered). */
export function preselectZone(zones: readonly string[], detected: string): string {
  if (zones.includes(detected)) return detected;
  if (UTC_ALIASES.has(detected)) {
    const utc = zones.find((z) => UTC_ALIASES.has(z));
    if (utc) return utc;
  }
  return zones.includes("UTC") ? "UTC" : (zones[0] ?? "UTC");
}
