/** The channels the configuration names: NOTIFY_URLS and the lines of NOTIFY_URLS_FILE. */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import type { Config } from "../config/index.js";
import { ConfigError } from "../errors/index.js";
import { parseChannelUrls } from "./channel-url.js";
import type { ChannelSpec } from "./types.js";

/** Throws a ConfigError that names the variable and the entry; call it before anything starts. */
export function channelsFromConfig(config: Pick<Config, "notifyUrls" | "notifyUrlsFile">): ChannelSpec[] {
  const fromEnv = config.notifyUrls ? parseChannelUrls(config.notifyUrls, "NOTIFY_URLS") : [];
  let fromFile: ChannelSpec[] = [];
  if (config.notifyUrlsFile) {
    let text: string;
    try {
      text = readFileSync(config.notifyUrlsFile, "utf8");
    } catch (e) {
      throw new ConfigError("NOTIFY_URLS_FILE", `NOTIFY_URLS_FILE=${config.notifyUrlsFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path and its permissions`);
    }
    fromFile = parseChannelUrls(text, "NOTIFY_URLS_FILE");
  }
  const ids = new Set(fromEnv.map((c) => c.id));
  const dup = fromFile.find((c) => ids.has(c.id));
  if (dup) throw new ConfigError("NOTIFY_URLS_FILE", `NOTIFY_URLS_FILE names a channel NOTIFY_URLS names too (${dup.id}); keep one`);
  return [...fromEnv, ...fromFile];
}

/** Where people open the dashboard, for the link in every message. */
export function dashboardLink(config: Pick<Config, "dashboardUrl" | "dashboardHost" | "dashboardPort">): string {
  if (config.dashboardUrl) return config.dashboardUrl;
  const host = config.dashboardHost === "0.0.0.0" || config.dashboardHost === "::" ? hostname() : config.dashboardHost;
  return `http://${host.includes(":") ? `[${host}]` : host}:${config.dashboardPort}/`;
}
