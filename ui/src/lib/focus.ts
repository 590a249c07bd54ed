// Keeping keyboard focus inside a dialog while it is open, and giving it
// back to where it was when the dialog closes.

const FOCUSABLE = [
  "a[href]",
  "button:not([disabled])",
  "input:not([disabled]):not([type=hidden])",
  "select:not([disabled])",
  "textarea:not([disabled])",
  "[tabindex]:not([tabindex='-1'])",
  "[contenteditable='true']",
].join(",");

/** The elements Tab may reach inside `root`, in document order. */
export function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => !el.hasAttribute("inert") && !el.closest("[hidden],[inert]"),
  );
}

/** Where Tab (or Shift+Tab) from `current` goes: wrapping at both ends. */
export function nextFocus(list: readonly HTMLElement[], current: Element | null, back: boolean): HTMLElement | null {
  if (list.length === 0) return null;
  const at = current ? list.indexOf(current as HTMLElement) : -1;
  if (at < 0) return (back ? list[list.length - 1] : list[0]) ?? null;
  const to = (at + (back ? -1 : 1) + list.length) % list.length;
  return list[to] ?? null;
}

export interface TrapOptions {
  /** Esc inside the dialog. */
  onEscape: () => void;
  /** Selector of what to focus first (default: the first field or button). */
  initial?: string;
}

/** Svelte action for role=dialog elements. */
export function trapFocus(node: HTMLElement, options: TrapOptions) {
  let opts = options;
  const before = document.activeElement as HTMLElement | null;
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      opts.onEscape();
      return;
    }
    if (e.key !== "Tab") return;
    const to = nextFocus(focusables(node), document.activeElement, e.shiftKey);
    e.preventDefault();
    (to ?? node).focus();
  };
  node.addEventListener("keydown", onKey);
  queueMicrotask(() => {
    const first = (opts.initial && node.querySelector<HTMLElement>(opts.initial)) || focusables(node)[0] || node;
    first.focus();
  });
  return {
    update(next: TrapOptions) {
      opts = next;
    },
    destroy() {
      node.removeEventListener("keydown", onKey);
      if (before && before.isConnected && typeof before.focus === "function") before.focus();
    },
  };
}
