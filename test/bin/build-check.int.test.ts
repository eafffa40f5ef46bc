/**
 * The compiled runtime's guard (bin/build-check.js) on a small package in a temp dir: a missing or
 * stale dist/ is rebuilt with the real TypeScript compiler, refused when no compiler is installed,
 * and a failed rebuild leaves no stamp, so the next start tries again instead of running old code.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BuildError, ensureFreshBuild, staleReason, STAMP_FILE } from "../../bin/build-check.js";
import { REPO_ROOT } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

function makePackage(opts: { compiler: boolean }): string {
  const root = makeTempDir("bga-build-");
  mkdirSync(join(root, "src"));
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "p", type: "module" }));
  writeFileSync(join(root, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, outDir: "dist", rootDir: ".", types: [] } }));
  writeFileSync(join(root, "tsconfig.build.json"), JSON.stringify({ extends: "./tsconfig.json", include: ["src"] }));
  writeFileSync(join(root, "src", "value.ts"), "export const value: number = 1;\n");
  if (opts.compiler) symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"));
  return root;
}

const built = (root: string) => readFileSync(join(root, "dist", "src", "value.js"), "utf8");

describe("ensureFreshBuild", () => {
  afterEach(() => removeTempDirs());

  it("builds a missing dist/, keeps a fresh one, and rebuilds it once a source changes", () => {
    const root = makePackage({ compiler: true });
    const lines: string[] = [];
    expect(staleReason(root)).toBe("dist/ is missing");
    expect(ensureFreshBuild(root, (l) => lines.push(l))).toEqual({ rebuilt: true });
    expect(built(root)).toContain("value = 1");
    expect(lines.join("\n")).toMatch(/dist\/ is missing; rebuilding/);

    expect(staleReason(root)).toBeUndefined();
    expect(ensureFreshBuild(root, (l) => lines.push(l))).toEqual({ rebuilt: false });

    writeFileSync(join(root, "src", "value.ts"), "export const value: number = 2;\n");
    expect(staleReason(root)).toMatch(/sources changed/);
    expect(ensureFreshBuild(root, (l) => lines.push(l))).toEqual({ rebuilt: true });
    expect(built(root)).toContain("value = 2");
  }, 120_000);

  it("refuses a stale dist/ when no compiler is installed, saying what to run", () => {
    const root = makePackage({ compiler: false });
    mkdirSync(join(root, "dist"));
    writeFileSync(join(root, STAMP_FILE), JSON.stringify({ sourceHash: "old" }));
    let err: unknown;
    try {
      ensureFreshBuild(root, () => {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).code).toBe("BUILD_STALE");
    expect((err as Error).message).toMatch(/sources changed.*npm run build/);
  });

  it("writes no stamp when the rebuild fails, so the next start does not run the old output", () => {
    const root = makePackage({ compiler: true });
    writeFileSync(join(root, "src", "value.ts"), "export const value: number = 'not a number';\n");
    expect(() => ensureFreshBuild(root, () => {})).toThrow(/rebuilding it failed/);
    expect(existsSync(join(root, STAMP_FILE))).toBe(false);
    expect(staleReason(root)).toBeDefined();
  }, 120_000);
});
