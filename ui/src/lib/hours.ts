// Working-hours form helpers: the core stores minutes after midnight and a
// weekday bit mask (bit 0 = Monday … bit 6 = Sunday); forms show "HH:MM"
// and one toggle per day.

export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** 09:00–17:00, Monday to Friday (the core's default). */
export const DEFAULT_HOURS = { start_min: 9 * 60, end_min: 17 * 60, days: 0b0011111 };

/** 540 → "09:00". */
export function minutesToTime(min: number): string {
  const m = ((Math.trunc(min) % 1440) + 1440) % 1440;
  const h = Math.floor(m / 60);
  return `${String(h).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/** "09:00" (or "9:00", or "09:00:00" from some time inputs) → 540; null
 *  when it is not a time of day. */
export function timeToMinutes(text: string): number | null {
  const m = /^\s*(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}

/** Whether weekday `i` (0 = Monday) is in the mask. */
export function hasDay(days: number, i: number): boolean {
  return (days & (1 << i)) !== 0;
}

/** The mask with weekday `i` switched on or off. */
export function withDay(days: number, i: number, on: boolean): number {
  return on ? days | (1 << i) : days & ~(1 << i) & 0x7f;
}
