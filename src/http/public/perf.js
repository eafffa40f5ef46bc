// The performance panel: DB response time, DB/WAL size, agent RSS and CPU, as line charts.
// Prefers the fleet's perf store (PerformanceMonitorAgent) and falls back to the server's own samples.
import { lineChart } from "./charts.js";
import { bytes, fill, h } from "./dom.js";
import { getJson } from "./api.js";

const nonEmpty = (pts) => Array.isArray(pts) && pts.length > 0;

export async function refreshPerf() {
  let data;
  try {
    ({ data } = await getJson("/api/perf"));
  } catch (e) {
    document.getElementById("perf-note").textContent = `Performance data unavailable: ${e.message}`;
    return;
  }
  const own = data.samples ?? [];
  const fleet = data.fleet ?? {};
  const series = (key) => own.map((s) => [s.at, s[key]]);
  const dbSeries = [{ label: "read all agents (server)", color: "#0969da", points: series("dbLatencyMs") }];
  if (own.some((s) => s.lockLatencyMs !== null)) dbSeries.push({ label: "lock wait", color: "#8250df", points: series("lockLatencyMs") });
  if (nonEmpty(fleet.dbProbeP95)) dbSeries.push({ label: "probe p95 (monitor)", color: "#d97706", points: fleet.dbProbeP95 });
  lineChart(document.getElementById("chart-db"), dbSeries, (v) => v.toFixed(v < 10 ? 2 : 0));

  const db = nonEmpty(fleet.dbFileBytes) ? fleet.dbFileBytes : series("dbBytes");
  const wal = nonEmpty(fleet.dbWalBytes) ? fleet.dbWalBytes : series("walBytes");
  lineChart(document.getElementById("chart-size"), [
    { label: "DB", color: "#1f883d", points: db },
    { label: "WAL", color: "#d97706", points: wal },
  ], bytes);
  lineChart(document.getElementById("chart-rss"), [{ label: "RSS", color: "#cf222e", points: series("rssBytes") }], bytes);
  lineChart(document.getElementById("chart-cpu"), [{ label: "CPU %", color: "#8250df", points: series("cpuPercent") }], (v) => v.toFixed(1));

  const note = document.getElementById("perf-note");
  const top = (data.top ?? []).slice(0, 5);
  fill(note,
    Object.values(fleet).some(nonEmpty) ? "Includes series from the performance monitor. " : "No performance-monitor data yet: showing the dashboard server's own samples. ",
    top.length ? h("span", {}, "Heaviest: ", top.map((a, i) => `${i ? ", " : ""}${a.name} ${bytes(a.rssBytes)}`).join("")) : "",
  );
}
