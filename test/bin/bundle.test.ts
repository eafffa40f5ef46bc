/**
 * The bundle's manifest (bin/bundle.js): the bundle counts as matching the install only while
 * every package it copied is still installed at the version it was built from.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BUNDLE_DIR, bundleMatchesInstall, MANIFEST } from "../../bin/bundle.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(() => removeTempDirs());

function installed(root: string, name: string, version: string): void {
  mkdirSync(join(root, "node_modules", name), { recursive: true });
  writeFileSync(join(root, "node_modules", name, "package.json"), JSON.stringify({ name, version }));
}

describe("bundleMatchesInstall", () => {
  it("matches while every copied package has its version, and not once one moved, went, or without a manifest", () => {
    const root = makeTempDir("bga-bundle-");
    expect(bundleMatchesInstall(root)).toBe(false); // no bundle, no manifest
    installed(root, "lib-a", "1.0.0");
    installed(root, "@scope/lib-b", "2.3.4");
    mkdirSync(join(root, BUNDLE_DIR), { recursive: true });
    writeFileSync(join(root, BUNDLE_DIR, MANIFEST), JSON.stringify({ packages: {
      "node_modules/lib-a/package.json": "1.0.0", "node_modules/@scope/lib-b/package.json": "2.3.4" } }));
    expect(bundleMatchesInstall(root)).toBe(true);
    installed(root, "@scope/lib-b", "2.4.0");
    expect(bundleMatchesInstall(root)).toBe(false);
    installed(root, "@scope/lib-b", "2.3.4");
    expect(bundleMatchesInstall(root)).toBe(true);
    writeFileSync(join(root, BUNDLE_DIR, MANIFEST), JSON.stringify({ packages: { "node_modules/gone/package.json": "1.0.0" } }));
    expect(bundleMatchesInstall(root)).toBe(false);
  });
});
