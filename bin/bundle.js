/**
 * Bundles the system agents' processes (`node bin/bundle.js`, a step of `npm run build`): the
 * agent runtime and the built-in graph modules from dist/, each an entry of one esbuild build
 * whose shared code is split into chunks, so a process loads one LangGraph. About 400 modules
 * become a few files: loading an agent takes about half the CPU (start-up is three such loads
 * on two cores). Native and optional packages stay outside, loaded from node_modules.
 *
 * The bundle holds copies of packages from node_modules, so it also writes MANIFEST: the version
 * of each package it copied (by its package.json path). bundleMatchesInstall() compares them
 * with what is installed now; the supervisor runs the bundle only when they match (otherwise the
 * unbundled runtime, which loads node_modules as they are).
 * Plain JavaScript on purpose: it runs while dist/ is being built.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
export const BUNDLE_DIR = "dist/bundle";
export const MANIFEST = "manifest.json";
const AGENT_MAIN = "dist/src/agents/runtime/agent-main.js";
/**
 * How long a chunk an earlier bundle wrote is kept after the rebuild that stopped writing it: a
 * process started before the rebuild still loads the chunks it imports lazily. A chunk's name
 * carries its content's hash, so old and new never clash.
 */
export const KEEP_OLD_CHUNKS_MS = 7 * 24 * 3600_000;
/** Native addons, and what a bundled package only requires when present. */
const EXTERNAL = ["better-sqlite3", "fs-ext", "pg-native"];

/**
 * The package an input file belongs to, as `node_modules/a/package.json` (or
 * `node_modules/a/node_modules/b/package.json` for a copy nested in another): the names it is found
 * by from the package root, as Node finds them, so the key holds wherever npm hoisted it. Where
 * those names do not lead to it (pnpm's store, say), its path relative to the root (starting with
 * "."). Undefined for a file of no package in node_modules, or of this package itself.
 */
function packageJsonOf(root, input) {
  const path = resolve(root, input);
  if (path.startsWith(root + sep) && !relative(root, path).startsWith("node_modules" + sep)) return undefined;
  const parts = path.split(sep);
  const chain = [];
  let dir;
  for (let at = parts.indexOf("node_modules"); at >= 0 && at < parts.length - 1; at = parts.indexOf("node_modules", at + 1)) {
    const scoped = parts[at + 1].startsWith("@");
    dir = parts.slice(0, at + (scoped ? 3 : 2)).join(sep);
    if (!parts[at + 1].startsWith(".")) chain.push(scoped ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1]);
  }
  if (dir === undefined) return undefined;
  const key = chain.map((name) => `node_modules/${name}/`).join("") + "package.json";
  if (packageDirOf(root, key) === realpathSync(dir)) return key;
  const rel = relative(root, join(dir, "package.json")).split(sep).join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/** The real directory a chain key of packageJsonOf leads to from `root`, or undefined. */
function packageDirOf(root, key) {
  let dir = root;
  for (const name of key.split("node_modules/").slice(1).map((n) => n.replace(/\/(package\.json)?$/, ""))) {
    dir = findPackage(dir, name);
    if (dir === undefined) return undefined;
  }
  return realpathSync(dir);
}

/** The directory of package `name` as Node finds it from `dir`: in node_modules of `dir` or of the nearest ancestor that has it. */
function findPackage(dir, name) {
  for (let d = dir; ; d = dirname(d)) {
    if (basename(d) !== "node_modules" && existsSync(join(d, "node_modules", name, "package.json"))) return join(d, "node_modules", name);
    if (dirname(d) === d) return undefined;
  }
}

/** The version installed for a key of packageJsonOf, found from `root`; null when it is not installed. */
const versionAt = (root, key) => {
  const dir = key.startsWith(".") ? join(root, dirname(key)) : packageDirOf(root, key);
  try {
    return dir === undefined ? null : JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version ?? null;
  } catch {
    return null;
  }
};

/**
 * Writes dist/bundle/ from dist/ (synchronous, like the rest of the build check) into a fresh
 * folder that then replaces the old one, with the old one's chunks still kept; returns its path,
 * or undefined (and no bundle) when dist/ has no agent runtime to bundle.
 */
export function bundle(root = ROOT) {
  const out = join(root, BUNDLE_DIR);
  if (!existsSync(join(root, AGENT_MAIN))) {
    rmSync(out, { recursive: true, force: true });
    return undefined;
  }
  const { buildSync } = createRequire(join(root, "package.json"))("esbuild");
  const graphs = readdirSync(join(root, "dist/graphs")).filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3));
  const next = `${out}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  mkdirSync(dirname(next), { recursive: true });
  const result = buildSync({
    absWorkingDir: root,
    entryPoints: {
      "agent-main": join(root, AGENT_MAIN),
      ...Object.fromEntries(graphs.map((g) => [`graphs/${g}`, join(root, `dist/graphs/${g}.js`)])),
    },
    outdir: next,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: EXTERNAL,
    // CommonJS packages inside an ES module bundle still call require()
    banner: { js: `import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);` },
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: "none",
    logLevel: "warning",
    metafile: true,
  });
  const packages = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const pkgJson = packageJsonOf(root, input);
    if (pkgJson) packages[pkgJson] ??= versionAt(root, pkgJson);
  }
  const chunks = readdirSync(next).filter(isChunk);
  writeFileSync(join(next, MANIFEST), JSON.stringify({ packages, chunks }, null, 2) + "\n");
  const carried = carryOverChunks(out, next);
  // a package packed from here holds only this bundle's own chunks (a subfolder's .npmignore applies under "files")
  if (carried.length > 0) writeFileSync(join(next, ".npmignore"), carried.join("\n") + "\n");
  // two renames: the path never lacks a whole bundle for longer than between them
  const old = `${out}.old-${process.pid}`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(out)) renameSync(out, old);
  renameSync(next, out);
  rmSync(old, { recursive: true, force: true });
  return out;
}

const isChunk = (file) => file.endsWith(".js") && file !== "agent-main.js";

/**
 * Links (or copies) into `next` the chunks of the bundle at `out` that `next` does not have and
 * that are still kept: those `out` wrote itself, whose keep time starts now, and older ones
 * within KEEP_OLD_CHUNKS_MS of the rebuild that stopped writing them (a file's mtime says when).
 * `out` stays whole meanwhile. Returns their names.
 */
function carryOverChunks(out, next, now = Date.now()) {
  if (!existsSync(out)) return [];
  const old = readdirSync(out).filter(isChunk);
  let own = old; // a bundle whose manifest does not list its chunks: all of them are its own
  try {
    own = JSON.parse(readFileSync(join(out, MANIFEST), "utf8")).chunks ?? old;
  } catch {
    // no manifest either
  }
  const written = new Set(readdirSync(next));
  const carried = [];
  for (const file of old.filter((f) => !written.has(f))) {
    const from = join(out, file);
    const to = join(next, file);
    const since = own.includes(file) ? now : statSync(from).mtimeMs;
    if (now - since >= KEEP_OLD_CHUNKS_MS) continue;
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
    utimesSync(to, since / 1000, since / 1000);
    carried.push(file);
  }
  return carried;
}

/** Whether the packages the bundle copied are the versions installed now (false without a manifest). */
export function bundleMatchesInstall(root = ROOT) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, BUNDLE_DIR, MANIFEST), "utf8"));
  } catch {
    return false;
  }
  return Object.entries(manifest.packages ?? {}).every(([pkgJson, version]) => versionAt(root, pkgJson) === version);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) bundle();
