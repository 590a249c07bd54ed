// Keyboard selection in a list of ids (threads, search results).

/** The id `delta` steps from `current`; the first id when nothing is
 *  selected yet (or the selection vanished). At the ends it stops, or
 *  with `wrap` (the whole list is loaded) goes round to the other end. */
export function moveSelection(
  ids: readonly string[],
  current: string | null,
  delta: number,
  wrap = false,
): string | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at < 0) return ids[0] ?? null;
  const n = ids.length;
  const to = wrap ? (((at + delta) % n) + n) % n : Math.min(n - 1, Math.max(0, at + delta));
  return ids[to] ?? null;
}

/** After the list changed (a refresh), what stays selected: the same id if
 *  it is still there, else the item now at its old place (the next one),
 *  else the last; null for an empty list or when nothing was selected. */
export function keepSelection(
  before: readonly string[],
  after: readonly string[],
  selected: string | null,
): string | null {
  if (selected === null || after.length === 0) return null;
  if (after.includes(selected)) return selected;
  const was = before.indexOf(selected);
  if (was < 0) return null;
  // The first item after the old position that survived keeps the place.
  for (let i = was + 1; i < before.length; i++) {
    const id = before[i];
    if (id !== undefined && after.includes(id)) return id;
  }
  return after[Math.min(was, after.length - 1)] ?? null;
}

/** Whether the selection is close enough to the end of what is loaded to
 *  fetch the next page. */
export function nearEnd(ids: readonly string[], selected: string | null, margin = 5): boolean {
  if (selected === null) return false;
  const at = ids.indexOf(selected);
  return at >= 0 && at >= ids.length - 1 - margin;
}

/** The id after `id` (or before it when it is the last); null if none. */
export function neighbour(ids: readonly string[], id: string): string | null {
  const at = ids.indexOf(id);
  if (at < 0) return null;
  return ids[at + 1] ?? ids[at - 1] ?? null;
}
