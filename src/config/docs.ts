/**
 * The config table of docs/configuration.md and `.env.example`, generated from VARIABLES so they
 * cannot drift (`npm run docs:config` writes them; test/config/config-docs.test.ts checks they are current).
 */
import { withGeneratedBlock } from "../docs/generated-block.js";
import { VARIABLES } from "./schema.js";

/** The page the config table lives in, relative to the repository root. */
export const CONFIG_PAGE = "docs/configuration.md";

export function configTableMarkdown(): string {
  const rows = VARIABLES.map((v) =>
    `| \`${v.env}\` | ${v.default === undefined ? "(unset)" : "`" + v.default + "`"} | ${v.allowed} | ${v.description} |`);
  return ["| variable | default | allowed | what it does |", "|---|---|---|---|", ...rows].join("\n");
}

const LANGSMITH_BLOCK = `# LangSmith tracing (off unless LANGSMITH_TRACING=true and an API key is set)
# LANGSMITH_TRACING=true
# LANGSMITH_API_KEY=lsv2_...
# LANGSMITH_PROJECT=background-agents
# LANGSMITH_ENDPOINT=https://api.smith.langchain.com

# LangGraph CLI: keep the dev server offline
LANGGRAPH_CLI_NO_ANALYTICS=1
`;

export function envExample(): string {
  let out = "# background-agents configuration. Copy to .env; real environment variables win.\n\n";
  for (const v of VARIABLES) {
    out += `# ${v.description}. Allowed: ${v.allowed}.\n${v.default === undefined ? "# " : ""}${v.env}=${v.default ?? ""}\n\n`;
  }
  return out + LANGSMITH_BLOCK;
}

/** The configuration page with the generated table between its `config-table` markers. */
export function withConfigTable(page: string): string {
  return withGeneratedBlock(page, "config-table", configTableMarkdown(), CONFIG_PAGE);
}
