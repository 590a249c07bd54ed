// Applies the page zoom to the app's webview (Tauri's native zoom, so the
// layout reflows as in a browser) and keeps it across launches.
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { toasts } from "./toasts.svelte";
import { loadZoom, nextZoom, saveZoom, zoomKey, type ZoomAction } from "./zoom";

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

let level = loadZoom(storage());

async function set(value: number): Promise<void> {
  try {
    await getCurrentWebview().setZoom(value);
    document.documentElement.dataset.zoom = String(value);
  } catch (e) {
    toasts.error(e);
  }
}

/** The remembered zoom, at start; nothing to do at 100%. */
export function applyZoom(): void {
  if (level !== 1) void set(level);
}

export function stepZoom(action: ZoomAction): void {
  level = nextZoom(level, action);
  saveZoom(storage(), level);
  void set(level);
}

/** Ctrl/Cmd +, −, 0 anywhere in the window. */
export function listenForZoomKeys(): void {
  window.addEventListener("keydown", (e) => {
    const action = zoomKey(e);
    if (!action) return;
    e.preventDefault();
    stepZoom(action);
  });
}
