// The "Pings" part of an agent's detail view: its recent healthchecks.io / Uptime Kuma pings with
// the run durations paired by rid, and each ping's message (as text).
import { agentUrl, getJson } from "./api.js";
import { clock, duration, h } from "./dom.js";

const runTime = (ms) => (ms === null ? "" : ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : duration(ms));

/** A section with the agent's pings, or null when it has none (most agents do not ping). */
export async function pingSection(name) {
  let pings;
  try {
    ({ data: { pings } } = await getJson(agentUrl(name, "/pings?limit=20")));
  } catch {
    return null;
  }
  if (!pings.length) return null;
  return h("div", { id: "pings" },
    h("h3", {}, "Pings"),
    h("table", { class: "pings" },
      h("thead", {}, h("tr", {}, h("th", {}, "At"), h("th", {}, "Kind"), h("th", {}, "Run time"), h("th", {}, "Message"))),
      h("tbody", {}, pings.map((p) => h("tr", { "data-kind": p.kind },
        h("td", {}, clock(p.at)),
        h("td", {}, p.exitStatus === null ? p.kind : `${p.kind} (exit ${p.exitStatus})`),
        h("td", { class: "run-time" }, runTime(p.durationMs)),
        h("td", {}, h("pre", { class: "ping-message" }, p.message ?? "")))))));
}
