// The shell's commands as plain async functions: each resolves to its value
// or rejects with an ApiError {code, message}. Every type comes from the
// generated bindings.
import { commands } from "./bindings";
import { ApiError, unwrapping } from "./result";
import { toasts } from "./toasts.svelte";

type Commands = typeof commands;
type Unwrapped<F> = F extends (...args: infer A) => Promise<infer R>
  ? (...args: A) => Promise<R extends { status: "ok"; data: infer T } ? T : never>
  : never;

export type Api = { [K in keyof Commands]: Unwrapped<Commands[K]> };

export const api = Object.fromEntries(
  Object.entries(commands).map(([name, f]) => [name, unwrapping((f as (...a: unknown[]) => Promise<never>).bind(commands))]),
) as unknown as Api;

export { ApiError };

/** Runs a command, showing any error as a toast; resolves to undefined on
 *  failure so callers can simply stop. */
export async function attempt<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (e) {
    toasts.error(e);
    return undefined;
  }
}
