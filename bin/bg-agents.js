#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so a clean clone needs no build step. The CLI exits by
// itself; runMain here only catches a CLI that cannot even be loaded (exit 3, internal error).
import { register } from "tsx/esm/api";

register();
const { runMain } = await import("../src/process/index.ts");
await runMain(async () => {
  await import("../src/cli/main.ts");
});
