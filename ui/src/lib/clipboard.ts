// Copying text (an invite code) to the clipboard, with a fallback for
// webviews without the async Clipboard API.

import { toasts } from "./toasts.svelte";

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Fall through to the selection-based copy.
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "sr-only";
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/** Copies a Tidings link and says so. */
export async function copyLink(link: string, what: string): Promise<void> {
  if (await copyText(link)) toasts.notice(`Link to this ${what} copied: paste it into any post.`);
  else toasts.notice(`Copy this link: ${link}`);
}
