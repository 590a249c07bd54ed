// Links inside rendered (core-sanitized) HTML never navigate the webview:
// web and mail links go to the system through `open_external`, Tidings
// links (tidings://thread/<id>[/comment/<id>], tidings://inbox) open here.

export type Internal = { to: "inbox" } | { to: "thread"; thread: string; comment: string | null };

const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/i;

/** Where a tidings:// link points; null for anything else. */
export function parseTidingsLink(href: string): Internal | null {
  const m = /^tidings:\/\/(.*)$/i.exec(href.trim());
  if (!m) return null;
  const parts = (m[1] ?? "").replace(/\/+$/, "").split("/");
  if (parts.length === 1 && parts[0] === "inbox") return { to: "inbox" };
  const [kind, thread, sub, comment] = parts;
  if (kind !== "thread" || !thread || !ID.test(thread)) return null;
  if (parts.length === 2) return { to: "thread", thread, comment: null };
  if (parts.length === 4 && sub === "comment" && comment && ID.test(comment)) {
    return { to: "thread", thread, comment };
  }
  return null;
}

/** The link to a thread, or to one comment in it, as the core spells it
 *  (render::applinks): pasted into a post it opens here for whoever reads. */
export function threadLink(thread: string, comment: string | null = null): string {
  return comment ? `tidings://thread/${thread}/comment/${comment}` : `tidings://thread/${thread}`;
}

export interface LinkHandlers {
  /** An http(s)/mailto (or any other non-Tidings) link: ask the shell. */
  external: (href: string) => void;
  /** A Tidings link. */
  internal: (to: Internal) => void;
}

/** The link a click landed in, if it is inside `root`. */
function linkOf(root: HTMLElement, target: EventTarget | null): HTMLAnchorElement | null {
  if (!target || !(target as Node).nodeType) return null;
  let node: Node | null = target as Node;
  if (node.nodeType !== 1) node = node.parentNode;
  const a = node && (node as Element).closest ? (node as Element).closest("a[href]") : null;
  return a && root.contains(a) ? (a as HTMLAnchorElement) : null;
}

/** Svelte action: intercepts clicks on links within `node`. */
export function interceptLinks(node: HTMLElement, handlers: LinkHandlers) {
  let current = handlers;
  const onClick = (e: MouseEvent) => {
    const a = linkOf(node, e.target);
    if (!a) return;
    e.preventDefault();
    if (e.type === "auxclick" && e.button !== 1) return;
    const href = a.getAttribute("href") ?? "";
    if (href === "" || href.startsWith("#")) return;
    const to = parseTidingsLink(href);
    if (to) current.internal(to);
    else current.external(href);
  };
  node.addEventListener("click", onClick);
  node.addEventListener("auxclick", onClick);
  return {
    update(next: LinkHandlers) {
      current = next;
    },
    destroy() {
      node.removeEventListener("click", onClick);
      node.removeEventListener("auxclick", onClick);
    },
  };
}
