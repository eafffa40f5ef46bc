// Time-series charts drawn by uPlot (served from /assets/vendor, no CDN): drag to zoom, double-click
// to reset, a legend with the exact values under the cursor, time and value axes.
// series: [{ label, color, points: [[t ms, v], ...] }]; format(v) words a value (axis and legend).
import uPlot from "/assets/vendor/uPlot.esm.js";

const HEIGHT = 150;
const charts = new WeakMap();

/** Joins the series' points on one time axis (uPlot's column layout), seconds for x. */
function columns(series) {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const cols = series.map((s) => {
    const col = new Array(times.length).fill(null);
    for (const [t, v] of s.points) col[index.get(t)] = v === null || !Number.isFinite(v) ? null : v;
    return col;
  });
  return [times.map((t) => t / 1000), ...cols];
}

const kept = new Map();

/**
 * The chart container for `id` showing `key` (say, one agent's heartbeat age): the same element
 * while the key stays, so a re-rendered view keeps its chart (and its zoom) instead of building a
 * new one; a new key destroys the old chart.
 */
export function chartContainer(id, key) {
  const k = kept.get(id);
  if (k && k.key === key) return k.el;
  const old = k && charts.get(k.el);
  old?.plot.destroy();
  const el = document.createElement("div");
  el.id = id;
  kept.set(id, { key, el });
  return el;
}

export function lineChart(container, series, format = (v) => v.toFixed(1)) {
  const data = columns(series);
  const empty = data[0].length === 0;
  container.classList.add("uchart");
  container.dataset.points = String(data[0].length);
  const existing = charts.get(container);
  const shape = series.map((s) => s.label).join("\n");
  if (existing && existing.shape === shape && container.contains(existing.plot.root)) {
    existing.plot.setData(data, !existing.zoomed);
    existing.note.hidden = !empty;
    return;
  }
  existing?.plot.destroy();
  const width = Math.max(220, Math.round(container.clientWidth || 400));
  const fmt = (v) => (v === null || v === undefined ? "–" : format(v));
  const state = { shape, zoomed: false };
  // kept on the element too, so the page (and its tests) can tell a zoomed chart
  const zoomed = (z) => { state.zoomed = z; container.dataset.zoomed = String(z); };
  const opts = {
    width,
    height: HEIGHT,
    cursor: { drag: { x: true, y: false } },
    legend: { live: true },
    scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), (max ?? 1) > 0 ? max * 1.1 : 1] } },
    axes: [
      { stroke: "#57606a", grid: { stroke: "#eaeef2" } },
      { stroke: "#57606a", grid: { stroke: "#eaeef2" }, size: 64, values: (_u, ticks) => ticks.map(fmt) },
    ],
    series: [
      { label: "time", value: (_u, t) => (t === null ? "–" : new Date(t * 1000).toLocaleTimeString([], { hour12: false })) },
      ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.6, spanGaps: true, points: { size: 4 }, value: (_u, v) => fmt(v) })),
    ],
    hooks: {
      setSelect: [(u) => { if (u.select.width > 0) zoomed(true); }],
      ready: [(u) => u.over.addEventListener("dblclick", () => zoomed(false))],
    },
  };
  const note = document.createElement("p");
  note.className = "muted chart-empty";
  note.textContent = "no data yet";
  note.hidden = !empty;
  container.replaceChildren(note);
  const plot = new uPlot(opts, data, container);
  charts.set(container, Object.assign(state, { plot, note }));
}
