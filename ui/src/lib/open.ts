// Where links from rendered content go.
import { api, attempt } from "./api";
import type { LinkHandlers } from "./links";
import { nav } from "./nav.svelte";

export const openLink: LinkHandlers = {
  external: (href) => void attempt(() => api.openExternal(href)),
  internal: (to) => {
    if (to.to === "inbox") nav.showList({ kind: "inbox" });
    else nav.openThread(to.thread, to.comment);
  },
};
