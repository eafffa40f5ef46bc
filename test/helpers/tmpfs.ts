/**
 * A real small tmpfs (root only) for disk-full and read-only cases: `mountTmpfs()` mounts one on a
 * fresh temp dir, `fill()` writes a file until ENOSPC, `free()` deletes it, `remount()` switches
 * ro/rw. `unmountAll()` (call it in afterAll/afterEach) unmounts every one still mounted.
 */
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "./temp-dir.js";

export interface Tmpfs {
  dir: string;
  /** Fills the file system up to the last byte. */
  fill(): void;
  /** Removes what fill() wrote. */
  free(): void;
  remount(mode: "ro" | "rw"): void;
  unmount(): void;
}

const mounted = new Set<string>();

export function mountTmpfs(sizeBytes: number): Tmpfs {
  const dir = makeTempDir("bga-tmpfs-");
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeBytes}`, "tmpfs", dir]);
  mounted.add(dir);
  const filler = join(dir, "filler");
  return {
    dir,
    fill() {
      try {
        writeFileSync(filler, Buffer.alloc(sizeBytes), { flag: "a" });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
      }
    },
    free: () => rmSync(filler, { force: true }),
    remount: (mode) => execFileSync("mount", ["-o", `remount,${mode}`, dir]),
    unmount: () => unmount(dir),
  };
}

function unmount(dir: string): void {
  if (!mounted.delete(dir)) return;
  execFileSync("umount", ["-l", dir]);
}

export function unmountAll(): void {
  for (const dir of [...mounted]) unmount(dir);
}
