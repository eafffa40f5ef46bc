/** Which addresses count as loopback, and the refusal to bind anything else without a token. */
import { describe, expect, it } from "vitest";
import { assertSafeBind, foreignHostJudge, isLoopbackHost } from "../../src/http/safety.js";

describe("bind safety", () => {
  it("knows loopback addresses and refuses others without a token", () => {
    for (const h of ["127.0.0.1", "localhost", "::1", "127.3.4.5"]) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ["0.0.0.0", "::", "192.168.1.4", "example.com"]) expect(isLoopbackHost(h)).toBe(false);
    expect(() => assertSafeBind("0.0.0.0", undefined)).toThrow(/API_TOKEN/);
    expect(() => assertSafeBind("0.0.0.0", "a-long-enough-token")).not.toThrow();
    expect(() => assertSafeBind("127.0.0.1", undefined)).not.toThrow();
  });

  it("bound to loopback, answers loopback Host headers and no Host, refuses foreign and unparsable ones", () => {
    const foreign = foreignHostJudge(true);
    for (const h of ["127.0.0.1:8501", "localhost:8501", "[::1]:8501", "localhost", undefined, ""]) expect(foreign(h), String(h)).toBeNull();
    expect(foreign("attacker.example:80")).toBe("attacker.example");
    expect(foreign("127.0.0.1.attacker.example")).toBe("127.0.0.1.attacker.example");
    for (const h of ["evil.example:99999", "a b", "[::1"]) expect(foreign(h), h).toBe(h);
    expect(foreign("evil.example:99999"), "remembered").toBe("evil.example:99999");
    const anywhere = foreignHostJudge(false);
    expect(anywhere("attacker.example")).toBeNull();
  });
});
