// A windowed list of fixed-height rows: only the rows in view (and a few
// either side) are in the page, so a list of 10,000 threads scrolls, moves
// its selection and updates as lightly as one of 20.

export interface Window {
  /** First row in the page. */
  start: number;
  /** One past the last row in the page. */
  end: number;
}

/** The rows to put in the page for a scroll position. */
export function windowRange(scrollTop: number, viewHeight: number, total: number, row: number, overscan: number): Window {
  if (total <= 0 || row <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / row);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewHeight)) / row);
  const start = Math.min(total, Math.max(0, first - overscan));
  const end = Math.min(total, Math.max(start, last + overscan));
  return { start, end };
}

/** The scroll position that shows row `index` whole, moving as little as
 *  possible (the same position when it is already in view). */
export function scrollToShow(index: number, scrollTop: number, viewHeight: number, row: number): number {
  const top = index * row;
  const bottom = top + row;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewHeight) return Math.max(0, bottom - viewHeight);
  return scrollTop;
}
