// Check-ins and my open asks, shared by the sidebar's badge, the Check-ins
// view and its boards: fetched once, then again whenever a store change
// names them (the shell also names them when a check-in asks me).
import type { CheckinAsk, CheckinView } from "./bindings";
import { api } from "./api";
import { onChanges } from "./changes";
import { coalesce } from "./latest";
import { toasts } from "./toasts.svelte";

const KINDS = new Set(["checkins", "all", "workspace", "members"]);

class Checkins {
  list = $state.raw<CheckinView[]>([]);
  asks = $state.raw<CheckinAsk[]>([]);
  /** Bumped on every refresh, so an open board reads again. */
  version = $state(0);

  refresh = coalesce(async () => {
    try {
      const [list, asks] = await Promise.all([api.checkins(null), api.checkinAsks()]);
      this.list = list;
      this.asks = asks;
      this.version++;
    } catch (e) {
      toasts.error(e);
    }
  });

  /** My open ask for a check-in, if it has one. */
  askFor(id: string): CheckinAsk | null {
    return this.asks.find((a) => a.checkin === id) ?? null;
  }

  /** Keeps them current until the returned function runs. */
  watch(): () => void {
    void this.refresh();
    return onChanges((changes) => {
      if (changes.some((c) => KINDS.has(c.kind))) void this.refresh();
    });
  }
}

export const checkins = new Checkins();
