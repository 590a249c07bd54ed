// Reply drafts survive switching threads and restarts (this computer only).

const PREFIX = "tidings.draft.";

export function loadDraft(thread: string): string {
  try {
    return localStorage.getItem(PREFIX + thread) ?? "";
  } catch {
    return "";
  }
}

export function saveDraft(thread: string, text: string): void {
  try {
    if (text.trim() === "") localStorage.removeItem(PREFIX + thread);
    else localStorage.setItem(PREFIX + thread, text);
  } catch {
    // Storage unavailable: the draft lives as long as the view.
  }
}
