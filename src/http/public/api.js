// Fetch helpers. State-changing calls send the API token typed in the header (kept in sessionStorage).
const TOKEN_KEY = "bg-agents-token";

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY) ?? "";
}

export function setToken(v) {
  if (v) sessionStorage.setItem(TOKEN_KEY, v);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export async function getJson(url) {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`${res.status} ${(await res.json().catch(() => ({}))).message ?? res.statusText}`);
  return { data: await res.json(), headers: res.headers };
}

/** POSTs JSON; resolves { ok, status, body } and never throws on HTTP errors. */
export async function postJson(url, body = {}) {
  const headers = { "content-type": "application/json" };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    const res = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
    return { ok: res.ok, status: res.status, body: await res.json().catch(() => ({})) };
  } catch (e) {
    return { ok: false, status: 0, body: { message: String(e) } };
  }
}

export const agentUrl = (name, suffix = "") => `/api/agents/${encodeURIComponent(name)}${suffix}`;
