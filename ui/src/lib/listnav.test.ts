import { describe, expect, it } from "vitest";
import { keepSelection, moveSelection, nearEnd, neighbour } from "./listnav";

const ids = ["a", "b", "c", "d"];

describe("moveSelection", () => {
  it("starts at the first item", () => {
    expect(moveSelection(ids, null, 1)).toBe("a");
    expect(moveSelection(ids, null, -1)).toBe("a");
    expect(moveSelection(ids, "gone", 1)).toBe("a");
  });

  it("moves down and up by one", () => {
    expect(moveSelection(ids, "a", 1)).toBe("b");
    expect(moveSelection(ids, "c", -1)).toBe("b");
  });

  it("stops at the ends instead of wrapping", () => {
    expect(moveSelection(ids, "d", 1)).toBe("d");
    expect(moveSelection(ids, "a", -1)).toBe("a");
    expect(moveSelection(ids, "b", 10)).toBe("d");
  });

  it("goes round at the ends when the whole list is loaded", () => {
    expect(moveSelection(ids, "d", 1, true)).toBe("a");
    expect(moveSelection(ids, "a", -1, true)).toBe("d");
    expect(moveSelection(ids, "b", 1, true)).toBe("c");
    expect(moveSelection(["x"], "x", 1, true)).toBe("x");
  });

  it("selects nothing in an empty list", () => {
    expect(moveSelection([], null, 1)).toBeNull();
  });
});

describe("keepSelection", () => {
  it("keeps an id that is still listed, wherever it moved", () => {
    expect(keepSelection(ids, ["c", "a", "b"], "a")).toBe("a");
  });

  it("moves to the next survivor when the selected item left", () => {
    expect(keepSelection(ids, ["a", "c", "d"], "b")).toBe("c");
    expect(keepSelection(ids, ["a", "d"], "b")).toBe("d");
  });

  it("moves to the new last item when the old last left", () => {
    expect(keepSelection(ids, ["a", "b", "c"], "d")).toBe("c");
  });

  it("selects nothing when nothing was selected or nothing is left", () => {
    expect(keepSelection(ids, ids, null)).toBeNull();
    expect(keepSelection(ids, [], "a")).toBeNull();
  });
});

describe("nearEnd and neighbour", () => {
  it("says when the selection nears the end of the loaded items", () => {
    const many = Array.from({ length: 20 }, (_, i) => `t${i}`);
    expect(nearEnd(many, "t3")).toBe(false);
    expect(nearEnd(many, "t14")).toBe(true);
    expect(nearEnd(many, "t19")).toBe(true);
    expect(nearEnd(many, null)).toBe(false);
  });

  it("finds the item to go to after one goes away", () => {
    expect(neighbour(ids, "b")).toBe("c");
    expect(neighbour(ids, "d")).toBe("c");
    expect(neighbour(["a"], "a")).toBeNull();
    expect(neighbour(ids, "x")).toBeNull();
  });
});
