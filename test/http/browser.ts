/**
 * Real Chromium for the dashboard tests and benchmark (Debian's /usr/bin/chromium via playwright-core).
 * Without it: locally the browser tests are skipped with a loud warning; with CI=true they run and fail.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
export const IN_CI = process.env.CI === "true";

/** True when the browser tests must be skipped (no Chromium and not in CI); warns loudly. */
export function skipBrowserTests(): boolean {
  if (HAS_CHROMIUM || IN_CI) return false;
  console.warn(
    `\n${"!".repeat(78)}\n!! Dashboard browser tests SKIPPED: no Chromium at ${CHROMIUM_PATH}.\n` +
      `!! Install it with: sudo apt-get install -y chromium   (or set CHROMIUM_PATH)\n` +
      `!! In CI (CI=true) these tests run and fail without it.\n${"!".repeat(78)}\n`,
  );
  return true;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
