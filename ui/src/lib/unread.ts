// Which comments of a thread were unread when it was opened. Opening a
// thread marks it read, so pages loaded afterwards (earlier or later than
// the first window) come back read; the thread pane still marks the ones
// that were new when the reader arrived.

/** The ids in `run` (consecutive comments of one thread, oldest first) that
 *  were unread when the thread opened: every comment from `firstUnread` on,
 *  except my own (mine are never unread). `startsAfter` says the run begins
 *  after the first unread comment, which then is not in it. */
export function unreadAtOpen(
  run: readonly { id: string; mine: boolean }[],
  firstUnread: string | null,
  startsAfter: boolean,
): string[] {
  if (firstUnread === null) return [];
  let on = startsAfter;
  const out: string[] = [];
  for (const c of run) {
    if (c.id === firstUnread) on = true;
    if (on && !c.mine) out.push(c.id);
  }
  return out;
}
