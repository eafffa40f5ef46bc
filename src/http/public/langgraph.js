// The LangGraph server panel (LANGGRAPH_API_URL; GET /api/langgraph/runs): stuck runs, errored
// runs, busy threads and runs in progress, with Cancel (runs.cancel) and, for a stuck run that no
// worker holds, Delete. Everything the LangGraph server sends (ids, graph names, error texts) is
// text. Hidden when no server is watched; refreshes every 15 s.
import { getJson, postJson } from "./api.js";
import { ago, duration, fill, h } from "./dom.js";

const KIND_LABELS = { "stuck-run": "stuck", "errored-run": "errored", "busy-thread": "busy thread", running: "running" };

function mount() {
  let section = document.getElementById("langgraph");
  if (section) return section;
  section = h("section", { id: "langgraph", "aria-label": "LangGraph server runs" },
    h("h2", {}, "LangGraph server runs"),
    h("p", { id: "langgraph-note", class: "muted" }, "Loading…"),
    h("p", { id: "langgraph-msg", role: "status" }),
    h("table", { id: "langgraph-runs" }));
  const agents = document.getElementById("agents");
  if (agents) agents.after(section);
  else document.querySelector("main")?.append(section);
  return section;
}

function say(text, isError) {
  const el = document.getElementById("langgraph-msg");
  el.textContent = text;
  el.className = isError ? "error" : "";
}

async function act(f, mode) {
  if (mode === "delete" && !confirm(`Delete run ${f.runId}? The run and the checkpoints it wrote are removed; its thread can run again.`)) return;
  const url = `/api/langgraph/threads/${encodeURIComponent(f.threadId)}/runs/${encodeURIComponent(f.runId)}/cancel`;
  const r = await postJson(url, { mode });
  if (r.ok) say(`Run ${f.runId}: ${r.body.outcome} (${r.body.status}).`, false);
  else say(`${mode === "delete" ? "Delete" : "Cancel"} refused (${r.status}): ${r.body.message ?? "unknown error"}`, true);
  await refreshLangGraph();
}

function actions(f) {
  if (!f.runId || (f.kind !== "stuck-run" && f.kind !== "running")) return null;
  return [
    h("button", { type: "button", "data-action": "cancel", onclick: () => act(f, "interrupt") }, "Cancel"),
    f.kind === "stuck-run" ? h("button", { type: "button", "data-action": "delete", onclick: () => act(f, "delete") }, "Delete") : null,
  ];
}

function row(f, now) {
  return h("tr", { "data-kind": f.kind, "data-run": f.runId ?? null, "data-thread": f.threadId },
    h("td", { class: `lg-${f.kind}` }, KIND_LABELS[f.kind] ?? f.kind),
    h("td", { class: "mono" }, f.threadId), h("td", { class: "mono" }, f.runId ?? "–"),
    h("td", {}, f.graphId ?? f.assistantId ?? "–"), h("td", {}, f.status),
    h("td", {}, f.lastProgressAt ? ago(now - Date.parse(f.lastProgressAt)) : "–"),
    h("td", { class: "lg-reason" }, f.reason),
    h("td", {}, actions(f)));
}

export async function refreshLangGraph() {
  let data;
  try {
    ({ data } = await getJson("/api/langgraph/runs"));
  } catch (e) {
    if (document.getElementById("langgraph")) document.getElementById("langgraph-note").textContent = `LangGraph runs unavailable: ${e.message}`;
    return;
  }
  if (!data.enabled) {
    document.getElementById("langgraph")?.remove();
    return;
  }
  mount();
  const now = Date.now();
  const c = data.counts;
  const state = data.reachable
    ? `${c.stuck} stuck, ${c.errored} errored, ${c.busyThreads} busy thread(s), ${c.running} running`
    : `not reachable: ${data.error}${data.lastOkAt ? `; showing what it said ${ago(now - Date.parse(data.lastOkAt))}` : ""}`;
  const note = document.getElementById("langgraph-note");
  note.textContent = `${data.url}: ${state}. Stuck means no progress for ${duration(data.stuckAfterMs)}.`;
  note.className = data.reachable ? "muted" : "muted error";
  fill(document.getElementById("langgraph-runs"),
    h("thead", {}, h("tr", {}, ["What", "Thread", "Run", "Graph", "Status", "Last progress", "Why", ""].map((t) => h("th", {}, t)))),
    h("tbody", {}, data.findings.length ? data.findings.map((f) => row(f, now)) : h("tr", {}, h("td", { colspan: "8", class: "muted" }, "Nothing stuck, errored or running."))));
}

void refreshLangGraph();
setInterval(() => void refreshLangGraph(), 15_000);
