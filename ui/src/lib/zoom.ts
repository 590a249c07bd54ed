// Page zoom with Ctrl/Cmd + and −, Ctrl/Cmd 0 to reset: the steps browsers
// use, remembered on this computer (like the theme).

export const ZOOM_KEY = "tidings.zoom";

/** The zoom levels Ctrl/Cmd +/− step through. */
export const ZOOM_STEPS = [0.5, 0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3] as const;

export type ZoomAction = "zoom-in" | "zoom-out" | "zoom-reset";

/** The zoom a key press asks for: Ctrl (Cmd on a Mac) with "=" or "+",
 *  "-" or "_", or "0". Anywhere in the app, typing or not, dialogs open
 *  or not, as in a browser. */
export function zoomKey(press: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): ZoomAction | null {
  if (!(press.ctrlKey || press.metaKey) || press.altKey) return null;
  if (press.key === "=" || press.key === "+") return "zoom-in";
  if (press.key === "-" || press.key === "_") return "zoom-out";
  if (press.key === "0") return "zoom-reset";
  return null;
}

/** The level after `action` from `level`: the next step up or down (from
 *  a level between steps, the nearest step in that direction), or 1. */
export function nextZoom(level: number, action: ZoomAction): number {
  if (action === "zoom-reset") return 1;
  if (action === "zoom-in") return ZOOM_STEPS.find((s) => s > level + 1e-6) ?? ZOOM_STEPS[ZOOM_STEPS.length - 1];
  return [...ZOOM_STEPS].reverse().find((s) => s < level - 1e-6) ?? ZOOM_STEPS[0];
}

/** A stored level if it is one of the steps, else 1. */
export function parseZoom(value: string | null | undefined): number {
  const n = Number(value);
  return ZOOM_STEPS.some((s) => s === n) ? n : 1;
}

export function loadZoom(storage: Pick<Storage, "getItem"> | null): number {
  try {
    return parseZoom(storage?.getItem(ZOOM_KEY));
  } catch {
    return 1;
  }
}

export function saveZoom(storage: Pick<Storage, "setItem" | "removeItem"> | null, level: number): void {
  try {
    if (level === 1) storage?.removeItem(ZOOM_KEY);
    else storage?.setItem(ZOOM_KEY, String(level));
  } catch {
    // Storage unavailable: the zoom still applies for this run.
  }
}
