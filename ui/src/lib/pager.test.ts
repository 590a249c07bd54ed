import { describe, expect, it, vi } from "vitest";
import type { PageRequest, ThreadSummary } from "./bindings";

vi.mock("./api", () => ({ api: {}, attempt: async (f: () => Promise<unknown>) => f() }));
vi.mock("./toasts.svelte", () => ({ toasts: { error: vi.fn(), notice: vi.fn() } }));

const { Pager } = await import("./pager.svelte");
type Row = import("./pager.svelte").Row;

const row = (id: string): Row => ({ summary: { id } as ThreadSummary, snoozeEnded: false });

/** A list of `n` threads served in pages, with a log of the requests. */
function server(n: number) {
  let ids = Array.from({ length: n }, (_, i) => `t${i}`);
  const asked: PageRequest[] = [];
  const fetch = vi.fn(async (req: PageRequest) => {
    asked.push(req);
    const start = req.cursor === null ? 0 : Number(req.cursor);
    const items = ids.slice(start, start + req.limit).map(row);
    const end = start + items.length;
    return { items, next: end < ids.length ? String(end) : null };
  });
  return { fetch, asked, set: (next: string[]) => (ids = next) };
}

describe("Pager", () => {
  it("loads the first page, then the next ones by cursor", async () => {
    const s = server(120);
    const p = new Pager(s.fetch, 50);
    await p.refresh();
    expect(p.items).toHaveLength(50);
    expect(p.next).toBe("50");
    await p.loadMore();
    await p.loadMore();
    expect(p.items).toHaveLength(120);
    expect(p.next).toBeNull();
    expect(s.asked.map((r) => r.cursor)).toEqual([null, "50", "100"]);
  });

  it("refreshes as many items as are shown, in one request when it can", async () => {
    const s = server(300);
    const p = new Pager(s.fetch, 50);
    await p.refresh();
    await p.loadMore();
    s.set(["new", ...Array.from({ length: 300 }, (_, i) => `t${i}`)]);
    s.asked.length = 0;
    await p.refresh();
    expect(s.asked).toEqual([{ cursor: null, limit: 100 }]);
    expect(p.ids.slice(0, 2)).toEqual(["new", "t0"]);
    expect(p.items).toHaveLength(100);
  });

  it("collapses a burst of refreshes into at most one more", async () => {
    const s = server(10);
    const p = new Pager(s.fetch, 50);
    await Promise.all([p.refresh(), p.refresh(), p.refresh(), p.refresh()]);
    expect(s.fetch).toHaveBeenCalledTimes(2);
  });

  it("drops a page that arrives after a refresh started", async () => {
    const s = server(100);
    const p = new Pager(s.fetch, 50);
    await p.refresh();
    s.set(["only"]);
    const more = p.loadMore();
    const fresh = p.refresh();
    await Promise.all([more, fresh]);
    expect(p.ids).toEqual(["only"]);
    expect(p.next).toBeNull();
  });

  it("does not fetch more when the list has ended", async () => {
    const s = server(3);
    const p = new Pager(s.fetch, 50);
    await p.refresh();
    await p.loadMore();
    expect(s.fetch).toHaveBeenCalledTimes(1);
    expect(p.has("t2")).toBe(true);
    expect(p.has("t3")).toBe(false);
  });
});
