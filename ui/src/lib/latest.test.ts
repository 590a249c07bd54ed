import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { coalesce, debounce, Latest } from "./latest";

describe("Latest", () => {
  it("lets only the newest request through, whatever order answers come in", async () => {
    const latest = new Latest();
    const shown: string[] = [];
    const ask = (text: string, ms: number) => {
      const current = latest.begin();
      return new Promise<void>((done) =>
        setTimeout(() => {
          if (current()) shown.push(text);
          done();
        }, ms),
      );
    };
    await Promise.all([ask("a", 30), ask("ab", 5), ask("abc", 15)]);
    expect(shown).toEqual(["abc"]);
  });

  it("drops everything in flight on cancel", () => {
    const latest = new Latest();
    const current = latest.begin();
    latest.cancel();
    expect(current()).toBe(false);
  });
});

describe("debounce", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("calls once with the last arguments after a quiet period", () => {
    const f = vi.fn();
    const d = debounce(f, 120);
    d("a");
    vi.advanceTimersByTime(100);
    d("ab");
    vi.advanceTimersByTime(100);
    expect(f).not.toHaveBeenCalled();
    vi.advanceTimersByTime(20);
    expect(f).toHaveBeenCalledTimes(1);
    expect(f).toHaveBeenCalledWith("ab");
  });

  it("can be cancelled", () => {
    const f = vi.fn();
    const d = debounce(f, 50);
    d();
    d.cancel();
    vi.advanceTimersByTime(100);
    expect(f).not.toHaveBeenCalled();
  });
});

describe("coalesce", () => {
  it("runs once more after a burst of calls, never concurrently", async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const job = coalesce(async () => {
      active++;
      most = Math.max(most, active);
      runs++;
      await new Promise((r) => setTimeout(r, 5));
      active--;
    });
    const all = [job(), job(), job(), job()];
    await Promise.all(all);
    expect(runs).toBe(2);
    expect(most).toBe(1);
    await job();
    expect(runs).toBe(3);
  });

  it("recovers after a failing run", async () => {
    let fail = true;
    const job = coalesce(async () => {
      if (fail) throw new Error("x");
    });
    await expect(job()).rejects.toThrow("x");
    fail = false;
    await expect(job()).resolves.toBeUndefined();
  });
});
