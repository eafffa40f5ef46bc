/** Types of bundle.js (plain JavaScript: it runs while dist/ is being built). */
export const BUNDLE_DIR: string;
export const MANIFEST: string;
export const KEEP_OLD_CHUNKS_MS: number;
export function bundle(root?: string): string | undefined;
export function bundleMatchesInstall(root?: string): boolean;
