import { describe, expect, it } from "vitest";
import { rowStep } from "./rowkeys";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe("rowStep", () => {
  it("moves down with j or ArrowDown, up with k or ArrowUp, and ignores chords", () => {
    expect(rowStep(key("j"))).toBe(1);
    expect(rowStep(key("ArrowDown"))).toBe(1);
    expect(rowStep(key("k"))).toBe(-1);
    expect(rowStep(key("ArrowUp"))).toBe(-1);
    expect(rowStep(key("x"))).toBe(0);
    expect(rowStep(key("j", { ctrlKey: true }))).toBe(0);
  });
});
