/**
 * This package on disk: its root (the nearest directory above this file whose package.json is
 * background-agents, from src/ under tsx, dist/src/ when built, or dist/bundle/) and its version.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findPackage(): { root: string; version: string } {
  const start = dirname(fileURLToPath(import.meta.url));
  let dir = start;
  for (let i = 0; i < 5; i++) {
    const p = join(dir, "package.json");
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "background-agents") return { root: dir, version: pkg.version ?? "0.0.0" };
    }
    dir = dirname(dir);
  }
  // a copy under another name: the root by this file's place (src/, dist/src/ or dist/bundle/)
  return { root: start.replace(/[\\/](dist[\\/](src|bundle)|src)$/, ""), version: "0.0.0" };
}

const found = findPackage();

export const PACKAGE_ROOT = found.root;
export const VERSION = found.version;
