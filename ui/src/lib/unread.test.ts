import { describe, expect, it } from "vitest";
import { unreadAtOpen } from "./unread";

const c = (id: string, mine = false) => ({ id, mine });

describe("unreadAtOpen", () => {
  const run = [c("a"), c("b"), c("m", true), c("d")];

  it("counts from the first unread comment on, without mine", () => {
    expect(unreadAtOpen(run, "b", false)).toEqual(["b", "d"]);
  });

  it("counts the whole run when it starts after the first unread", () => {
    expect(unreadAtOpen(run, "x", true)).toEqual(["a", "b", "d"]);
  });

  it("counts nothing when the first unread comes later or there is none", () => {
    expect(unreadAtOpen(run, "x", false)).toEqual([]);
    expect(unreadAtOpen(run, null, true)).toEqual([]);
  });
});
