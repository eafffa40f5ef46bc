/**
 * The README's config table and `.env.example`, generated from VARIABLES so they cannot drift
 * (`npm run docs:config` writes them; test/config-docs.test.ts checks they are current).
 */
import { VARIABLES } from "./schema.js";

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

export const CONFIG_TABLE_START = "<!-- config-table -->";
export const CONFIG_TABLE_END = "<!-- /config-table -->";

/** README text with the generated table between the config-table markers. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(CONFIG_TABLE_START);
  const end = readme.indexOf(CONFIG_TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks ${CONFIG_TABLE_START} … ${CONFIG_TABLE_END}`);
  return readme.slice(0, start + CONFIG_TABLE_START.length) + "\n" + configTableMarkdown() + "\n" + readme.slice(end);
}
