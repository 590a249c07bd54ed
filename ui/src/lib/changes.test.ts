import { describe, expect, it, vi } from "vitest";
import type { Change } from "./bindings";
import { everything, names, namesChannel, onChanges, publishChanges, threadsNamed } from "./changes";

const batch: Change[] = [
  { kind: "channel_threads", id: "C1" },
  { kind: "thread", id: "T1" },
  { kind: "thread", id: "T2" },
  { kind: "inbox" },
];

describe("change matching", () => {
  it("finds the kinds a batch names", () => {
    expect(names(batch, "inbox")).toBe(true);
    expect(names(batch, "channels")).toBe(false);
    expect(names([{ kind: "all" }], "channels")).toBe(true);
    expect(everything(batch)).toBe(false);
  });

  it("matches one channel's thread list only", () => {
    expect(namesChannel(batch, "C1")).toBe(true);
    expect(namesChannel(batch, "C2")).toBe(false);
    expect(namesChannel([{ kind: "all" }], "C2")).toBe(true);
  });

  it("collects the named threads", () => {
    expect([...threadsNamed(batch)].sort()).toEqual(["T1", "T2"]);
    expect(threadsNamed([{ kind: "members" }]).size).toBe(0);
  });
});

describe("publishChanges", () => {
  it("reaches every listener until it unsubscribes, despite a failing one", () => {
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const a = vi.fn();
    const bad = vi.fn(() => {
      throw new Error("boom");
    });
    const offA = onChanges(a);
    const offBad = onChanges(bad);
    publishChanges(batch);
    expect(a).toHaveBeenCalledWith(batch);
    offA();
    publishChanges(batch);
    expect(a).toHaveBeenCalledTimes(1);
    expect(bad).toHaveBeenCalledTimes(2);
    offBad();
    quiet.mockRestore();
  });
});
