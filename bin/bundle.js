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
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
export const BUNDLE_DIR = "dist/bundle";
export const MANIFEST = "manifest.json";
const AGENT_MAIN = "dist/src/agents/runtime/agent-main.js";
/**
 * How long a chunk an earlier bundle wrote is kept once a rebuild no longer writes it (the last
 * bundle's own chunks are kept in any case): a process started before the rebuild still loads the
 * chunks it imports lazily. A chunk's name carries its content's hash, so old and new never clash.
 */
export const KEEP_OLD_CHUNKS_MS = 7 * 24 * 3600_000;
/** Native addons, and what a bundled package only requires when present. */
const EXTERNAL = ["better-sqlite3", "fs-ext", "pg-native"];

/**
 * The package an input file belongs to, as `node_modules/a/package.json` (or
 * `node_modules/a/node_modules/b/package.json` for a copy nested in another): the names it is found
 * by from the package root, as Node finds them, so the key holds wherever npm hoisted it;
 * undefined for a file of no package in node_modules, or of this package itself.
 */
function packageJsonOf(root, input) {
  const path = resolve(root, input);
  if (path.startsWith(root + sep) && !relative(root, path).startsWith("node_modules" + sep)) return undefined;
  const parts = path.split(sep);
  const chain = [];
  for (let at = parts.indexOf("node_modules"); at >= 0 && at < parts.length - 1; at = parts.indexOf("node_modules", at + 1)) {
    chain.push(parts[at + 1].startsWith("@") ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1]);
  }
  return chain.length === 0 ? undefined : chain.map((name) => `node_modules/${name}/`).join("") + "package.json";
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
  const names = key.split("node_modules/").slice(1).map((n) => n.replace(/\/(package\.json)?$/, ""));
  let dir = root;
  for (const name of names) {
    dir = findPackage(dir, name);
    if (dir === undefined) return null;
  }
  try {
    return JSON.parse(readFileSync(names.length > 0 ? join(dir, "package.json") : join(root, key), "utf8")).version ?? null;
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
  rmSync(out, { recursive: true, force: true });
  renameSync(next, out);
  return out;
}

const isChunk = (file) => file.endsWith(".js") && file !== "agent-main.js";

/**
 * Moves the chunks of the bundle at `out` that `next` does not have, if still kept
 * (KEEP_OLD_CHUNKS_MS), into `next`; returns their names.
 */
function carryOverChunks(out, next, now = Date.now()) {
  if (!existsSync(out)) return [];
  let own = [];
  try {
    own = JSON.parse(readFileSync(join(out, MANIFEST), "utf8")).chunks ?? [];
  } catch {
    // a bundle without a manifest: only its age counts
  }
  const written = new Set(readdirSync(next));
  for (const file of readdirSync(out).filter((f) => isChunk(f) && !written.has(f))) {
    const path = join(out, file);
    if (own.includes(file) || now - statSync(path).mtimeMs < KEEP_OLD_CHUNKS_MS) renameSync(path, join(next, file));
  }
  return readdirSync(next).filter((f) => isChunk(f) && !written.has(f));
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
