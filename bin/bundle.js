/**
 * Bundles the system agents' processes (`node bin/bundle.js`, a step of `npm run build`): the
 * agent runtime and the built-in graph modules from dist/, each an entry of one esbuild build
 * whose shared code is split into chunks, so a process loads one LangGraph. About 400 modules
 * become a few files: loading an agent takes about half the CPU (start-up is three such loads
 * on two cores). Native and optional packages stay outside, loaded from node_modules.
 * Plain JavaScript on purpose: it runs while dist/ is being built.
 */
import { existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
export const BUNDLE_DIR = "dist/bundle";
const GRAPHS = ["heartbeat-health", "performance-monitor", "langsmith-bridge", "system-initializer"];
/** Native addons, and what a bundled package only requires when present. */
const EXTERNAL = ["better-sqlite3", "fs-ext", "pg-native"];

const AGENT_MAIN = "dist/src/agents/runtime/agent-main.js";

/** Writes dist/bundle/ from dist/ (synchronous, like the rest of the build check); returns its path, or undefined when dist/ has no agent runtime to bundle. */
export function bundle(root = ROOT) {
  if (!existsSync(join(root, AGENT_MAIN))) return undefined;
  const { buildSync } = createRequire(join(root, "package.json"))("esbuild");
  const out = join(root, BUNDLE_DIR);
  rmSync(out, { recursive: true, force: true });
  buildSync({
    absWorkingDir: root,
    entryPoints: {
      "agent-main": join(root, AGENT_MAIN),
      ...Object.fromEntries(GRAPHS.map((g) => [`graphs/${g}`, join(root, `dist/graphs/${g}.js`)])),
    },
    outdir: out,
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
  });
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) bundle();
