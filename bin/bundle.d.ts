/** Types of bundle.js (plain JavaScript: it runs while dist/ is being built). */
export const BUNDLE_DIR: string;
export function bundle(root?: string): string | undefined;
