import { describe, expect, it } from "vitest";
import { interpretKey, isSendKey, isTypingTarget, modLabel, type KeyPress } from "./keys";

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});
const idle = { gAt: null };

describe("interpretKey", () => {
  it("maps the single-key shortcuts", () => {
    const act = (k: string) => interpretKey(press(k), false, idle, 0).action;
    expect(act("j")).toBe("next");
    expect(act("k")).toBe("prev");
    expect(act("Enter")).toBe("open");
    expect(act("e")).toBe("done");
    expect(act("m")).toBe("mute");
    expect(act("r")).toBe("reply");
    expect(act("/")).toBe("search");
    expect(act("x")).toBeNull();
  });

  it("ignores letters while typing but not Esc or Ctrl/Cmd+K", () => {
    expect(interpretKey(press("j"), true, idle, 0).action).toBeNull();
    expect(interpretKey(press("/"), true, idle, 0).action).toBeNull();
    expect(interpretKey(press("Escape"), true, idle, 0).action).toBe("back");
    expect(interpretKey(press("k", { ctrlKey: true }), true, idle, 0).action).toBe("search");
    expect(interpretKey(press("K", { metaKey: true }), false, idle, 0).action).toBe("search");
  });

  it("leaves other modified keys to the system", () => {
    expect(interpretKey(press("e", { ctrlKey: true }), false, idle, 0).action).toBeNull();
    expect(interpretKey(press("j", { altKey: true }), false, idle, 0).action).toBeNull();
  });

  it("goes to the inbox with g then i", () => {
    const first = interpretKey(press("g"), false, idle, 1000);
    expect(first.action).toBeNull();
    expect(first.state.gAt).toBe(1000);
    const second = interpretKey(press("i"), false, first.state, 1500);
    expect(second.action).toBe("go-inbox");
    expect(second.state.gAt).toBeNull();
  });

  it("goes to the Waiting view with g then w", () => {
    expect(interpretKey(press("w"), false, { gAt: 1000 }, 1200).action).toBe("go-waiting");
    expect(interpretKey(press("l"), false, { gAt: 1000 }, 1200).action).toBe("go-scheduled");
    expect(interpretKey(press("w"), false, idle, 0).action).toBeNull();
  });

  it("reminds with l, and goes to Later with g then r", () => {
    expect(interpretKey(press("l"), false, idle, 0).action).toBe("remind");
    expect(interpretKey(press("l"), true, idle, 0).action).toBeNull();
    expect(interpretKey(press("r"), false, { gAt: 1000 }, 1200).action).toBe("go-later");
    expect(interpretKey(press("r"), false, idle, 0).action).toBe("reply");
    expect(interpretKey(press("c"), false, { gAt: 1000 }, 1200).action).toBe("go-catch-up");
    expect(interpretKey(press("c"), false, idle, 0).action).toBe("compose");
    expect(interpretKey(press("k"), false, { gAt: 1000 }, 1200).action).toBe("go-checkins");
  });

  it("forgets g after a pause, and i alone does nothing", () => {
    const late = interpretKey(press("i"), false, { gAt: 1000 }, 1000 + 5000);
    expect(late.action).toBeNull();
    expect(interpretKey(press("i"), false, idle, 0).action).toBeNull();
  });

  it("cancels the g prefix with an unknown second key", () => {
    const r = interpretKey(press("j"), false, { gAt: 0 }, 10);
    expect(r.action).toBeNull();
    expect(r.state.gAt).toBeNull();
  });
});

describe("isSendKey", () => {
  it("is Ctrl+Enter or Cmd+Enter only", () => {
    expect(isSendKey(press("Enter", { ctrlKey: true }))).toBe(true);
    expect(isSendKey(press("Enter", { metaKey: true }))).toBe(true);
    expect(isSendKey(press("Enter"))).toBe(false);
    expect(isSendKey(press("s", { ctrlKey: true }))).toBe(false);
  });
});

describe("isTypingTarget", () => {
  const el = (tag: string, attrs: Record<string, string> = {}) =>
    ({ tagName: tag, getAttribute: (n: string) => attrs[n] ?? null }) as unknown as Element;

  it("knows text fields from other controls", () => {
    expect(isTypingTarget(el("TEXTAREA"))).toBe(true);
    expect(isTypingTarget(el("INPUT"))).toBe(true);
    expect(isTypingTarget(el("INPUT", { type: "search" }))).toBe(true);
    expect(isTypingTarget(el("SELECT"))).toBe(true);
    expect(isTypingTarget(el("INPUT", { type: "checkbox" }))).toBe(false);
    expect(isTypingTarget(el("BUTTON"))).toBe(false);
    expect(isTypingTarget(el("DIV", { contenteditable: "true" }))).toBe(true);
    expect(isTypingTarget(el("DIV"))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe("modLabel", () => {
  it("says Cmd on Apple systems and Ctrl elsewhere", () => {
    expect(modLabel("MacIntel")).toBe("⌘");
    expect(modLabel("Linux x86_64")).toBe("Ctrl");
    expect(modLabel("Win32")).toBe("Ctrl");
  });
});
