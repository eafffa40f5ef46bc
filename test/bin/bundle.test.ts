/**
 * The bundle (bin/bundle.js): it counts as matching the install only while every package it copied
 * is still installed at the version it was built from (its manifest), and a rebuild keeps the
 * chunks of the bundle it replaces, which running processes may still import.
 */
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bundle, BUNDLE_DIR, bundleMatchesInstall, KEEP_OLD_CHUNKS_MS, MANIFEST } from "../../bin/bundle.js";
import { REPO_ROOT } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(() => removeTempDirs());

function installed(root: string, name: string, version: string): void {
  mkdirSync(join(root, "node_modules", name), { recursive: true });
  writeFileSync(join(root, "node_modules", name, "package.json"), JSON.stringify({ name, version }));
}

describe("bundleMatchesInstall", () => {
  it("finds each package as Node does from the package root: installed in a project with its dependencies hoisted, it still matches", () => {
    const project = makeTempDir("bga-project-");
    const root = join(project, "node_modules", "background-agents");
    mkdirSync(join(root, BUNDLE_DIR), { recursive: true });
    // keys as written where the bundle was built (its dependencies in its own node_modules)
    writeFileSync(join(root, BUNDLE_DIR, MANIFEST), JSON.stringify({ packages: {
      "node_modules/lib-a/package.json": "1.0.0", "node_modules/lib-a/node_modules/@scope/lib-b/package.json": "2.3.4" } }));
    installed(project, "lib-a", "1.0.0");
    installed(project, "@scope/lib-b", "2.3.4"); // hoisted beside lib-a
    expect(bundleMatchesInstall(root)).toBe(true);
    installed(project, "@scope/lib-b", "2.4.0");
    expect(bundleMatchesInstall(root)).toBe(false);
    installed(join(project, "node_modules", "lib-a"), "@scope/lib-b", "2.3.4"); // lib-a's own copy is the one Node finds
    expect(bundleMatchesInstall(root)).toBe(true);
    installed(root, "lib-a", "0.9.0"); // and a copy in the package's own node_modules comes first
    expect(bundleMatchesInstall(root)).toBe(false);
  });


  it("matches while every copied package has its version, and not once one moved, went, or without a manifest", () => {
    const root = makeTempDir("bga-bundle-");
    expect(bundleMatchesInstall(root)).toBe(false); // no bundle, no manifest
    installed(root, "lib-a", "1.0.0");
    installed(root, "@scope/lib-b", "2.3.4");
    mkdirSync(join(root, BUNDLE_DIR), { recursive: true });
    writeFileSync(join(root, BUNDLE_DIR, MANIFEST), JSON.stringify({ packages: {
      "node_modules/lib-a/package.json": "1.0.0", "node_modules/@scope/lib-b/package.json": "2.3.4" } }));
    expect(bundleMatchesInstall(root)).toBe(true);
    installed(root, "@scope/lib-b", "2.4.0");
    expect(bundleMatchesInstall(root)).toBe(false);
    installed(root, "@scope/lib-b", "2.3.4");
    expect(bundleMatchesInstall(root)).toBe(true);
    writeFileSync(join(root, BUNDLE_DIR, MANIFEST), JSON.stringify({ packages: { "node_modules/gone/package.json": "1.0.0" } }));
    expect(bundleMatchesInstall(root)).toBe(false);
  });
});

/** A package whose agent runtime imports a module lazily, when its parent asks (IPC). */
function lazyPackage(root: string, value: string): void {
  const runtime = join(root, "dist/src/agents/runtime");
  mkdirSync(runtime, { recursive: true });
  mkdirSync(join(root, "dist/graphs"), { recursive: true });
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "lazy-fixture", type: "module" }));
  if (!existsSync(join(root, "node_modules"))) symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"));
  writeFileSync(join(root, "dist/graphs/g.js"), "export const graph = {};\n");
  writeFileSync(join(runtime, "agent-main.js"), `
    process.on("message", async () => {
      try { process.send({ value: (await import("./lazy.js")).value }); } catch (e) { process.send({ error: String(e) }); }
    });
    process.send({ ready: true });
  `);
  setLazyValue(root, value);
}

const setLazyValue = (root: string, value: string) =>
  writeFileSync(join(root, "dist/src/agents/runtime/lazy.js"), `export const value = ${JSON.stringify(value)};\n`);

const lazyChunks = (root: string) => readdirSync(join(root, BUNDLE_DIR)).filter((f) => f.startsWith("lazy-")).sort();

async function startBundled(root: string): Promise<ChildProcess> {
  const child = fork(join(root, BUNDLE_DIR, "agent-main.js"), { stdio: ["ignore", "ignore", "pipe", "ipc"] });
  children.push(child);
  await once(child, "message");
  return child;
}

async function lazyValue(child: ChildProcess): Promise<{ value?: string; error?: string }> {
  const answer = once(child, "message");
  child.send("load");
  return (await answer)[0] as { value?: string; error?: string };
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

describe("bundle", () => {
  it("keeps the chunks of the bundle it replaces, so a process started before a rebuild still loads its lazy imports", async () => {
    const root = makeTempDir("bga-bundle-");
    lazyPackage(root, "v1");
    bundle(root);
    const [v1] = lazyChunks(root);
    const before = await startBundled(root);

    setLazyValue(root, "v2");
    bundle(root);
    expect(lazyChunks(root)).toHaveLength(2);
    expect(await lazyValue(before)).toEqual({ value: "v1" });
    expect(await lazyValue(await startBundled(root))).toEqual({ value: "v2" });
    const manifest = JSON.parse(readFileSync(join(root, BUNDLE_DIR, MANIFEST), "utf8")) as { chunks: string[] };
    expect(manifest.chunks).not.toContain(v1);
    // a package packed from this folder leaves the old chunk out
    expect(readFileSync(join(root, BUNDLE_DIR, ".npmignore"), "utf8")).toBe(`${v1}\n`);

    // two rebuilds later, a chunk older than the keep time goes; the last bundle's own chunks stay, however old
    const old = (Date.now() - KEEP_OLD_CHUNKS_MS - 60_000) / 1000;
    for (const f of lazyChunks(root)) utimesSync(join(root, BUNDLE_DIR, f), old, old);
    const [v2] = lazyChunks(root).filter((f) => f !== v1);
    setLazyValue(root, "v3");
    bundle(root);
    const now = lazyChunks(root);
    expect(now).toHaveLength(2);
    expect(now).toContain(v2);
    expect(now).not.toContain(v1);
    expect(await lazyValue(await startBundled(root))).toEqual({ value: "v3" });
  }, 60_000);
});
