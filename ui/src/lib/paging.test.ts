import { describe, expect, it } from "vitest";
import { appendUnique, MAX_PAGE, prependUnique, refreshLimit, replaceItem } from "./paging";

const key = (t: { id: string }) => t.id;

describe("appendUnique", () => {
  it("appends a page, dropping items already listed", () => {
    const have = [{ id: "a" }, { id: "b" }];
    const out = appendUnique(have, [{ id: "b" }, { id: "c" }, { id: "c" }], key);
    expect(out.map(key)).toEqual(["a", "b", "c"]);
    expect(have.map(key)).toEqual(["a", "b"]);
  });
});

describe("prependUnique", () => {
  it("puts an earlier page first, dropping items already listed", () => {
    const have = [{ id: "c" }, { id: "d" }];
    const out = prependUnique(have, [{ id: "a" }, { id: "b" }, { id: "b" }, { id: "c" }], key);
    expect(out.map(key)).toEqual(["a", "b", "c", "d"]);
    expect(have.map(key)).toEqual(["c", "d"]);
  });
});

describe("refreshLimit", () => {
  it("asks for what is missing, within a page and the core's maximum", () => {
    expect(refreshLimit(0, 30, 50)).toBe(50);
    expect(refreshLimit(0, 120, 50)).toBe(120);
    expect(refreshLimit(0, 1000, 50)).toBe(MAX_PAGE);
    expect(refreshLimit(900, 1000, 50)).toBe(100);
  });
});

describe("replaceItem", () => {
  it("replaces the item with the same key, in place", () => {
    const items = [{ id: "a", n: 1 }, { id: "b", n: 1 }];
    const out = replaceItem(items, "b", { id: "b", n: 2 }, key);
    expect(out).toEqual([{ id: "a", n: 1 }, { id: "b", n: 2 }]);
    expect(items[1]!.n).toBe(1);
  });

  it("returns the same array when the key is not listed", () => {
    const items = [{ id: "a" }];
    expect(replaceItem(items, "z", { id: "z" }, key)).toBe(items);
  });
});
