// The chosen theme, applied as body[data-theme], following the system's
// light/dark preference while the setting is "system".
import { loadTheme, resolveTheme, saveTheme, type Theme, type ThemeSetting } from "./theme";

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

class ThemeState {
  setting = $state<ThemeSetting>(loadTheme(storage()));
  systemDark = $state(false);
  resolved: Theme = $derived(resolveTheme(this.setting, this.systemDark));
  private watching = false;
  private seq = 0;

  /** Applies the theme now and keeps following the system. */
  apply(): void {
    if (!this.watching && typeof window.matchMedia === "function") {
      this.watching = true;
      const q = window.matchMedia("(prefers-color-scheme: dark)");
      this.systemDark = q.matches;
      q.addEventListener("change", (e) => {
        this.systemDark = e.matches;
        this.paint();
      });
    }
    this.paint();
  }

  set(setting: ThemeSetting): void {
    this.setting = setting;
    saveTheme(storage(), setting);
    this.paint();
  }

  /** The colours follow <html data-theme> at once; <body data-theme> (the
   *  hook tests and screenshots wait for) follows once a frame in the new
   *  colours has been drawn, so it never announces a theme not yet shown. */
  private paint(): void {
    const theme = resolveTheme(this.setting, this.systemDark);
    document.documentElement.dataset.theme = theme;
    const seq = ++this.seq;
    if (!document.body.dataset.theme) {
      document.body.dataset.theme = theme;
      return;
    }
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        if (seq === this.seq) document.body.dataset.theme = theme;
      }),
    );
  }
}

export const theme = new ThemeState();
