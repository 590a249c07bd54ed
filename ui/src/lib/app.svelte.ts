// What the whole window shows: the workspace, channels, people, counts,
// sync status and long tasks. Filled from commands, kept fresh by events.
import type { AppInfo, ChannelView, MemberView, Progress, SyncStatus, UnreadChanged } from "./bindings";
import { api, attempt } from "./api";
import { coalesce } from "./latest";
import { catchUp } from "./syncstate";

class AppState {
  info = $state.raw<AppInfo | null>(null);
  channels = $state.raw<ChannelView[]>([]);
  members = $state.raw<MemberView[]>([]);
  counts = $state.raw<UnreadChanged>({ inbox: 0, unread_threads: 0 });
  sync = $state.raw<SyncStatus>({ targets: [], from_future: 0 });
  /** Long tasks by name (reindex, export) while they run. */
  tasks = $state.raw<Record<string, Progress>>({});
  /** The first view is on screen: what only the sidebar's badges need
   *  (Later, check-ins, scheduled, waiting) loads after it, so launch
   *  does not wait for it. */
  painted = $state(false);

  me = $derived(this.members.find((m) => m.is_me) ?? null);
  liveChannels = $derived(this.channels.filter((c) => !c.archived));
  catching = $derived(catchUp(this.sync));

  channel(id: string): ChannelView | null {
    return this.channels.find((c) => c.id === id) ?? null;
  }

  // Each reload collapses with others of its kind: a sync catch-up sends
  // many change batches in a row.
  readonly loadInfo = coalesce(async () => {
    const info = await attempt(() => api.appInfo());
    if (info) this.info = info;
  });

  readonly loadChannels = coalesce(async () => {
    const c = await attempt(() => api.listChannels());
    if (c) this.channels = c;
  });

  readonly loadMembers = coalesce(async () => {
    const m = await attempt(() => api.members());
    if (m) this.members = m;
  });

  readonly loadCounts = coalesce(async () => {
    const c = await attempt(() => api.unreadCounts());
    if (c) this.counts = c;
  });

  readonly loadSync = coalesce(async () => {
    const s = await attempt(() => api.syncStatus());
    if (s) this.sync = s;
  });

  /** Everything the workspace screens need, in parallel. */
  async loadWorkspace(): Promise<void> {
    await Promise.all([this.loadChannels(), this.loadMembers(), this.loadCounts(), this.loadSync()]);
  }

  progress(p: Progress): void {
    const next = { ...this.tasks };
    if (p.total > 0 && p.done >= p.total) delete next[p.task];
    else next[p.task] = p;
    this.tasks = next;
  }

  /** Runs a long command with a progress entry shown while it runs (the
   *  shell's progress events refine it). */
  async withTask<T>(task: string, run: () => Promise<T>): Promise<T | undefined> {
    this.progress({ task, done: 0, total: 0 });
    try {
      return await attempt(run);
    } finally {
      const next = { ...this.tasks };
      delete next[task];
      this.tasks = next;
    }
  }
}

export const app = new AppState();
