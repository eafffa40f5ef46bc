/** Every relative link in README.md and docs/ leads to a file that exists, and every #anchor to a heading. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { brokenLinks, headingAnchors, linksOf } from "../helpers/markdown-links.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(() => removeTempDirs());

const pages = ["README.md", ...readdirSync("docs").filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

describe("docs links", () => {
  it("README.md and every page in docs/ have only links that resolve", () => {
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.flatMap((p) => brokenLinks(process.cwd(), p))).toEqual([]);
  });

  it("README links every page in docs/", () => {
    const linked = new Set(linksOf(readFileSync("README.md", "utf8")).map((l) => l.target.split("#")[0]));
    for (const page of pages.filter((p) => p !== "README.md")) expect(linked, page).toContain(page);
  });

  it("reports a missing file, a missing anchor, and ignores code and external links", () => {
    const root = makeTempDir();
    mkdirSync(join(root, "docs"));
    writeFileSync(join(root, "docs/a.md"), "# A page\n\n## Setup: step 1 → 2\n\n## Setup: step 1 → 2\n");
    writeFileSync(join(root, "README.md"), [
      "[ok](docs/a.md) [ok](docs/a.md#a-page) [ok](docs/a.md#setup-step-1--2-1) [web](https://example.com/x.md)",
      "[gone](docs/b.md) [no anchor](docs/a.md#setup) `[code](docs/c.md)`",
      "```", "[in a block](docs/d.md)", "```",
      "[self](#a-heading)", "## A heading",
    ].join("\n"));
    expect(brokenLinks(root, "README.md").map((b) => [b.line, b.target])).toEqual([[2, "docs/b.md"], [2, "docs/a.md#setup"]]);
    expect([...headingAnchors("## `bg-agents status --help`\n## LangSmithBridgeAgent: data → store")])
      .toEqual(["bg-agents-status---help", "langsmithbridgeagent-data--store"]);
  });
});
