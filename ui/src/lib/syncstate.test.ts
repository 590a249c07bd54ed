import { describe, expect, it } from "vitest";
import type { SyncStatus, TargetState } from "./bindings";
import { catchUp, fromFutureText, overallState, stateText } from "./syncstate";

const target = (id: number, state: TargetState) => ({
  id,
  label: `nats://h${id}:4222`,
  state,
  last_error: null,
  outbox: 0,
  problems: [],
});
const status = (...states: TargetState[]): SyncStatus => ({ targets: states.map((s, i) => target(i, s)), from_future: 0 });

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

describe("changes from the future", () => {
  it("says nothing when none are held", () => {
    expect(fromFutureText(0)).toBeNull();
  });

  it("counts what waits for this clock, singular and plural", () => {
    expect(fromFutureText(1)).toBe(
      "Waiting: 1 change from the future — a teammate's clock is ahead of yours; it applies when your clock reaches its time.",
    );
    expect(fromFutureText(3)).toContain("Waiting: 3 changes from the future");
    expect(fromFutureText(3)).toContain("they apply when your clock reaches their time");
  });
});
