/**
 * Agent names are shown as they are (dashboard, CLI tables, logs), so the one rule (the store's
 * assertAgentName, which the API's zod `agentName` calls) refuses names that are blank, padded with
 * whitespace, or carry control or bidirectional-text characters; the heartbeat push refuses a blank
 * or unprintable host/version and an explicit JSON `null` body. Every refusal is a 400 with a
 * message and writes nothing; the store refuses the same names whatever the caller.
 */
import { afterEach, describe, expect, it } from "vitest";
import { isValidationError } from "../../src/errors/index.js";
import { assertAgentName } from "../../src/storage/index.js";
import { closeStores } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { closeServers, post, snapshot, startTestServer } from "./helpers.js";

afterEach(async () => {
  await closeServers();
  await closeStores();
  removeTempDirs();
});

const json = { "content-type": "application/json" };

/** [why, name, what the message must say] */
const BAD_NAMES: Array<[string, string, RegExp]> = [
  ["one space", " ", /blank/],
  ["spaces only", "   ", /blank/],
  ["no-break spaces only", "\u00a0\u00a0", /blank/],
  ["ideographic space only", "\u3000", /blank/],
  ["leading space", " worker", /starts or ends with whitespace/],
  ["trailing space", "worker ", /starts or ends with whitespace/],
  ["trailing no-break space", "worker\u00a0", /starts or ends with whitespace/],
  ["tab", "a\tb", /control character \(U\+0009\)/],
  ["C1 control (NEL)", "a\u0085b", /control character \(U\+0085\)/],
  ["line separator", "a\u2028b", /control character \(U\+2028\)/],
  ["right-to-left override", "invoice\u202Egnp.exe", /bidirectional-text control character \(U\+202E\)/],
  ["left-to-right mark", "worker\u200E", /bidirectional-text control character \(U\+200E\)/],
  ["right-to-left mark", "\u200Fworker", /bidirectional-text control character \(U\+200F\)/],
  ["Arabic letter mark", "a\u061Cb", /bidirectional-text control character \(U\+061C\)/],
  ...["\u202A", "\u202B", "\u202C", "\u202D", "\u2066", "\u2067", "\u2068", "\u2069"].map(
    (c): [string, string, RegExp] => [`bidi control U+${c.charCodeAt(0).toString(16).toUpperCase()}`, `w${c}1`, /bidirectional-text control character/],
  ),
];

/** Unusual but honest names: the rule must not refuse them. */
const GOOD_NAMES = ["report writer", "ünïcødé ☃ 🚀", "tab\u00a0nbsp", "a", "<img src=x onerror=alert(1)>", "n".repeat(128)];

describe("agent names", () => {
  it("the store refuses blank, padded, control and bidi names from any caller, and takes unusual honest ones", async () => {
    const { store } = await startTestServer();
    for (const [why, name, message] of BAD_NAMES) {
      expect(() => assertAgentName(name), why).toThrow(message);
      await expect(store.registerAgent(name), why).rejects.toSatisfy(isValidationError);
      await expect(store.updateHeartbeat(name), why).rejects.toSatisfy(isValidationError);
    }
    expect(await store.getRegisteredAgents()).toEqual([]);
    for (const name of GOOD_NAMES) await store.updateHeartbeat(name);
    expect((await store.getRegisteredAgents()).map((a) => a.name).sort()).toEqual([...GOOD_NAMES].sort());
  });

  it("the API answers 400 with the rule's message for every refused name (push, read, restart) and writes nothing", async () => {
    const { url, store } = await startTestServer();
    await store.registerAgent("known", { pid: 1, host: "h" });
    const before = snapshot(store);
    for (const [why, name, message] of BAD_NAMES) {
      const path = `${url}/api/agents/${encodeURIComponent(name)}`;
      for (const [method, route] of [["POST", "/heartbeat"], ["GET", ""], ["POST", "/restart"]] as const) {
        const res = await fetch(`${path}${route}`, { method });
        const body = (await res.json()) as { error?: string; message?: string };
        expect({ why, route, status: res.status }).toEqual({ why, route, status: 400 });
        expect(body.error, why).toBe("INVALID_INPUT");
        expect(body.message, why).toMatch(/^name: Invalid agent name/);
        expect(body.message, why).toMatch(message);
      }
      expect(snapshot(store), `${why} wrote to the database`).toBe(before);
    }
    // and the unusual honest names are taken as they are
    for (const name of GOOD_NAMES) {
      const r = await post(`${url}/api/agents/${encodeURIComponent(name)}/heartbeat`, JSON.stringify({ status: "ok" }));
      expect({ name, status: r.status }).toEqual({ name, status: 202 });
      expect(r.body).toMatchObject({ name, state: "active" });
    }
  });

  it("refuses a blank or unprintable host/version and an explicit JSON null body; an empty body is still {}", async () => {
    const { url, store } = await startTestServer();
    await store.registerAgent("known", { pid: 1, host: "h" });
    const hb = `${url}/api/agents/known/heartbeat`;
    const cases: Array<[string, string, string, RegExp]> = [
      ["blank host", hb, JSON.stringify({ host: "   " }), /^host: must not be blank/],
      ["empty host", hb, JSON.stringify({ host: "" }), /^host: must not be empty/],
      ["blank version", hb, JSON.stringify({ version: "\t " }), /^version: must not be blank/],
      ["bidi in host", hb, JSON.stringify({ host: "box\u202Eliam" }), /^host: must not contain control or bidirectional-text characters/],
      ["newline in version", hb, JSON.stringify({ version: "1.0\n2.0" }), /^version: must not contain control/],
      ["null body (push)", hb, "null", /^body must be a JSON object/],
      ["null body (restart)", `${url}/api/agents/known/restart`, "null", /^body must be a JSON object/],
      ["null body (clean-up)", `${url}/api/cleanup-stale`, "null", /^body must be a JSON object/],
      ["number body", hb, "42", /^body must be a JSON object/],
    ];
    const before = snapshot(store);
    for (const [what, target, body, message] of cases) {
      const r = await post(target, body);
      expect({ what, status: r.status }).toEqual({ what, status: 400 });
      expect(r.body?.message, what).toMatch(message);
      expect(snapshot(store), `${what} wrote to the database`).toBe(before);
    }
    // no body at all still means {}, and a real host/version is stored
    expect((await post(hb)).status).toBe(202);
    expect((await post(hb, JSON.stringify({ host: "build box 7", version: "2.1.0" }))).status).toBe(202);
    expect(await store.getAgent("known")).toMatchObject({ host: "build box 7", version: "2.1.0" });
  });
});
