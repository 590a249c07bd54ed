// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { focusables, nextFocus, trapFocus } from "./focus";

function dialog() {
  const outside = document.createElement("button");
  outside.textContent = "outside";
  const root = document.createElement("div");
  root.innerHTML = `
    <input id="a" type="text">
    <button id="b">ok</button>
    <button id="off" disabled>off</button>
    <div hidden><button id="hid">hidden</button></div>
    <textarea id="c"></textarea>`;
  document.body.append(outside, root);
  return { root, outside };
}

describe("focus trap", () => {
  it("lists what Tab can reach, skipping disabled and hidden controls", () => {
    const { root } = dialog();
    expect(focusables(root).map((e) => e.id)).toEqual(["a", "b", "c"]);
  });

  it("wraps Tab and Shift+Tab at the ends", () => {
    const { root } = dialog();
    const list = focusables(root);
    const [a, , c] = list;
    expect(nextFocus(list, c!, false)).toBe(a);
    expect(nextFocus(list, a!, true)).toBe(c);
    expect(nextFocus(list, null, false)).toBe(a);
    expect(nextFocus([], null, false)).toBeNull();
  });

  it("focuses the first control, keeps Tab inside, closes on Esc and restores focus", async () => {
    const { root, outside } = dialog();
    outside.focus();
    const onEscape = vi.fn();
    const trap = trapFocus(root, { onEscape });
    await Promise.resolve();
    expect(document.activeElement?.id).toBe("a");
    (root.querySelector("#c") as HTMLElement).focus();
    root.querySelector("#c")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab", bubbles: true, cancelable: true }));
    expect(document.activeElement?.id).toBe("a");
    const esc = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
    root.querySelector("#a")!.dispatchEvent(esc);
    expect(onEscape).toHaveBeenCalledOnce();
    trap.destroy();
    expect(document.activeElement).toBe(outside);
  });

  it("starts on the requested element", async () => {
    const { root } = dialog();
    trapFocus(root, { onEscape: () => {}, initial: "#c" });
    await Promise.resolve();
    expect(document.activeElement?.id).toBe("c");
  });
});
