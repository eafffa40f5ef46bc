/**
 * The bundle (bin/bundle.js): it counts as matching the install only while every package it copied
 * is still installed at the version it was built from (its manifest), and a rebuild keeps the
 * chunks of the bundle it replaces, which running processes may still import.
 */
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
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
  mkdirSync(join(root, "node_modules"), { recursive: true });
  if (!existsSync(join(root, "node_modules", "esbuild"))) symlinkSync(join(REPO_ROOT, "node_modules", "esbuild"), join(root, "node_modules", "esbuild"));
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

const ageBy = (root: string, files: string[], ms: number) => {
  const t = (Date.now() - ms) / 1000;
  for (const f of files) utimesSync(join(root, BUNDLE_DIR, f), t, t);
};

describe("bundle", () => {
  it("keeps the chunks of the bundle it replaces, so a process started before a rebuild still loads its lazy imports", async () => {
    const root = makeTempDir("bga-bundle-");
    lazyPackage(root, "v1");
    bundle(root);
    const [v1] = lazyChunks(root);
    const before = await startBundled(root);
    ageBy(root, [v1!], KEEP_OLD_CHUNKS_MS + 60_000); // a bundle that ran for longer than the keep time

    setLazyValue(root, "v2");
    bundle(root);
    expect(lazyChunks(root)).toHaveLength(2);
    expect(await lazyValue(before)).toEqual({ value: "v1" });
    expect(await lazyValue(await startBundled(root))).toEqual({ value: "v2" });
    const manifest = JSON.parse(readFileSync(join(root, BUNDLE_DIR, MANIFEST), "utf8")) as { chunks: string[] };
    expect(manifest.chunks).not.toContain(v1);
    // a package packed from this folder leaves the old chunk out
    expect(readFileSync(join(root, BUNDLE_DIR, ".npmignore"), "utf8")).toBe(`${v1}\n`);
    const [v2] = lazyChunks(root).filter((f) => f !== v1);

    // the keep time starts at the rebuild that stopped writing a chunk: v1 is still there a rebuild later
    setLazyValue(root, "v3");
    bundle(root);
    expect(lazyChunks(root)).toHaveLength(3);
    expect(await lazyValue(before)).toEqual({ value: "v1" });

    // once that is longer ago than the keep time, it goes; the last bundle's own chunks stay, however old
    ageBy(root, lazyChunks(root), KEEP_OLD_CHUNKS_MS + 60_000);
    setLazyValue(root, "v4");
    bundle(root);
    const now = lazyChunks(root);
    expect(now).toHaveLength(2);
    expect(now).not.toContain(v1);
    expect(now).not.toContain(v2);
    expect(await lazyValue(await startBundled(root))).toEqual({ value: "v4" });
  }, 60_000);

  it("names a package found through a link (pnpm's layout) by the names that lead to it, and one they do not lead to by its path", () => {
    const root = makeTempDir("bga-bundle-");
    lazyPackage(root, "v1");
    const store = (pkg: string) => join(root, "node_modules/.pnpm/dep@1.0.0/node_modules", pkg);
    const writePackage = (dir: string, version: string, main: string) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: dir.split("/").pop(), version, type: "module", main: "index.js" }));
      writeFileSync(join(dir, "index.js"), main);
    };
    writePackage(store("dep"), "1.0.0", `import inner from "inner"; export const value = "dep+" + inner;\n`);
    writePackage(store("inner"), "2.0.0", `export default "inner";\n`); // only dep finds it: pnpm does not hoist it
    symlinkSync(store("dep"), join(root, "node_modules/dep"), "dir");
    writeFileSync(join(root, "dist/src/agents/runtime/lazy.js"), `export { value } from "dep";\n`);
    bundle(root);

    const { packages } = JSON.parse(readFileSync(join(root, BUNDLE_DIR, MANIFEST), "utf8")) as { packages: Record<string, string> };
    expect(packages).toEqual({
      "node_modules/dep/package.json": "1.0.0",
      "./node_modules/.pnpm/dep@1.0.0/node_modules/inner/package.json": "2.0.0",
    });
    expect(bundleMatchesInstall(root)).toBe(true);
    writePackage(store("inner"), "2.0.1", `export default "inner";\n`);
    expect(bundleMatchesInstall(root)).toBe(false);
    writePackage(store("inner"), "2.0.0", `export default "inner";\n`);
    // an update links dep to another copy
    writePackage(join(root, "node_modules/.pnpm/dep@1.1.0/node_modules/dep"), "1.1.0", "export const value = 1;\n");
    rmSync(join(root, "node_modules/dep"));
    symlinkSync(join(root, "node_modules/.pnpm/dep@1.1.0/node_modules/dep"), join(root, "node_modules/dep"), "dir");
    expect(bundleMatchesInstall(root)).toBe(false);
  });
});
