// DOM helpers for the dashboard. Data (agent names, error texts, log lines) only ever becomes
// text nodes or attribute values: never HTML. innerHTML is not used anywhere in the page.

/** h("td", { class: "x" }, "text", childNode) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/**
 * The state vocabulary (every state, the live ones, their labels) as the server defines it
 * (src/storage/states.ts, sent in GET /api/settings `states`); setStates() fills it before the page renders.
 */
export const states = { all: [], live: new Set(), labels: {} };

export function setStates(v) {
  states.all = v.all;
  states.live = new Set(v.live);
  states.labels = v.labels;
}

export function badge(state, label) {
  return h("span", { class: `badge state-${states.all.includes(state) ? state : "stopped"}`, "data-state": state }, label ?? states.labels[state] ?? state);
}

export function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400), hr = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${hr}h`;
  if (hr > 0) return `${hr}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export const ago = (ms) => `${duration(ms)} ago`;

export function bytes(n) {
  if (n === null || n === undefined) return "–";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) (n /= 1024), i++;
  return `${n.toFixed(n >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
}

export const clock = (t) => new Date(t).toLocaleTimeString([], { hour12: false });

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
}
