// Reply-by and away, as the Waiting view, the thread badges and Settings
// word them. The core gives instants in UTC and decides what is overdue
// (with its clock, which may be a test clock); these only format and order.
import type { Away, WaitingItem } from "./bindings";

const DAY_MS = 24 * 60 * 60 * 1000;

function format(at: Date, timeZone: string, opts: Intl.DateTimeFormatOptions): string {
  try {
    return new Intl.DateTimeFormat("en-GB", { ...opts, timeZone }).format(at);
  } catch {
    return new Intl.DateTimeFormat("en-GB", { ...opts, timeZone: "UTC" }).format(at);
  }
}

/** "Tue 15 Dec" in `timeZone`, built from parts: engines disagree on the
 *  comma after the weekday ("Tue, 15 Dec" in WebKit). */
function dayLabel(at: Date, timeZone: string): string {
  const part = (opts: Intl.DateTimeFormatOptions) => format(at, timeZone, opts);
  return `${part({ weekday: "short" })} ${part({ day: "numeric" })} ${part({ month: "short" })}`;
}

/** "Tue 17:00" in `timeZone` when the instant is within six days of
 *  `now` (ms), else "Tue 22 Dec 17:00". Without `now` (the app runs on a
 *  test clock, not the computer's) the date is always shown. */
export function dueLabel(utc: string, timeZone: string, now: number | null): string {
  const at = new Date(utc);
  if (Number.isNaN(at.getTime())) return utc;
  const near = now !== null && Math.abs(at.getTime() - now) < 6 * DAY_MS;
  const time = format(at, timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return `${near ? format(at, timeZone, { weekday: "short" }) : dayLabel(at, timeZone)} ${time}`;
}

/** A thread row's badge: "Overdue", or "Reply by Tue 17:00". */
export function replyByText(item: Pick<WaitingItem, "due" | "overdue">, timeZone: string, now: number | null): string {
  return item.overdue ? "Overdue" : `Reply by ${dueLabel(item.due.utc, timeZone, now)}`;
}

/** The most pressing ask on me in each thread (overdue, else soonest). */
export function byThread(items: readonly WaitingItem[]): Map<string, WaitingItem> {
  const out = new Map<string, WaitingItem>();
  for (const item of sortWaiting(items)) if (!out.has(item.thread)) out.set(item.thread, item);
  return out;
}

/** Overdue first, then the soonest deadline (the core's order for my asks
 *  of others; applied to both lists so they read alike). */
export function sortWaiting(items: readonly WaitingItem[]): WaitingItem[] {
  return [...items].sort((a, b) => Number(b.overdue) - Number(a.overdue) || Date.parse(a.due.utc) - Date.parse(b.due.utc));
}

/** The sidebar's count of asks on me ("" for none) and whether any is
 *  overdue. */
export function waitingCount(items: readonly WaitingItem[]): { text: string; overdue: boolean } {
  return { text: items.length > 0 ? String(items.length) : "", overdue: items.some((i) => i.overdue) };
}

/** The next deadline not yet passed (ms), to refresh when it comes. */
export function nextDeadline(items: readonly WaitingItem[]): number | null {
  let next: number | null = null;
  for (const i of items) {
    const at = Date.parse(i.due.utc);
    if (!i.overdue && !Number.isNaN(at) && (next === null || at < next)) next = at;
  }
  return next;
}

/** "Mon 14 Dec" in `timeZone`: the day I am back. */
export function backOnLabel(until: string, timeZone: string): string {
  const at = new Date(until);
  if (Number.isNaN(at.getTime())) return until;
  return dayLabel(at, timeZone);
}

/** What Settings says about my away: "Away until you are back on Mon 14
 *  Dec — At a conference", or that I am not away. */
export function awayText(away: Away | null, timeZone: string): string {
  if (away === null) return "You are not away.";
  const note = away.note.trim();
  return `Away until you are back on ${backOnLabel(away.until, timeZone)}${note ? ` — ${note}` : ""}`;
}

/** Today's date ("2026-12-07") in `timeZone` at `now` (ms). */
export function localDate(now: number, timeZone: string): string {
  const opts: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit" };
  // en-CA writes dates as YYYY-MM-DD.
  try {
    return new Intl.DateTimeFormat("en-CA", { ...opts, timeZone }).format(new Date(now));
  } catch {
    return new Intl.DateTimeFormat("en-CA", { ...opts, timeZone: "UTC" }).format(new Date(now));
  }
}

/** Why a "back on" date cannot be used, or null: it must come after
 *  today, as the core requires. `today` is my local
 *  date, or null when the app's clock is not the computer's (the core
 *  still checks). */
export function backOnError(date: string, today: string | null): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return "Pick the day you are back.";
  if (today !== null && date <= today) return "Pick a day after today: the day you are back at work.";
  return null;
}
