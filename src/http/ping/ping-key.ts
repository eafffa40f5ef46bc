/** PING_KEY rules: required off loopback (refused at start-up otherwise); compared in constant time. */
import { createHash, timingSafeEqual } from "node:crypto";
import { ConfigError } from "../../errors/index.js";
import { isLoopbackHost } from "../safety.js";

export function assertPingKeyBind(host: string, pingKey: string | undefined): void {
  if (!isLoopbackHost(host) && !pingKey) {
    throw new ConfigError(
      "PING_KEY",
      `Refusing to bind the dashboard/API to ${host} without PING_KEY: other hosts could send pings (/ping/<name>) for any agent. ` +
        `Set PING_KEY (16+ characters of A-Z a-z 0-9 _ -; ping URLs become /ping/<PING_KEY>/<name>) or bind DASHBOARD_HOST=127.0.0.1.`,
    );
  }
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** A matcher for the configured secret that does not leak, by timing, how much of a guess was right. */
export function secretMatcher(secret: string): (given: string) => boolean {
  const expected = digest(secret);
  return (given) => timingSafeEqual(digest(given), expected);
}
