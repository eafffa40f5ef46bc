/**
 * The compiled runtime's guard: dist/ holds a stamp (a hash of the TypeScript it was built from,
 * written by `npm run build`); a launcher calls ensureFreshBuild() before importing dist/, so a
 * missing or stale dist/ is rebuilt (when TypeScript is installed) or refused, never silently run.
 * Plain JavaScript on purpose: it runs before anything compiled exists.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { BUNDLE_DIR, bundle, bundleMatchesInstall } from "./bundle.js";

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const STAMP_FILE = "dist/build-stamp.json";
/** What `tsc -p tsconfig.build.json` compiles, plus the settings that change its output. */
const SOURCE_DIRS = ["src", "graphs"];
const SETTINGS = ["tsconfig.json", "tsconfig.build.json"];

export class BuildError extends Error {
  constructor(message) {
    super(message);
    this.name = "BuildError";
    this.code = "BUILD_STALE";
  }
}

function tsFiles(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tsFiles(path, out);
    else if (/\.(m|c)?ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** A hash of every source file's path and content (sorted, so the order of the walk does not matter). */
export function sourceHash(root = PACKAGE_ROOT) {
  const files = SOURCE_DIRS.flatMap((d) => tsFiles(join(root, d)));
  for (const s of SETTINGS) if (existsSync(join(root, s))) files.push(join(root, s));
  const hash = createHash("sha256");
  for (const file of files.map((f) => relative(root, f).split(sep).join("/")).sort()) {
    hash.update(file).update("\0").update(readFileSync(join(root, file))).update("\0");
  }
  return hash.digest("hex");
}

export function writeStamp(root = PACKAGE_ROOT) {
  const stamp = { sourceHash: sourceHash(root), builtAt: new Date().toISOString() };
  writeFileSync(join(root, STAMP_FILE), JSON.stringify(stamp, null, 2) + "\n");
  return stamp;
}

/** Why dist/ cannot be run as it is, or undefined when it matches the sources. */
export function staleReason(root = PACKAGE_ROOT) {
  const file = join(root, STAMP_FILE);
  if (!existsSync(file)) return existsSync(join(root, "dist")) ? "dist/ has no build stamp" : "dist/ is missing";
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return `${STAMP_FILE} is unreadable`;
  }
  return stamp.sourceHash === sourceHash(root) ? undefined : "the TypeScript sources changed since dist/ was built";
}

function typescriptCompiler(root) {
  try {
    return createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
  } catch {
    return undefined;
  }
}

/**
 * Returns once dist/ matches the sources: rebuilds it when it does not and TypeScript is
 * installed (a line on stderr says so), throws a BuildError saying what to run otherwise.
 */
export function ensureFreshBuild(root = PACKAGE_ROOT, log = (line) => process.stderr.write(line + "\n")) {
  const reason = staleReason(root);
  if (reason === undefined) {
    if (existsSync(join(root, "dist/src/agents/runtime/agent-main.js")) && !bundleMatchesInstall(root)) {
      log("bg-agents: the system agents' bundle (dist/bundle) does not match the installed packages; rebundling it...");
      rebundle(root, log);
    }
    return { rebuilt: false };
  }
  const tsc = typescriptCompiler(root);
  if (tsc === undefined || !existsSync(join(root, "tsconfig.build.json"))) {
    throw new BuildError(`${reason} and TypeScript is not installed to rebuild it: run \`npm install\` (it builds) or \`npm run build\` in ${root}.`);
  }
  log(`bg-agents: ${reason}; rebuilding it (npm run build)...`);
  try {
    execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  } catch {
    throw new BuildError(`${reason} and rebuilding it failed (the compiler's errors are above): fix them and run \`npm run build\`.`);
  }
  rebundle(root, log);
  writeStamp(root);
  return { rebuilt: true };
}

/** Bundles the system agents; a failure leaves no bundle (they then run unbundled, only slower to start). */
function rebundle(root, log) {
  try {
    bundle(root);
  } catch (e) {
    try {
      rmSync(join(root, BUNDLE_DIR), { recursive: true, force: true });
    } catch {
      // a read-only install: its manifest no longer matches, so the supervisor runs the agents unbundled
    }
    log(`bg-agents: bundling the system agents failed (${e?.message ?? e}); they run unbundled (npm run build tries again).`);
  }
}

// `node bin/build-check.js --write`: the last step of `npm run build`
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv.includes("--write")) {
  writeStamp();
}
