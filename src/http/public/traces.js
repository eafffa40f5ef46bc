// The LangSmith traces panel: per-agent error rate and latency, and the newest run summaries with
// links into LangSmith (stored by the LangSmithBridgeAgent; GET /api/traces). Mounts itself at the
// end of <main> and refreshes every 10 s. Links are only http(s) and open in a new tab.
import { getJson } from "./api.js";
import { ago, fill, h } from "./dom.js";

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const ms = (x) => (x === null || x === undefined ? "–" : `${Math.round(x)} ms`);

function safeLink(url) {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

function mount() {
  let section = document.getElementById("traces");
  if (section) return section;
  section = h("section", { id: "traces", "aria-label": "LangSmith traces" },
    h("h2", {}, "LangSmith traces"),
    h("p", { id: "traces-note", class: "muted" }, "Loading…"),
    h("table", { id: "traces-stats" }),
    h("table", { id: "traces-runs" }));
  document.querySelector("main")?.append(section);
  return section;
}

function table(el, headers, rows) {
  fill(el, h("thead", {}, h("tr", {}, headers.map((t) => h("th", {}, t)))), h("tbody", {}, rows));
}

export async function refreshTraces() {
  mount();
  const note = document.getElementById("traces-note");
  let data;
  try {
    ({ data } = await getJson("/api/traces?limit=25"));
  } catch (e) {
    note.textContent = `Traces unavailable: ${e.message}`;
    return;
  }
  const now = Date.now();
  note.textContent = data.runs.length
    ? `Project "${data.project}": newest ${data.runs.length} agent cycles.`
    : `No run summaries stored yet. ${data.note ?? ""}`;
  table(document.getElementById("traces-stats"), ["Agent", "Runs (1 h)", "Error rate", "Avg latency", "p95 latency", "Last run"],
    data.stats.map((s) => h("tr", {},
      h("td", {}, s.agent), h("td", {}, String(s.runs)), h("td", { class: s.errors ? "error" : null }, pct(s.errorRate)),
      h("td", {}, ms(s.avgLatencyMs)), h("td", {}, ms(s.p95LatencyMs)), h("td", {}, s.lastRunAt ? ago(now - Date.parse(s.lastRunAt)) : "–"))));
  table(document.getElementById("traces-runs"), ["Started", "Agent", "Run", "Status", "Latency", "Error"],
    data.runs.map((r) => {
      const href = r.link ? safeLink(r.link) : null;
      return h("tr", { "data-run": r.runId },
        h("td", {}, ago(now - Date.parse(r.startedAt))), h("td", {}, r.agent),
        h("td", {}, href ? h("a", { href, target: "_blank", rel: "noopener noreferrer" }, r.name) : r.name),
        h("td", { class: `run-${r.status}` }, r.status), h("td", {}, ms(r.latencyMs)), h("td", {}, r.error ?? ""));
    }));
}

void refreshTraces();
setInterval(() => void refreshTraces(), 10_000);
