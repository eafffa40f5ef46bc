#!/usr/bin/env node
// The CLI from the compiled dist/ (rebuilt first when the TypeScript changed, see build-check.js).
// BG_AGENTS_FROM_SOURCE=1 runs src/ through tsx instead (development and tests). runMain only
// catches a CLI that cannot even be loaded (exit 3, internal error); the CLI exits by itself.
import { launch } from "./launch.js";

await launch("cli/main");
