// Availability (GET /api/availability, /api/agents/:name/availability): the beat strip, a bar per
// interval coloured by state (like Uptime Kuma's), and the uptime/outage/MTTR figures.
import { agentUrl, getJson } from "./api.js";
import { duration, h } from "./dom.js";

const WORDS = { up: "up", down: "down (an outage)", silenced: "silenced", unknown: "monitor down", none: "not registered" };
const hhmm = (t) => new Date(t).toLocaleString([], { hour12: false, month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
export const percentText = (p) => (p === null || p === undefined ? "–" : `${p.toFixed(p === 100 ? 0 : 2)} %`);

/** The strip of bars, oldest left; each bar says its interval and state in its title. */
export function strip(view, { compact = false } = {}) {
  const start = Date.parse(view.strip.start);
  return h("div", { class: `strip${compact ? " strip-compact" : ""}`, role: "img", "aria-label": "recent availability" },
    view.strip.bars.map((b, i) => {
      const from = start + i * view.strip.barMs;
      const title = `${hhmm(from)}–${hhmm(from + view.strip.barMs)}: ${WORDS[b.state] ?? b.state}${b.upPercent === null ? "" : `, up ${percentText(b.upPercent)}`}`;
      return h("span", { class: `bar bar-${b.state}`, "data-state": b.state, title });
    }));
}

/** The table cell: the strip and the 24 h figure. */
export function availabilityCell(view) {
  if (!view) return h("td", { class: "availability muted" }, "–");
  const day = view.windows[0];
  return h("td", { class: "availability" }, strip(view, { compact: true }), h("span", { class: "uptime-pct" }, percentText(day?.uptimePercent ?? null)));
}

/** The detail view's part: 24 h / 7 d / 30 d uptime, the last outage, MTTR, and the strip. */
export async function availabilitySection(name) {
  let view;
  try {
    ({ data: view } = await getJson(agentUrl(name, "/availability")));
  } catch {
    return null;
  }
  const o = view.lastOutage;
  return h("div", { id: "availability" },
    h("h3", {}, "Availability"),
    h("dl", { class: "facts availability-facts" },
      view.windows.flatMap((w) => [h("dt", {}, `Uptime ${w.window}`), h("dd", { "data-window": w.window }, percentText(w.uptimePercent), w.outages ? h("span", { class: "muted" }, ` (${w.outages} outage${w.outages > 1 ? "s" : ""})`) : "")]),
      h("dt", {}, "Last outage"),
      h("dd", { id: "last-outage" }, o ? `${hhmm(Date.parse(o.start))}, ${o.end === null ? `ongoing for ${duration(o.durationMs)}` : `lasted ${duration(o.durationMs)}`}` : "none in 30 days"),
      h("dt", {}, "MTTR (30d)"),
      h("dd", { id: "mttr" }, view.mttrMs === null ? "–" : duration(view.mttrMs)),
    ),
    strip(view),
    h("p", { class: "muted strip-legend" }, "Last 24 h, one bar per 30 min: ",
      ["up", "down", "silenced", "unknown", "none"].map((s) => h("span", {}, h("i", { class: `bar bar-${s}` }), ` ${WORDS[s]} `))));
}
