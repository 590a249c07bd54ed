// What Settings says about a notification pause. The core gives the end of
// a pause as a UTC instant; it is shown in my time zone.

/** "Tue 6 Jan, 09:00" in `timeZone` (UTC when the zone is unknown). */
export function formatInstant(utc: string, timeZone: string): string {
  const at = new Date(utc);
  if (Number.isNaN(at.getTime())) return utc;
  const opts: Intl.DateTimeFormatOptions = {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  };
  try {
    return new Intl.DateTimeFormat("en-GB", { ...opts, timeZone }).format(at);
  } catch {
    return new Intl.DateTimeFormat("en-GB", { ...opts, timeZone: "UTC" }).format(at);
  }
}

/** "On", or "Paused until …". `now` (ms) hides a pause that has run out;
 *  pass null when the app's clock is not the computer's (test clock). */
export function pauseText(pauseUntil: string | null, timeZone: string, now: number | null): string {
  if (pauseUntil === null) return "On";
  const end = Date.parse(pauseUntil);
  if (now !== null && !Number.isNaN(end) && end <= now) return "On";
  return `Paused until ${formatInstant(pauseUntil, timeZone)}`;
}
