import { describe, expect, it } from "vitest";
import { loadTheme, parseTheme, resolveTheme, saveTheme, THEME_KEY } from "./theme";

function memory() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    m,
  };
}

describe("theme", () => {
  it("follows the system unless light or dark is chosen", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
  });

  it("treats unknown stored values as system", () => {
    expect(parseTheme("purple")).toBe("system");
    expect(parseTheme(null)).toBe("system");
    expect(parseTheme("dark")).toBe("dark");
  });

  it("round-trips through storage and forgets 'system'", () => {
    const s = memory();
    expect(loadTheme(s)).toBe("system");
    saveTheme(s, "dark");
    expect(s.m.get(THEME_KEY)).toBe("dark");
    expect(loadTheme(s)).toBe("dark");
    saveTheme(s, "system");
    expect(s.m.has(THEME_KEY)).toBe(false);
  });

  it("survives storage that throws", () => {
    const broken = {
      getItem: () => {
        throw new Error("denied");
      },
    };
    expect(loadTheme(broken)).toBe("system");
    expect(loadTheme(null)).toBe("system");
  });
});
