/** What every process of the package shares: exit codes, the main wrapper, whether another process lives. */
export { EXIT, exitCodeFor, describeFailure } from "./exit-codes.js";
export { runMain, exitFlushed, type RunMainOptions } from "./run-main.js";
export { pidAlive, pidSpaceId } from "./pid.js";
