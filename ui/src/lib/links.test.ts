// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { interceptLinks, parseTidingsLink, threadLink } from "./links";

const T = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
const C = "01BX5ZZKBKACTAV9WEVGEMMVRZ";

describe("threadLink", () => {
  it("spells a thread or comment link so that parseTidingsLink reads it back", () => {
    const t = "01JF0000000000000000000000";
    const c = "01JF0000000000000000000001";
    expect(threadLink(t)).toBe(`tidings://thread/${t}`);
    expect(parseTidingsLink(threadLink(t))).toEqual({ to: "thread", thread: t, comment: null });
    expect(parseTidingsLink(threadLink(t, c))).toEqual({ to: "thread", thread: t, comment: c });
  });
});

describe("parseTidingsLink", () => {
  it("reads inbox, thread and comment links", () => {
    expect(parseTidingsLink("tidings://inbox")).toEqual({ to: "inbox" });
    expect(parseTidingsLink(`tidings://thread/${T}`)).toEqual({ to: "thread", thread: T, comment: null });
    expect(parseTidingsLink(`tidings://thread/${T}/comment/${C}/`)).toEqual({
      to: "thread",
      thread: T,
      comment: C,
    });
  });

  it("refuses other links and malformed ids", () => {
    expect(parseTidingsLink("https://example.org")).toBeNull();
    expect(parseTidingsLink("tidings://thread/nope")).toBeNull();
    expect(parseTidingsLink(`tidings://thread/${T}/reply/${C}`)).toBeNull();
  });
});

function setup(html: string) {
  const root = document.createElement("div");
  root.innerHTML = html;
  document.body.append(root);
  const external = vi.fn();
  const internal = vi.fn();
  const action = interceptLinks(root, { external, internal });
  return { root, external, internal, action };
}

function click(el: Element, init: MouseEventInit = {}) {
  const e = new MouseEvent("click", { bubbles: true, cancelable: true, ...init });
  el.dispatchEvent(e);
  return e;
}

describe("interceptLinks", () => {
  it("sends web links to the shell and keeps the webview where it is", () => {
    const { root, external, internal } = setup('<p>See <a href="https://example.org/a?b=1"><b>this</b></a></p>');
    const e = click(root.querySelector("b")!);
    expect(e.defaultPrevented).toBe(true);
    expect(external).toHaveBeenCalledWith("https://example.org/a?b=1");
    expect(internal).not.toHaveBeenCalled();
  });

  it("opens Tidings links inside the app", () => {
    const { root, external, internal } = setup(`<a href="tidings://thread/${T}">t</a>`);
    click(root.querySelector("a")!);
    expect(internal).toHaveBeenCalledWith({ to: "thread", thread: T, comment: null });
    expect(external).not.toHaveBeenCalled();
  });

  it("ignores clicks outside links and stops after destroy", () => {
    const { root, external, action } = setup('<p>plain <a href="mailto:a@b.c">mail</a></p>');
    const e = click(root.querySelector("p")!);
    expect(e.defaultPrevented).toBe(false);
    expect(external).not.toHaveBeenCalled();
    action.destroy();
    const after = click(root.querySelector("a")!);
    expect(after.defaultPrevented).toBe(false);
    expect(external).not.toHaveBeenCalled();
  });

  it("uses the handlers given by the latest update", () => {
    const { root, external, action } = setup('<a href="https://x.org">x</a>');
    const next = vi.fn();
    action.update({ external: next, internal: vi.fn() });
    click(root.querySelector("a")!);
    expect(next).toHaveBeenCalledWith("https://x.org");
    expect(external).not.toHaveBeenCalled();
  });
});
