// The agents table: one row per agent of the current page, with live-ticking ages.
import { availabilityCell } from "./availability.js";
import { ago, badge, duration, fill, h, states } from "./dom.js";

let tickers = [];

/** Renders `agents` into `tbody`; `onOpen(name)` opens the detail view. */
export function renderRows(tbody, agents, { selected, onOpen, staleThresholdMs, lateAfterMs, availability = {} }) {
  const fetchedAt = performance.now();
  tickers = [];
  const rows = agents.map((a) => {
    const ageCell = h("td", { class: "age" });
    const upCell = h("td", { class: "uptime" });
    const late = h("span", { class: "badge badge-late", title: "A heartbeat is overdue; stale at the threshold", hidden: a.late ? null : "" }, "Late");
    tickers.push({ ageCell, upCell, late, a, fetchedAt });
    const tr = h("tr", { "data-agent": a.name, "data-state": a.state, class: a.name === selected ? "selected" : null },
      h("td", {}, h("button", { class: "name-link", type: "button", title: "Show details", onclick: () => onOpen(a.name) }, a.name)),
      h("td", {}, badge(a.state, a.stateLabel), " ", late),
      upCell,
      availabilityCell(availability[a.name]),
      ageCell,
      h("td", {}, `${a.pid ?? "–"} @ ${a.host ?? "–"}`),
      h("td", {}, String(a.restarts), a.restartRequested ? " (requested)" : ""),
      h("td", {}, String(a.errorCount)),
      h("td", { class: "last-error", title: a.lastError ?? "" }, a.lastError ?? ""),
    );
    return tr;
  });
  fill(tbody, rows);
  if (agents.length === 0) fill(tbody, h("tr", {}, h("td", { colspan: 9, class: "muted" }, "No agents match.")));
  tick(staleThresholdMs, lateAfterMs);
}

/** Called every second: ages and uptimes advance without a refetch. */
export function tick(staleThresholdMs, lateAfterMs = Infinity) {
  const now = performance.now();
  for (const t of tickers) {
    const age = t.a.lastHeartbeatAgeMs + (now - t.fetchedAt);
    t.ageCell.textContent = ago(age);
    t.ageCell.classList.toggle("age-warn", staleThresholdMs > 0 && age > staleThresholdMs && states.live.has(t.a.state));
    t.upCell.textContent = states.live.has(t.a.state) ? duration(t.a.uptime + (now - t.fetchedAt)) : "–";
    t.late.hidden = !(states.live.has(t.a.state) && (t.a.late || age > lateAfterMs));
  }
}
