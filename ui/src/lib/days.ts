// Weekday sets as check-ins store them: bit 0 = Monday … bit 6 = Sunday.

export const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** Monday to Friday. */
export const WEEKDAYS = 0b0011111;

/** Whether day `i` (0 = Monday) is in the set. */
export function hasDay(days: number, i: number): boolean {
  return (days & (1 << i)) !== 0;
}

/** The set with day `i` switched on or off. */
export function withDay(days: number, i: number, on: boolean): number {
  return on ? days | (1 << i) : days & ~(1 << i);
}
