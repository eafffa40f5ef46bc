/** `bg-agents langgraph-runs` as a real process without a LangGraph server: no URL (exit 2), a bad URL (exit 2), a server that is down (exit 1, said so). */
import { afterEach, describe, expect, it } from "vitest";
import { killCliChildren, parseJson, runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/langgraph-dev.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await killCliChildren();
  removeTempDirs();
});

describe("bg-agents langgraph-runs", () => {
  it("exits 2 with one line when no server is given, or the URL is unusable", async () => {
    const cwd = makeTempDir("bga-lg-cli-");
    const none = await runCli(["langgraph-runs"], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/set LANGGRAPH_API_URL .* or pass --url/);
    const bad = await runCli(["langgraph-runs", "--url", "ftp://example.com"], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/LANGGRAPH_API_URL=\(hidden\) is invalid: expected an http\(s\) URL/);
  });

  it("exits 1 and says so when the server does not answer, as text and as --json", async () => {
    const cwd = makeTempDir("bga-lg-cli-");
    const url = `http://127.0.0.1:${await freePort()}`;
    const text = await runCli(["langgraph-runs"], { cwd, env: { LANGGRAPH_API_URL: url } });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`${url}: not reachable: reading threads and runs: .*(ECONNREFUSED|fetch failed)`));
    const json = await runCli(["langgraph-runs", "--url", url, "--json"], { cwd });
    expect(json.code).toBe(1);
    expect(parseJson(json)).toMatchObject({ enabled: true, url, reachable: false, findings: [] });
  });
});
