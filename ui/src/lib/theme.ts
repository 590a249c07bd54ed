// Light, dark, or following the system; stored on this computer only.

export type ThemeSetting = "system" | "light" | "dark";
export type Theme = "light" | "dark";

export const THEME_KEY = "tidings.theme";

export function parseTheme(value: string | null | undefined): ThemeSetting {
  return value === "light" || value === "dark" ? value : "system";
}

export function resolveTheme(setting: ThemeSetting, systemDark: boolean): Theme {
  if (setting === "system") return systemDark ? "dark" : "light";
  return setting;
}

/** The stored setting ("system" when nothing or junk is stored, or storage
 *  is unavailable). */
export function loadTheme(storage: Pick<Storage, "getItem"> | null): ThemeSetting {
  try {
    return parseTheme(storage?.getItem(THEME_KEY));
  } catch {
    return "system";
  }
}

export function saveTheme(storage: Pick<Storage, "setItem" | "removeItem"> | null, setting: ThemeSetting): void {
  try {
    if (setting === "system") storage?.removeItem(THEME_KEY);
    else storage?.setItem(THEME_KEY, setting);
  } catch {
    // Private mode or a full disk: the theme still applies for this run.
  }
}
