// The "Notifications" part of an agent's detail view: whether it is silenced (and a button to
// silence it for an hour or end the silence), and the messages sent about it, per channel.
import { getJson, getToken, postJson } from "./api.js";
import { clock, h } from "./dom.js";

async function endSilence(id) {
  const headers = {};
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`/api/silences/${id}`, { method: "DELETE", headers }).catch(() => undefined);
  return { ok: res?.ok ?? false, status: res?.status ?? 0, body: res ? await res.json().catch(() => ({})) : {} };
}

/** A section with the agent's silences and notification history; `refresh()` re-renders the detail view. */
export async function notificationSection(name, { onMessage, refresh }) {
  let deliveries, silences;
  try {
    [{ data: { deliveries } }, { data: { silences } }] = await Promise.all([
      getJson(`/api/notifications?agent=${encodeURIComponent(name)}&limit=20`),
      getJson(`/api/silences?agent=${encodeURIComponent(name)}`),
    ]);
  } catch {
    return null;
  }
  const silence = async () => {
    const r = await postJson("/api/silences", { agent: name, forSeconds: 3600, reason: "from the dashboard" });
    onMessage(r.ok ? `${name} silenced for 1 h.` : `Silence refused (${r.status}): ${r.body.message ?? "unknown error"}`, !r.ok);
    if (r.ok) refresh();
  };
  const end = (id) => async () => {
    const r = await endSilence(id);
    onMessage(r.ok ? "Silence ended." : `Could not end the silence (${r.status}): ${r.body.message ?? "unknown error"}`, !r.ok);
    if (r.ok) refresh();
  };
  return h("div", { id: "notifications" },
    h("h3", {}, "Notifications"),
    silences.length
      ? h("ul", { class: "silences" }, silences.map((s) => h("li", { "data-silence": s.id },
          `Silenced (${s.pattern}) until ${clock(s.until)}${s.reason ? `: ${s.reason}` : ""}${s.holdRestarts ? "; restarts held" : ""} `,
          h("button", { type: "button", onclick: end(s.id) }, "End silence"))))
      : h("p", {}, h("button", { type: "button", id: "silence", onclick: silence }, "Silence for 1 h")),
    deliveries.length
      ? h("table", { class: "deliveries" },
          h("thead", {}, h("tr", {}, h("th", {}, "At"), h("th", {}, "Channel"), h("th", {}, "Event"), h("th", {}, "Status"), h("th", {}, "Message"))),
          h("tbody", {}, deliveries.map((d) => h("tr", { "data-status": d.status },
            h("td", {}, clock(d.createdAt)), h("td", {}, d.channel), h("td", {}, d.event),
            h("td", { title: d.lastError ?? "" }, d.status === "pending" && d.attempts ? `retrying (${d.attempts})` : d.status),
            h("td", {}, d.title ?? "")))))
      : h("p", { class: "muted" }, "No notifications about this agent."));
}
