// Global keyboard shortcuts: which action a key press means, given whether
// the person is typing in a field and whether "g" was just pressed.

export type KeyAction =
  | "next"
  | "prev"
  | "open"
  | "done"
  | "mute"
  | "reply"
  | "back"
  | "search"
  | "compose"
  | "help"
  | "go-inbox"
  | "go-done"
  | "go-settings"
  | "go-waiting"
  | "go-scheduled"
  | "go-later"
  | "go-catch-up"
  | "go-checkins"
  | "remind";

/** What the handler needs from a KeyboardEvent. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** Pending "g" prefix: when it was pressed (ms), or null. */
export type KeyState = { gAt: number | null };

/** How long "g" waits for its second key. */
export const CHORD_MS = 1500;

/** Whether focus is in something that takes typed text (so single-letter
 *  shortcuts must not fire). */
export function isTypingTarget(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (el.getAttribute("type") ?? "text").toLowerCase();
    return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(type);
  }
  const editable = el.getAttribute("contenteditable");
  return editable !== null && editable !== "false";
}

/** The action for a key press, and the prefix state after it. */
export function interpretKey(
  press: KeyPress,
  typing: boolean,
  state: KeyState,
  now: number,
): { action: KeyAction | null; state: KeyState } {
  const idle: KeyState = { gAt: null };
  const mod = press.ctrlKey || press.metaKey;
  if (press.key === "Escape") return { action: "back", state: idle };
  if (mod && !press.altKey && press.key.toLowerCase() === "k") return { action: "search", state: idle };
  if (typing || mod || press.altKey) return { action: null, state: idle };

  if (state.gAt !== null && now - state.gAt <= CHORD_MS) {
    const chord: Record<string, KeyAction> = { i: "go-inbox", d: "go-done", s: "go-settings", w: "go-waiting", l: "go-scheduled", r: "go-later", c: "go-catch-up", k: "go-checkins" };
    return { action: chord[press.key] ?? null, state: idle };
  }
  switch (press.key) {
    case "g":
      return { action: null, state: { gAt: now } };
    case "j":
      return { action: "next", state: idle };
    case "k":
      return { action: "prev", state: idle };
    case "Enter":
      return { action: "open", state: idle };
    case "e":
      return { action: "done", state: idle };
    case "m":
      return { action: "mute", state: idle };
    case "r":
      return { action: "reply", state: idle };
    case "c":
      return { action: "compose", state: idle };
    case "l":
      return { action: "remind", state: idle };
    case "/":
      return { action: "search", state: idle };
    case "?":
      return { action: "help", state: idle };
    default:
      return { action: null, state: idle };
  }
}

/** Ctrl+Enter or Cmd+Enter: send the composer. */
export function isSendKey(press: KeyPress): boolean {
  return press.key === "Enter" && (press.ctrlKey || press.metaKey) && !press.altKey;
}

/** How the platform names the shortcut modifier: ⌘ on Apple systems. */
export function modLabel(platform: string): string {
  return /Mac|iPhone|iPad|iPod/i.test(platform) ? "⌘" : "Ctrl";
}
