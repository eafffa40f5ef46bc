// The detail view of one agent: facts, restart, transition timeline, heartbeat age/latency chart,
// recent errors and recent log lines from the agent's daily log file.
import { agentUrl, getJson, postJson } from "./api.js";
import { chartContainer, lineChart } from "./charts.js";
import { ago, badge, bytes, clock, duration, fill, h } from "./dom.js";
import { notificationSection } from "./notifications.js";
import { pingSection } from "./pings.js";
import { availabilitySection } from "./availability.js";

export async function renderDetail(section, name, { onClose, onMessage }) {
  let detail, logs, pings, notes, availability;
  const refresh = () => renderDetail(section, name, { onClose, onMessage });
  try {
    [{ data: detail }, { data: logs }, pings, notes, availability] = await Promise.all([
      getJson(agentUrl(name)), getJson(agentUrl(name, "/logs?lines=80")), pingSection(name),
      notificationSection(name, { onMessage, refresh }), availabilitySection(name),
    ]);
  } catch (e) {
    fill(section, h("p", { class: "muted" }, `Cannot load ${name}: ${e.message}`), h("button", { type: "button", onclick: onClose }, "Close"));
    section.hidden = false;
    return;
  }
  const a = detail.agent;
  const restart = async () => {
    const r = await postJson(agentUrl(a.name, "/restart"));
    if (r.ok) onMessage(`Restart of ${a.name} requested.`, false);
    else onMessage(`Restart refused (${r.status}): ${r.body.message ?? "unknown error"}`, true);
  };
  const chart = chartContainer("chart-agent-age", a.name);
  const latencyChart = chartContainer("chart-agent-latency", a.name);
  fill(section,
    h("div", { class: "detail-head" },
      h("h2", {}, a.name), badge(a.state, a.stateLabel),
      h("span", { class: "muted" }, a.stateReason ?? ""),
      h("button", { type: "button", id: "restart", onclick: restart }, "Restart"),
      h("button", { type: "button", onclick: onClose }, "Close"),
    ),
    h("div", { class: "cols" },
      h("div", {},
        h("dl", { class: "facts" },
          fact("PID @ host", `${a.pid ?? "–"} @ ${a.host ?? "–"}`),
          fact("Version", a.version ?? "–"),
          fact("Uptime", a.uptimeText),
          fact("Last heartbeat", `${ago(a.lastHeartbeatAgeMs)} (${a.lastHeartbeat})`),
          fact("Heartbeats", String(a.heartbeats)),
          fact("Suspicion (phi)", suspicionText(detail.suspicion)),
          fact("Trend", detail.degrading ? detail.degrading.text : "steady"),
          fact("Anomalies", anomalyText(detail.anomalies)),
          fact("Heartbeat latency", a.heartbeatLatencyMs === null ? "–" : `${a.heartbeatLatencyMs.toFixed(2)} ms`),
          fact("RSS / CPU", `${bytes(a.rssBytes)} / ${a.cpuPercent === null ? "–" : a.cpuPercent.toFixed(1) + " %"}`),
          fact("Restarts", `${a.restarts}${a.restartRequested ? " (restart requested)" : ""}`),
          fact("Registered", a.registeredAt),
        ),
        h("div", { class: "charts" },
          h("figure", {}, h("figcaption", {}, "Heartbeat age"), chart),
          h("figure", {}, h("figcaption", {}, "Heartbeat latency (ms)"), latencyChart)),
      ),
      h("div", {},
        h("h3", {}, "State transitions"),
        h("ol", { class: "timeline" }, detail.transitions.slice().reverse().map((t) =>
          h("li", {}, h("span", { class: "muted" }, clock(t.at)), t.from ? badge(t.from) : "", "→", badge(t.to), h("span", {}, t.reason ?? "")))),
        h("h3", {}, `Recent errors (${a.errorCount} total)`),
        detail.errors.length
          ? h("ul", { class: "errors" }, detail.errors.map((e) => h("li", {}, `${clock(e.at)} ${e.message}`)))
          : h("p", { class: "muted" }, "No errors recorded."),
      ),
    ),
    availability,
    pings,
    notes,
    h("h3", {}, "Recent log lines", logs.file ? h("span", { class: "muted" }, ` (${logs.file})`) : ""),
    logs.lines.length
      ? h("pre", { class: "logs" }, logs.lines.map((l) => `${l.timestamp ?? ""} ${(l.level ?? "").toUpperCase()} [${l.module ?? "-"}] ${l.message}\n`).join(""))
      : h("p", { class: "muted" }, "No log file for this agent in LOG_DIR."),
  );
  section.hidden = false;
  section.dataset.agent = a.name;
  lineChart(chart, [{ label: "age (sampled)", color: "#d97706", points: detail.samples.map((p) => [p[0], p[1]]) }],
    (v) => (v >= 10_000 ? duration(v) : `${v.toFixed(0)} ms`));
  lineChart(latencyChart, [{ label: "reported latency", color: "#0969da", points: detail.samples.map((p) => [p[0], p[2]]) }],
    (v) => v.toFixed(v < 10 ? 2 : 0));
}

/** "RSS 412 MB, usually 80 MB (since 12:03:04)": text only. */
function anomalyText(list) {
  if (!list || list.length === 0) return "none";
  return list.map((x) => `${x.text} (since ${clock(x.since)})`).join("; ");
}

function fact(label, value) {
  return [h("dt", {}, label), h("dd", {}, value)];
}

/** "phi 0.4 of 8; stale after 4.0 s (phi, period 1.0 s)": text only (rendered with textContent). */
function suspicionText(s) {
  if (!s) return "–";
  const period = s.meanIntervalMs === null ? "" : `, period ${(s.meanIntervalMs / 1000).toFixed(1)} s`;
  return `phi ${s.phi.toFixed(1)} of ${s.phiThreshold}; stale after ${(s.staleAfterMs / 1000).toFixed(1)} s (${s.rule}${period})`;
}
