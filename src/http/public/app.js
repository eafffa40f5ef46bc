// Dashboard entry: summary line, agents table (filter, sort, paging), detail view, performance
// panel; live through server-sent events (/api/events), without page reloads.
import { getJson, postJson, setToken, getToken } from "./api.js";
import { renderDetail } from "./detail.js";
import { fill, h, states, setStates, badge } from "./dom.js";
import { refreshPerf } from "./perf.js";
import { renderRows, tick } from "./table.js";

const $ = (id) => document.getElementById(id);
const view = { state: "", q: "", sort: "name", order: "asc", offset: 0, limit: 50, selected: null, staleThresholdMs: 0, lateAfterMs: Infinity };
let refreshTimer = null;
let lastRefresh = 0;

function message(text, isError) {
  const el = $("action-msg");
  el.textContent = text;
  el.classList.toggle("error", !!isError);
}

function renderSummary(s) {
  $("summary-line").textContent = s.line;
  fill($("state-counts"), states.all.filter((st) => s.byState[st] > 0).map((st) => h("span", { class: "chip" }, badge(st, `${states.labels[st]}: ${s.byState[st]}`))));
}

function renderMonitors(list) {
  fill($("monitors"), list.map((m) => h("span", { class: "chip", "data-role": m.role }, `${m.agent} on ${m.host}: ${m.role}`)));
}

async function refresh() {
  lastRefresh = performance.now();
  const params = new URLSearchParams({ sort: view.sort, order: view.order, offset: String(view.offset), limit: String(view.limit) });
  if (view.state) params.set("state", view.state);
  if (view.q) params.set("q", view.q);
  try {
    const [{ data: agents, headers }, { data: summary }, availability, { data: monitors }] = await Promise.all([
      getJson(`/api/agents?${params}`), getJson("/api/summary"),
      getJson("/api/availability").then(({ data }) => data.agents, () => ({})),
      getJson("/api/monitors"),
    ]);
    const total = Number(headers.get("x-total-count") ?? agents.length);
    renderSummary(summary);
    renderMonitors(monitors.monitors);
    renderRows(document.querySelector("#agent-table tbody"), agents, { selected: view.selected, onOpen: openDetail, staleThresholdMs: view.staleThresholdMs, lateAfterMs: view.lateAfterMs, availability });
    $("page-info").textContent = total === 0 ? "0 of 0" : `${view.offset + 1}–${Math.min(total, view.offset + view.limit)} of ${total}`;
    $("prev").disabled = view.offset === 0;
    $("next").disabled = view.offset + view.limit >= total;
    if (view.selected) await showDetail(view.selected);
    document.body.dataset.loaded = "true";
  } catch (e) {
    message(`Cannot load agents: ${e.message}`, true);
  }
}

/** Coalesces bursts of events into at most one refresh every 500 ms. */
function scheduleRefresh() {
  if (refreshTimer) return;
  const wait = Math.max(0, 500 - (performance.now() - lastRefresh));
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    void refresh();
  }, wait);
}

async function showDetail(name) {
  await renderDetail($("detail"), name, { onClose: closeDetail, onMessage: message });
}

function openDetail(name) {
  view.selected = name;
  history.replaceState(null, "", `#agent=${encodeURIComponent(name)}`);
  void refresh();
}

function closeDetail() {
  view.selected = null;
  $("detail").hidden = true;
  history.replaceState(null, "", location.pathname);
  void refresh();
}

function connect() {
  const es = new EventSource("/api/events");
  es.addEventListener("open", () => { $("conn").dataset.state = "live"; $("conn").textContent = "live"; });
  es.addEventListener("error", () => { $("conn").dataset.state = "reconnecting"; $("conn").textContent = "reconnecting"; });
  es.addEventListener("summary", (ev) => {
    renderSummary(JSON.parse(ev.data));
    scheduleRefresh();
  });
}

function setupControls() {
  const stateSel = $("filter-state");
  for (const s of states.all) stateSel.append(h("option", { value: s }, states.labels[s]));
  stateSel.addEventListener("change", () => { view.state = stateSel.value; view.offset = 0; void refresh(); });
  let typing;
  $("filter-name").addEventListener("input", (e) => {
    clearTimeout(typing);
    typing = setTimeout(() => { view.q = e.target.value.trim(); view.offset = 0; void refresh(); }, 200);
  });
  $("page-size").addEventListener("change", (e) => { view.limit = Number(e.target.value); view.offset = 0; void refresh(); });
  $("prev").addEventListener("click", () => { view.offset = Math.max(0, view.offset - view.limit); void refresh(); });
  $("next").addEventListener("click", () => { view.offset += view.limit; void refresh(); });
  for (const th of document.querySelectorAll("th[data-sort]")) {
    th.addEventListener("click", () => {
      const key = th.dataset.sort;
      view.order = view.sort === key && view.order === "asc" ? "desc" : "asc";
      view.sort = key;
      for (const other of document.querySelectorAll("th[data-sort]")) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", view.order === "asc" ? "ascending" : "descending");
      void refresh();
    });
  }
  const token = $("token");
  token.value = getToken();
  token.addEventListener("change", () => setToken(token.value.trim()));
  $("cleanup").addEventListener("click", async () => {
    const dry = await postJson("/api/cleanup-stale", { dryRun: true });
    if (!dry.ok) return message(`Clean-up refused (${dry.status}): ${dry.body.message ?? ""}`, true);
    if (dry.body.removed.length === 0) return message("Nothing to clean up: no stale, stopped or failed agents.", false);
    if (!confirm(`Delete the records of ${dry.body.removed.length} stale/stopped/failed agent(s)?`)) return;
    const r = await postJson("/api/cleanup-stale", {});
    message(r.ok ? `Removed ${r.body.removed.length} record(s).` : `Clean-up refused (${r.status}): ${r.body.message ?? ""}`, !r.ok);
    scheduleRefresh();
  });
}

// the state list and labels come with the settings, so the controls wait for them
const settings = await getJson("/api/settings").then(({ data }) => data, (e) => (message(`Cannot load settings: ${e.message}`, true), null));
if (settings) {
  setStates(settings.states);
  view.staleThresholdMs = settings.staleThresholdMs;
  view.lateAfterMs = settings.lateAfterMs ?? Infinity;
  if (settings.tokenRequired && !getToken()) $("token").placeholder = "required for restart / clean-up";
}
setupControls();
const m = /^#agent=(.+)$/.exec(location.hash);
if (m) view.selected = decodeURIComponent(m[1]);
void refresh();
void refreshPerf();
connect();
setInterval(() => tick(view.staleThresholdMs, view.lateAfterMs), 1000);
setInterval(() => void refreshPerf(), 5000);
