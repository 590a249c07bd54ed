import { describe, expect, it } from "vitest";
import { ApiError, toApiError, unwrap, unwrapping } from "./result";

describe("unwrap", () => {
  it("returns the data of an ok result", () => {
    expect(unwrap({ status: "ok", data: 42 })).toBe(42);
  });

  it("throws the core's code and message for an error result", () => {
    try {
      unwrap({ status: "error", error: { code: "not_found", message: "No thread" } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).code).toBe("not_found");
      expect((e as ApiError).message).toBe("No thread");
    }
  });

  it("gives uncoded failures the internal code", () => {
    expect(toApiError("Command x not found").code).toBe("internal");
    expect(toApiError("Command x not found").message).toBe("Command x not found");
    expect(toApiError(new TypeError("boom")).message).toBe("boom");
    expect(toApiError(undefined).message).toMatch(/did not say/);
  });
});

describe("unwrapping", () => {
  it("resolves to the value and passes the arguments through", async () => {
    const f = unwrapping(async (a: number, b: number) => ({ status: "ok" as const, data: a + b }));
    await expect(f(2, 3)).resolves.toBe(5);
  });

  it("rejects with an ApiError when the call throws", async () => {
    const f = unwrapping(async (): Promise<{ status: "ok"; data: number }> => {
      throw new Error("ipc down");
    });
    await expect(f()).rejects.toMatchObject({ code: "internal", message: "ipc down" });
  });

  it("rejects with the coded error of an error result", async () => {
    const f = unwrapping(async () => ({
      status: "error" as const,
      error: { code: "invalid_input", message: "The title is empty" },
    }));
    await expect(f()).rejects.toMatchObject({ code: "invalid_input" });
  });
});
