import { describe, expect, it } from "vitest";
import { loadZoom, nextZoom, parseZoom, saveZoom, ZOOM_KEY, ZOOM_STEPS, zoomKey } from "./zoom";

function memory(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
    key: () => null,
    get length() {
      return m.size;
    },
  };
}

const press = (key: string, mods: { ctrlKey?: boolean; metaKey?: boolean; altKey?: boolean } = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe("zoom", () => {
  it("is Ctrl/Cmd with + or =, - or _, and 0", () => {
    expect(zoomKey(press("=", { ctrlKey: true }))).toBe("zoom-in");
    expect(zoomKey(press("+", { metaKey: true }))).toBe("zoom-in");
    expect(zoomKey(press("-", { ctrlKey: true }))).toBe("zoom-out");
    expect(zoomKey(press("_", { ctrlKey: true }))).toBe("zoom-out");
    expect(zoomKey(press("0", { ctrlKey: true }))).toBe("zoom-reset");
    // Without the modifier, or with Alt, these are plain keys.
    expect(zoomKey(press("-"))).toBeNull();
    expect(zoomKey(press("0"))).toBeNull();
    expect(zoomKey(press("=", { ctrlKey: true, altKey: true }))).toBeNull();
    expect(zoomKey(press("k", { ctrlKey: true }))).toBeNull();
  });

  it("steps up and down through the browser-like levels, and resets to 100%", () => {
    expect(nextZoom(1, "zoom-in")).toBe(1.1);
    expect(nextZoom(1.1, "zoom-in")).toBe(1.25);
    expect(nextZoom(1, "zoom-out")).toBe(0.9);
    expect(nextZoom(2.5, "zoom-reset")).toBe(1);
  });

  it("stops at the ends", () => {
    expect(nextZoom(ZOOM_STEPS[ZOOM_STEPS.length - 1], "zoom-in")).toBe(3);
    expect(nextZoom(ZOOM_STEPS[0], "zoom-out")).toBe(0.5);
  });

  it("moves from a level between steps to the nearest step that way", () => {
    expect(nextZoom(1.2, "zoom-in")).toBe(1.25);
    expect(nextZoom(1.2, "zoom-out")).toBe(1.1);
  });

  it("remembers a level, and forgets it at 100%", () => {
    const s = memory();
    saveZoom(s, 1.25);
    expect(s.getItem(ZOOM_KEY)).toBe("1.25");
    expect(loadZoom(s)).toBe(1.25);
    saveZoom(s, 1);
    expect(s.getItem(ZOOM_KEY)).toBeNull();
    expect(loadZoom(s)).toBe(1);
  });

  it("ignores junk in storage", () => {
    expect(parseZoom("7")).toBe(1);
    expect(parseZoom("abc")).toBe(1);
    expect(parseZoom(null)).toBe(1);
    expect(loadZoom(null)).toBe(1);
  });
});
