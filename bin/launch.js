/**
 * Starts an entry of the package (`cli/main`, `main`) in this process: from dist/ once
 * ensureFreshBuild() has checked it against the sources, or from src/ through tsx when
 * BG_AGENTS_FROM_SOURCE=1. No second process: the entry runs where the launcher runs.
 */
import { setFlagsFromString } from "node:v8";
import { BuildError, ensureFreshBuild } from "./build-check.js";

// As in every agent process (AGENT_NODE_FLAGS in src/supervisor/child.ts): one full GC when V8
// shrinks the heap after start-up, not three. Set before the build check and the entry run: set
// once V8's memory reducer has started its GCs (after a rebuild that blocked for seconds, say), it
// trips a V8 check that aborts the process.
setFlagsFromString("--memory-reducer-single-gc");

const USAGE_EXIT = 2;

export async function launch(entry) {
  if (process.env.BG_AGENTS_FROM_SOURCE === "1") {
    const { register } = await import("tsx/esm/api");
    register();
    const { runMain } = await import("../src/process/index.ts");
    return runMain(() => import(`../src/${entry}.ts`));
  }
  try {
    ensureFreshBuild();
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    process.stderr.write(`bg-agents: ${e.message}\n`);
    process.exit(USAGE_EXIT);
  }
  const { runMain } = await import("../dist/src/process/index.js");
  return runMain(() => import(`../dist/src/${entry}.js`));
}
