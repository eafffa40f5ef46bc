// Small SVG line charts (no library, works offline). series: [{ label, color, points: [[t, v], ...] }]
const NS = "http://www.w3.org/2000/svg";
const H = 130, L = 46, R = 8, T = 8, B = 18;

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const hhmmss = (t) => new Date(t).toLocaleTimeString([], { hour12: false });

export function lineChart(container, series, format = (v) => v.toFixed(1)) {
  // draw in the container's own pixel width so text is not stretched
  const W = Math.max(200, Math.round(container.clientWidth || 400));
  const svg = s("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img" });
  const all = series.flatMap((x) => x.points.filter((p) => p[1] !== null && Number.isFinite(p[1])));
  const legend = document.createElement("div");
  legend.className = "legend";
  for (const x of series) {
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.background = x.color;
    item.append(swatch, x.label);
    legend.append(item);
  }
  if (all.length === 0) {
    svg.append(s("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "empty" }, "no data yet"));
    container.replaceChildren(svg, legend);
    return;
  }
  const t0 = Math.min(...all.map((p) => p[0])), t1 = Math.max(...all.map((p) => p[0]));
  const vmax = Math.max(...all.map((p) => p[1])) || 1;
  const x = (t) => L + ((t - t0) / Math.max(1, t1 - t0)) * (W - L - R);
  const y = (v) => T + (1 - v / vmax) * (H - T - B);
  for (const f of [0, 0.5, 1]) {
    const yy = y(vmax * f);
    svg.append(s("line", { x1: L, x2: W - R, y1: yy, y2: yy, class: "grid" }));
    svg.append(s("text", { x: L - 4, y: yy + 3, "text-anchor": "end" }, format(vmax * f)));
  }
  svg.append(s("text", { x: L, y: H - 4 }, hhmmss(t0)));
  svg.append(s("text", { x: W - R, y: H - 4, "text-anchor": "end" }, hhmmss(t1)));
  for (const ser of series) {
    const pts = ser.points.filter((p) => p[1] !== null && Number.isFinite(p[1]));
    if (pts.length === 0) continue;
    const d = pts.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(" ");
    if (pts.length === 1) svg.append(s("circle", { cx: x(pts[0][0]), cy: y(pts[0][1]), r: 2.5, fill: ser.color }));
    else svg.append(s("polyline", { points: d, fill: "none", stroke: ser.color, "stroke-width": 1.6, "vector-effect": "non-scaling-stroke" }));
  }
  container.replaceChildren(svg, legend);
}
