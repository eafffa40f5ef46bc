/**
 * NOTIFY_URLS entries → channels. The URL's form picks the channel: Slack and Discord webhook
 * hosts, `ntfy://[host/]topic` (or any http(s) URL with `?format=ntfy`), `smtp://`/`smtps://`
 * (with `?from=&to=`), and any other http(s) URL as a generic JSON webhook (`?format=slack|discord|ntfy`
 * for a compatible server on another host). Our own query options
 * (`events`, `agents`, `format`, `from`, `to`, `tls`) are taken off before sending.
 */
import { createHash } from "node:crypto";
import { ConfigError } from "../errors/index.js";
import { DEFAULT_EVENTS, NOTIFY_EVENTS, type ChannelKind, type ChannelSpec, type NotifyEvent } from "./types.js";

/** `?format=` for an http(s) URL whose host does not say it: Mattermost and Rocket.Chat take Slack's format, a self-hosted ntfy ntfy's. */
const HTTP_FORMATS: readonly ChannelKind[] = ["webhook", "slack", "discord", "ntfy"];
const OUR_OPTIONS = ["events", "agents", "format", "tls"] as const;

/**
 * Splits a list on new lines, and on commas that start a new URL (so `?events=stale,failed`
 * stays one entry). A file may hold one URL per line, with # comments.
 */
export function splitUrlList(text: string): string[] {
  return text
    .split(/\n|,\s*(?=[a-z][a-z0-9+.-]*:\/\/)/i)
    .map((s) => s.trim().replace(/,$/, ""))
    .filter((s) => s !== "" && !s.startsWith("#"));
}

export function parseChannelUrls(text: string, variable = "NOTIFY_URLS"): ChannelSpec[] {
  const entries = splitUrlList(text);
  const channels = entries.map((entry, i) => parseChannelUrl(entry, `${variable} entry ${i + 1}`, variable));
  const seen = new Set<string>();
  for (const c of channels) {
    if (seen.has(c.id)) throw new ConfigError(variable, `${variable} names the same channel twice (${c.id}); remove one`);
    seen.add(c.id);
  }
  return channels;
}

export function parseChannelUrl(entry: string, where = "NOTIFY_URLS entry", variable = "NOTIFY_URLS"): ChannelSpec {
  const fail = (why: string): never => {
    throw new ConfigError(variable, `${where} (${redactUrl(entry)}) is invalid: ${why}`);
  };
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return fail("not a URL; expected http(s)://, ntfy://, smtp:// or smtps://");
  }
  const events = parseEvents(url.searchParams.get("events"), fail);
  const agents = (url.searchParams.get("agents") ?? "").split(/[;|]/).map((s) => s.trim()).filter(Boolean);
  const format = url.searchParams.get("format");
  const tls = url.searchParams.get("tls");
  for (const k of OUR_OPTIONS) url.searchParams.delete(k);
  let kind: ChannelKind;
  let target = url;
  switch (url.protocol) {
    case "http:":
    case "https:":
      if (format !== null && !HTTP_FORMATS.includes(format as ChannelKind)) fail(`format=${format} is unknown; expected one of ${HTTP_FORMATS.join(", ")}`);
      kind = (format as ChannelKind | null) ?? (url.hostname === "hooks.slack.com" ? "slack" : isDiscord(url) ? "discord" : "webhook");
      break;
    case "ntfy:":
      kind = "ntfy";
      target = ntfyTarget(url, tls, fail);
      break;
    case "smtp:":
    case "smtps:":
      kind = "email";
      if (!url.hostname) fail("no mail server host");
      if (!url.searchParams.get("from")) fail("missing ?from=<address>");
      if (!url.searchParams.get("to")) fail("missing ?to=<address>[,<address>]");
      break;
    default:
      return fail(`scheme ${url.protocol} is not supported; expected http(s)://, ntfy://, smtp:// or smtps://`);
  }
  if (kind !== "email" && !target.hostname) fail("no host");
  return { id: channelId(kind, target), kind, target, events, agents };
}

function parseEvents(raw: string | null, fail: (why: string) => never): ReadonlySet<NotifyEvent> {
  if (raw === null) return new Set(DEFAULT_EVENTS);
  const names = raw.split(/[,;|]/).map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) fail("events= is empty");
  for (const n of names) if (!(NOTIFY_EVENTS as readonly string[]).includes(n)) fail(`events=${n} is unknown; expected some of ${NOTIFY_EVENTS.join(", ")}`);
  const set = new Set(names as NotifyEvent[]);
  set.add("test");
  return set;
}

const isDiscord = (u: URL) => /^(?:www\.|ptb\.|canary\.)?discord(?:app)?\.com$/.test(u.hostname) && u.pathname.startsWith("/api/webhooks/");

/** `ntfy://topic` is ntfy.sh; `ntfy://host[:port]/topic` a server of your own (https unless `?tls=off`). */
function ntfyTarget(url: URL, tls: string | null, fail: (why: string) => never): URL {
  const path = url.pathname.replace(/^\/+/, "");
  const [host, topic] = path ? [url.host, path] : ["ntfy.sh", url.hostname];
  if (!topic || topic.includes("/")) fail("expected ntfy://topic or ntfy://host/topic");
  if (tls !== null && tls !== "off" && tls !== "on") fail("tls= must be on or off");
  const target = new URL(`${tls === "off" ? "http" : "https"}://${host}/${topic}`);
  if (url.username) target.username = url.username;
  if (url.password) target.password = url.password;
  return target;
}

/** kind + host + a short hash of the whole URL: stable, shown in logs and the API, no secrets. */
function channelId(kind: ChannelKind, target: URL): string {
  const hash = createHash("sha256").update(target.href).digest("hex").slice(0, 8);
  return `${kind}:${target.host || "local"}#${hash}`;
}

/** The entry with any password or webhook secret path hidden, safe for an error message. */
export function redactUrl(entry: string): string {
  try {
    const u = new URL(entry);
    if (u.password) u.password = "***";
    if (u.hostname === "hooks.slack.com" || u.pathname.startsWith("/api/webhooks/")) u.pathname = u.pathname.replace(/\/[^/]+$/, "/***");
    return u.href;
  } catch {
    return entry.length > 40 ? `${entry.slice(0, 40)}…` : entry;
  }
}
