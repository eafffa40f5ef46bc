/** Types of build-check.js (plain JavaScript: it runs before anything is compiled). */
export const PACKAGE_ROOT: string;
export const STAMP_FILE: string;
export class BuildError extends Error {
  readonly code: "BUILD_STALE";
}
export function sourceHash(root?: string): string;
export function writeStamp(root?: string): { sourceHash: string; builtAt: string };
export function staleReason(root?: string): string | undefined;
export function ensureFreshBuild(root?: string, log?: (line: string) => void): { rebuilt: boolean };
