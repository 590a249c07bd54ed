// A paged list of threads (inbox, done, a channel): first page, "load
// more" by cursor, refresh in place when the store says it changed.
import type { Page, PageRequest, ThreadSummary } from "./bindings";
import { api } from "./api";
import { coalesce } from "./latest";
import { appendUnique, refreshLimit, replaceItem } from "./paging";
import { toasts } from "./toasts.svelte";

/** One row of a thread list. */
export type Row = { summary: ThreadSummary; snoozeEnded: boolean };

export type Fetch = (req: PageRequest) => Promise<Page<Row>>;

const key = (r: Row) => r.summary.id;

export class Pager {
  items = $state.raw<Row[]>([]);
  next = $state.raw<string | null>(null);
  loading = $state(false);
  ready = $state(false);
  failed = $state(false);
  ids: string[] = $derived(this.items.map(key));

  private readonly fetch: Fetch;
  private readonly pageSize: number;
  /** Bumped by refreshes: answers to older requests are dropped. */
  private gen = 0;
  readonly refresh: () => Promise<void>;

  constructor(fetch: Fetch, pageSize = 50) {
    this.fetch = fetch;
    this.pageSize = pageSize;
    this.refresh = coalesce(() => this.reload());
  }

  has(id: string): boolean {
    return this.items.some((r) => r.summary.id === id);
  }

  /** Fetches the next page (when there is one and nothing else runs). */
  async loadMore(): Promise<void> {
    const cursor = this.next;
    if (this.loading || cursor === null || !this.ready) return;
    const gen = this.gen;
    this.loading = true;
    try {
      const page = await this.fetch({ cursor, limit: this.pageSize });
      if (gen !== this.gen) return;
      this.items = appendUnique(this.items, page.items, key);
      this.next = page.next;
    } catch (e) {
      toasts.error(e);
    } finally {
      this.loading = false;
    }
  }

  /** Updates one row from the core (a read, a mute, a new comment) without
   *  reloading the list. */
  async patch(id: string): Promise<void> {
    const gen = this.gen;
    try {
      const view = await api.getThread(id, { cursor: null, limit: 1 });
      const row = this.items.find((r) => r.summary.id === id);
      if (gen !== this.gen || !row) return;
      this.items = replaceItem(this.items, id, { ...row, summary: view.summary }, key) as Row[];
    } catch (e) {
      // A thread that vanished (deleted channel, rebuilt store) is dropped
      // by the next refresh; anything else is worth saying.
      if ((e as { code?: string }).code !== "not_found") toasts.error(e);
    }
  }

  /** Reloads as many items as are shown now (at least one page). */
  private async reload(): Promise<void> {
    const gen = ++this.gen;
    const want = Math.max(this.items.length, this.pageSize);
    let items: Row[] = [];
    let cursor: string | null = null;
    try {
      do {
        const page: Page<Row> = await this.fetch({ cursor, limit: refreshLimit(items.length, want, this.pageSize) });
        if (gen !== this.gen) return;
        items = appendUnique(items, page.items, key);
        cursor = page.next;
      } while (cursor !== null && items.length < want);
      this.items = items;
      this.next = cursor;
      this.failed = false;
    } catch (e) {
      this.failed = !this.ready;
      toasts.error(e);
    } finally {
      this.ready = true;
    }
  }
}

/** The fetcher for a list route. */
export function fetcherFor(route: { kind: "inbox" } | { kind: "done" } | { kind: "channel"; id: string }): Fetch {
  switch (route.kind) {
    case "inbox":
      return async (req) => {
        const p = await api.inbox(req);
        return { items: p.items.map((i) => ({ summary: i.thread, snoozeEnded: i.snooze_ended })), next: p.next };
      };
    case "done":
      return async (req) => {
        const p = await api.doneList(req);
        return { items: p.items.map((s) => ({ summary: s, snoozeEnded: false })), next: p.next };
      };
    case "channel": {
      const id = route.id;
      return async (req) => {
        const p = await api.channelThreads(id, req);
        return { items: p.items.map((s) => ({ summary: s, snoozeEnded: false })), next: p.next };
      };
    }
  }
}
