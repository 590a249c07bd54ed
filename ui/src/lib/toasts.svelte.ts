// Toasts: command errors (with their code) and notices from the shell.
import { toApiError } from "./result";

export type Toast = { id: number; kind: "error" | "notice"; message: string; code: string | null };

const ERROR_MS = 10_000;
const NOTICE_MS = 6_000;
const MAX_SHOWN = 4;

class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;
  private timers = new Map<number, ReturnType<typeof setTimeout>>();

  error(e: unknown): void {
    const err = toApiError(e);
    console.warn(`[${err.code}] ${err.message}`);
    this.push({ kind: "error", message: err.message, code: err.code }, ERROR_MS);
  }

  notice(message: string): void {
    this.push({ kind: "notice", message, code: null }, NOTICE_MS);
  }

  dismiss(id: number): void {
    const t = this.timers.get(id);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(id);
    this.items = this.items.filter((x) => x.id !== id);
  }

  /** Keeps a toast up while the pointer or focus is on it. */
  hold(id: number): void {
    const t = this.timers.get(id);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(id);
  }

  release(id: number): void {
    const toast = this.items.find((x) => x.id === id);
    if (toast) this.schedule(id, toast.kind === "error" ? ERROR_MS : NOTICE_MS);
  }

  private push(t: Omit<Toast, "id">, ms: number): void {
    // The same message again refreshes the one shown instead of stacking.
    const same = this.items.find((x) => x.message === t.message && x.code === t.code);
    if (same) {
      this.schedule(same.id, ms);
      return;
    }
    const id = this.next++;
    this.items = [...this.items, { ...t, id }].slice(-MAX_SHOWN);
    this.schedule(id, ms);
  }

  private schedule(id: number, ms: number): void {
    const old = this.timers.get(id);
    if (old !== undefined) clearTimeout(old);
    this.timers.set(
      id,
      setTimeout(() => this.dismiss(id), ms),
    );
  }
}

export const toasts = new Toasts();
