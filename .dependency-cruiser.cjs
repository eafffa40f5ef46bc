/**
 * The layers of src/, checked by `npm run lint:layers` (dependency-cruiser; cycles are
 * `npm run lint:cycles`). From the bottom up, each layer imports only from layers below it:
 *
 *   base         config, errors, clock, logging, locking, storage, tracing, views, process,
 *                intelligence (pure detectors), docs (generated-block helpers), version.ts,
 *                env-file.ts: no knowledge of agents, servers or commands
 *   supervision  the supervisor record, the instance lock, the restart rule (read by everyone)
 *   agents       the agent runtime and the agents' nodes; beside it client (AgentClient),
 *                integrations (withHeartbeat), notify (the notifier and its channels) and
 *                langgraph-watch (the LangGraph server watcher the dashboard and CLI use)
 *   diagnostics  db-check, doctor, raw state, logs (the one reader of the SQLite file besides storage)
 *   http         the dashboard/API server
 *   supervisor   starts agents as processes and heals them
 *   app          the composition root: supervisor + dashboard + signals
 *   cli          the commands; bin/ and the entry files (src/main.ts, src/index.ts) on top
 *
 * graphs/ is wiring on top of src/agents; src/ never imports it. SQLite stays behind
 * src/storage/sqlite: only open-store.ts and the diagnostics reach in.
 */
const path = require("node:path");

const BASE = "^src/(config|errors|clock|logging|locking|storage|tracing|views|process|intelligence|docs|types)/|^src/(version|env-file)[.]ts$";
const ABOVE_BASE = "^src/(supervision|agents|client|integrations|notify|langgraph-watch|diagnostics|http|supervisor|app|cli)/|^src/(main|index)[.]ts$";
const SQLITE = "node_modules/(@types/)?better-sqlite3/|node_modules/@langchain/langgraph-checkpoint-sqlite/|^src/storage/sqlite/";

/** A rule that forbids `from` to import `to`. */
const forbid = (name, comment, from, to) => ({ name, comment, severity: "error", from, to });

module.exports = {
  forbidden: [
    forbid("base-stays-below", "The base layer knows nothing of supervision, agents, diagnostics, servers, the supervisor or commands.",
      { path: BASE }, { path: ABOVE_BASE }),
    forbid("supervision-below-its-readers", "src/supervision is read by http, cli and diagnostics, so it imports only the base.",
      { path: "^src/supervision/" }, { path: "^src/(agents|client|integrations|notify|langgraph-watch|diagnostics|http|supervisor|app|cli)/|^src/(main|index)[.]ts$" }),
    forbid("agents-below-servers", "Agents (and AgentClient) run inside any process: they never import the server, the supervisor, the diagnostics or commands.",
      { path: "^src/(agents|client|integrations|notify|langgraph-watch)/" }, { path: "^src/(diagnostics|http|supervisor|app|cli)/|^src/(main|index)[.]ts$" }),
    forbid("langgraph-watch-only-for-readers", "The LangGraph watcher runs where people look (the dashboard, the CLI), never in an agent process, the supervisor or the diagnostics.",
      { path: "^src/(agents|client|integrations|notify|diagnostics|supervisor|supervision)/" }, { path: "^src/langgraph-watch/" }),
    forbid("diagnostics-below-servers", "Diagnostics read the database and logs; they never import agents, the server, the supervisor or commands.",
      { path: "^src/diagnostics/" }, { path: "^src/(agents|client|integrations|notify|langgraph-watch|http|supervisor|app|cli)/|^src/(main|index)[.]ts$" }),
    forbid("http-not-supervisor", "The HTTP server reads what the supervisor writes through src/supervision; it never imports the supervisor, the app or commands.",
      { path: "^src/http/" }, { path: "^src/(supervisor|app|cli)/|^src/(main|index)[.]ts$" }),
    forbid("supervisor-not-app", "The supervisor runs agents; putting it together with the dashboard is src/app's job.",
      { path: "^src/supervisor/" }, { path: "^src/(diagnostics|http|app|cli)/|^src/(main|index)[.]ts$" }),
    forbid("app-only-from-the-top", "Only the CLI and the entry files use the composition root.",
      { path: "^src/", pathNot: "^src/(app|cli)/|^src/(main|index)[.]ts$" }, { path: "^src/app/" }),
    forbid("cli-on-top", "Nothing in src/ imports the CLI (bin/ runs it).",
      { path: "^src/", pathNot: "^src/cli/" }, { path: "^src/cli/" }),
    {
      ...forbid("src-not-graphs", "graphs/ is wiring on top of src/: src/ gets a graph handed in (buildGraph), never imports one.",
        { path: "^src/" }, { path: "^graphs/" }),
      severity: "error",
    },
    forbid("graphs-on-agents", "A graph module wires an agent's nodes: it imports src/agents and the base, never servers, the supervisor or commands.",
      { path: "^graphs/" }, { path: "^src/(diagnostics|http|supervisor|supervision|app|cli)/|^src/(main|index)[.]ts$" }),
    forbid("sqlite-behind-storage", "SQLite is reached only through openStore() and the storage roles; the diagnostics read a broken or foreign file directly.",
      { path: "^(src|graphs|bin)/", pathNot: "^src/storage/sqlite/|^src/storage/open-store[.]ts$|^src/diagnostics/" }, { path: SQLITE }),
    forbid("not-to-test", "Shipped code never imports the tests or their fixtures.",
      { path: "^(src|graphs|bin)/" }, { path: "^test/" }),
    forbid("not-to-dev-dep", "Shipped code imports only dependencies, not devDependencies (they are not installed for users).",
      { path: "^(src|graphs|bin)/" }, { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] }),
    forbid("not-to-unresolvable", "Every import resolves to a file or an installed package (the dashboard page's /assets/vendor/ URLs are served by src/http/routes/page.ts from node_modules; bin/ imports the build output, dist/, which exists once built).",
      {}, { couldNotResolve: true, pathNot: "^/assets/vendor/|(^|/)dist/" }),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: path.join(__dirname, "tsconfig.json") },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
