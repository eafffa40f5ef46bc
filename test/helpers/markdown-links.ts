/**
 * The relative links of Markdown pages and whether they resolve: the file exists and, for
 * `#anchor`, the page has a heading with that GitHub anchor. Code blocks and code spans are skipped
 * (their brackets are not links); external (`scheme:`) links are not followed.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";

export interface BrokenLink {
  file: string;
  line: number;
  target: string;
  why: string;
}

/** Lines of `text` outside fenced code blocks, with code spans blanked; [lineNo, text] pairs. */
function proseLines(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let fence: string | null = null;
  text.split("\n").forEach((line, i) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m) {
      if (fence === null) fence = m[1]!;
      else if (m[1]!.startsWith(fence)) fence = null;
      return;
    }
    if (fence === null) out.push([i + 1, line.replace(/`+[^`]*`+/g, "")]);
  });
  return out;
}

/** GitHub's heading anchors (lower case, punctuation dropped, spaces to dashes, -1 -2 for repeats). */
export function headingAnchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fence: string | null = null;
  for (const line of text.split("\n")) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === null) fence = f[1]!;
      else if (f[1]!.startsWith(fence)) fence = null;
      continue;
    }
    const h = fence === null ? /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line) : null;
    if (!h) continue;
    const base = h[1]!.toLowerCase().replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Every `[text](target)` / `![alt](target)` of a page, with its line. */
export function linksOf(text: string): Array<{ line: number; target: string }> {
  const links: Array<{ line: number; target: string }> = [];
  for (const [line, prose] of proseLines(text)) {
    for (const m of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line, target: m[1]! });
  }
  return links;
}

/** The links of `file` (a path under `root`) that do not resolve. */
export function brokenLinks(root: string, file: string): BrokenLink[] {
  const path = resolve(root, file);
  const text = readFileSync(path, "utf8");
  const broken: BrokenLink[] = [];
  for (const { line, target } of linksOf(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined];
    const dest = pathPart === "" ? path : resolve(dirname(path), decodeURIComponent(pathPart));
    const where = { file, line, target };
    if (!existsSync(dest)) { broken.push({ ...where, why: `${relative(root, dest)} does not exist` }); continue; }
    if (anchor === undefined) continue;
    if (statSync(dest).isDirectory() || !dest.endsWith(".md")) { broken.push({ ...where, why: "an anchor into something that is not a Markdown page" }); continue; }
    if (!headingAnchors(readFileSync(dest, "utf8")).has(anchor)) broken.push({ ...where, why: `${relative(root, dest)} has no heading #${anchor}` });
  }
  return broken;
}
