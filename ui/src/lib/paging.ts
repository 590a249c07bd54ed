// Cursor paging helpers shared by the lists and the thread view.

/** Most items the core returns per page. */
export const MAX_PAGE = 200;

/** `next` items appended to `have`, without repeating ids (an item can
 *  move between pages while paging, when activity reorders the list). */
export function appendUnique<T>(have: readonly T[], next: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set(have.map(key));
  const out = have.slice();
  for (const item of next) {
    const k = key(item);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(item);
    }
  }
  return out;
}

/** `earlier` items put before `have`, without repeating ids (a page read
 *  backwards can overlap what is shown when comments came and went). */
export function prependUnique<T>(have: readonly T[], earlier: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set(have.map(key));
  const out: T[] = [];
  for (const item of earlier) {
    const k = key(item);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(item);
    }
  }
  return out.concat(have);
}

/** The page size for the next request of a refresh that must cover `want`
 *  items and has `have`: at least a normal page, at most the core's
 *  maximum. */
export function refreshLimit(have: number, want: number, pageSize: number): number {
  return Math.min(MAX_PAGE, Math.max(pageSize, want - have));
}

/** `items` with the one whose key is `k` replaced by `fresh` (same array
 *  when it is absent). */
export function replaceItem<T>(items: readonly T[], k: string, fresh: T, key: (t: T) => string): readonly T[] {
  const at = items.findIndex((t) => key(t) === k);
  if (at < 0) return items;
  const out = items.slice();
  out[at] = fresh;
  return out;
}
