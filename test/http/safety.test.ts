/** Which addresses count as loopback, and the refusal to bind anything else without a token. */
import { describe, expect, it } from "vitest";
import { assertSafeBind, isLoopbackHost } from "../../src/http/safety.js";

describe("bind safety", () => {
  it("knows loopback addresses and refuses others without a token", () => {
    for (const h of ["127.0.0.1", "localhost", "::1", "127.3.4.5"]) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ["0.0.0.0", "::", "192.168.1.4", "example.com"]) expect(isLoopbackHost(h)).toBe(false);
    expect(() => assertSafeBind("0.0.0.0", undefined)).toThrow(/API_TOKEN/);
    expect(() => assertSafeBind("0.0.0.0", "a-long-enough-token")).not.toThrow();
    expect(() => assertSafeBind("127.0.0.1", undefined)).not.toThrow();
  });
});
