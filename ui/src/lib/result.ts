// Turning the generated commands' `Result` values into plain values or a
// typed error the UI can show. Pure: no Tauri imports, so it is testable.
import type { AppError, ErrorCode } from "./bindings";

/** A command failure as the core describes it: a code for programs and a
 *  message for people. */
export class ApiError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }
}

type Outcome<T> = { status: "ok"; data: T } | { status: "error"; error: unknown };

function isCoded(e: unknown): e is AppError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as { code?: unknown }).code === "string" &&
    typeof (e as { message?: unknown }).message === "string"
  );
}

/** Any thrown or returned failure as an ApiError (`internal` when it did
 *  not come from the core with a code). */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isCoded(e)) return new ApiError(e.code, e.message);
  if (e instanceof Error) return new ApiError("internal", e.message);
  if (typeof e === "string" && e.length > 0) return new ApiError("internal", e);
  return new ApiError("internal", "Something went wrong, and Tidings did not say what");
}

/** The value of an ok result; throws an ApiError for an error result. */
export function unwrap<T>(r: Outcome<T>): T {
  if (r.status === "ok") return r.data;
  throw toApiError(r.error);
}

/** Wraps a generated command so it resolves to its value or rejects with an
 *  ApiError (also when the IPC call itself throws). */
export function unwrapping<A extends unknown[], T>(
  f: (...args: A) => Promise<Outcome<T>>,
): (...args: A) => Promise<T> {
  return async (...args: A) => {
    let r: Outcome<T>;
    try {
      r = await f(...args);
    } catch (e) {
      throw toApiError(e);
    }
    return unwrap(r);
  };
}
