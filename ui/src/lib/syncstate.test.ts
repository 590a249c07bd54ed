import { describe, expect, it } from "vitest";
import type { SyncStatus, TargetState } from "./bindings";
import { catchUp, overallState, stateText } from "./syncstate";

const target = (id: number, state: TargetState) => ({
  id,
  label: `nats://h${id}:4222`,
  state,
  last_error: null,
  outbox: 0,
  problems: [],
});
const status = (...states: TargetState[]): SyncStatus => ({ targets: states.map((s, i) => target(i, s)) });

describe("overallState", () => {
  it("is none without targets", () => {
    expect(overallState(status())).toBe("none");
  });

  it("prefers catching up, then live, then connecting, then offline", () => {
    expect(overallState(status({ state: "offline" }, { state: "catching_up", done: 1, total: 9 }, { state: "live" }))).toBe(
      "catching_up",
    );
    expect(overallState(status({ state: "offline" }, { state: "live" }))).toBe("live");
    expect(overallState(status({ state: "offline" }, { state: "connecting" }))).toBe("connecting");
    expect(overallState(status({ state: "offline" }))).toBe("offline");
  });
});

describe("catchUp", () => {
  it("adds up the targets that are catching up", () => {
    expect(
      catchUp(status({ state: "catching_up", done: 5, total: 10 }, { state: "live" }, { state: "catching_up", done: 1, total: 2 })),
    ).toEqual({ done: 6, total: 12 });
  });

  it("is null when nothing catches up", () => {
    expect(catchUp(status({ state: "live" }))).toBeNull();
  });
});

describe("stateText", () => {
  it("says how far catching up got", () => {
    expect(stateText({ state: "catching_up", done: 3, total: 7 })).toBe("Catching up 3 of 7");
    expect(stateText({ state: "catching_up", done: 0, total: 0 })).toBe("Catching up…");
    expect(stateText({ state: "live" })).toBe("Live");
  });
});
