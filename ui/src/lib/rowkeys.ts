// j/k (or the arrow keys) between the rows of a page (Waiting, Later,
// Catch-up): each row is an element with `data-row`, and its `.title`
// button takes the focus, so Enter opens it and Tab reaches its actions.
import { isTypingTarget } from "./keys";
import { moveSelection } from "./listnav";

/** The row step a key press asks for: 1, -1, or 0 for none. */
export function rowStep(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey">): number {
  if (e.ctrlKey || e.metaKey || e.altKey) return 0;
  if (e.key === "j" || e.key === "ArrowDown") return 1;
  if (e.key === "k" || e.key === "ArrowUp") return -1;
  return 0;
}

/** Moves the focus to the next or previous row under `root`. */
export function onRowKeys(root: HTMLElement | null, e: KeyboardEvent): void {
  const delta = rowStep(e);
  if (delta === 0 || !root || isTypingTarget(e.target as Element | null)) return;
  const rows = [...root.querySelectorAll<HTMLElement>("[data-row]")];
  const ids = rows.map((r) => r.dataset.row ?? "");
  const at = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>("[data-row]")?.dataset.row ?? null;
  const to = moveSelection(ids, at, delta);
  if (to === null) return;
  e.preventDefault();
  rows[ids.indexOf(to)]?.querySelector<HTMLElement>(".title")?.focus();
}
