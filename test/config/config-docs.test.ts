/** docs/configuration.md's config table and .env.example list every variable loadConfig reads, as generated. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_PAGE, envExample, withConfigTable } from "../../src/config/docs.js";
import { VARIABLES } from "../../src/config/schema.js";

describe("config docs", () => {
  it("docs/configuration.md's config table is current (run `npm run docs:config`)", () => {
    const page = readFileSync(CONFIG_PAGE, "utf8");
    expect(withConfigTable(page)).toBe(page);
    for (const v of VARIABLES) expect(page).toContain(`| \`${v.env}\` |`);
  });

  it(".env.example is current and names every variable", () => {
    const text = readFileSync(".env.example", "utf8");
    expect(text).toBe(envExample());
    for (const v of VARIABLES) expect(text).toMatch(new RegExp(`^#? ?${v.env}=`, "m"));
  });
});
