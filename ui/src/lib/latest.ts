// Only the newest of overlapping requests may update the screen (search as
// you type, previews): older answers that arrive late are dropped.

export class Latest {
  private seq = 0;

  /** Starts a request; the returned function says whether it is still the
   *  newest when its answer arrives. */
  begin(): () => boolean {
    const mine = ++this.seq;
    return () => mine === this.seq;
  }

  /** Makes every request in flight stale. */
  cancel(): void {
    this.seq++;
  }
}

/** Calls `f` once `ms` have passed without another call; `cancel` drops a
 *  pending call. */
export function debounce<A extends unknown[]>(f: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const call = (...args: A) => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      f(...args);
    }, ms);
  };
  call.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return call;
}

/** Wraps an async job so overlapping calls collapse: a call while it runs
 *  schedules exactly one more run after it (never two at once, never a
 *  lost update). The returned promise settles when the data is current. */
export function coalesce(job: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await job();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
