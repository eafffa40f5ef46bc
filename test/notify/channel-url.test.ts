import { describe, expect, it } from "vitest";
import { parseChannelUrl, parseChannelUrls, redactUrl } from "../../src/notify/channel-url.js";
import { isConfigError } from "../../src/errors/index.js";

const kindOf = (u: string) => parseChannelUrl(u).kind;

describe("NOTIFY_URLS entries", () => {
  it("pick the channel by the URL's form", () => {
    expect(kindOf("https://example.com/hook")).toBe("webhook");
    expect(kindOf("https://hooks.slack.com/services/T0/B0/xyz")).toBe("slack");
    expect(kindOf("https://discord.com/api/webhooks/1/abc")).toBe("discord");
    expect(kindOf("https://discordapp.com/api/webhooks/1/abc")).toBe("discord");
    expect(kindOf("https://discord.com/other")).toBe("webhook");
    expect(kindOf("ntfy://alerts")).toBe("ntfy");
    expect(kindOf("https://ntfy.example.org/alerts?format=ntfy")).toBe("ntfy");
    expect(kindOf("https://chat.example.org/hooks/abc?format=slack")).toBe("slack");
    expect(kindOf("smtp://mail.example.org:25?from=a@x.org&to=b@x.org")).toBe("email");
    expect(kindOf("smtps://u:p@mail.example.org?from=a@x.org&to=b@x.org")).toBe("email");
  });

  it("ntfy://topic is ntfy.sh; ntfy://host/topic a server of your own; tls=off for plain http", () => {
    expect(parseChannelUrl("ntfy://alerts").target.href).toBe("https://ntfy.sh/alerts");
    expect(parseChannelUrl("ntfy://ntfy.local:8080/ops").target.href).toBe("https://ntfy.local:8080/ops");
    expect(parseChannelUrl("ntfy://127.0.0.1:9/ops?tls=off").target.href).toBe("http://127.0.0.1:9/ops");
  });

  it("take our options off the URL and keep the receiver's own", () => {
    const c = parseChannelUrl("https://example.com/hook?token=abc&events=stale,recovered&agents=web-*;db-?");
    expect(c.target.href).toBe("https://example.com/hook?token=abc");
    expect([...c.events].sort()).toEqual(["recovered", "stale", "test"]);
    expect(c.agents).toEqual(["web-*", "db-?"]);
  });

  it("default to the events a person acts on (not late)", () => {
    const c = parseChannelUrl("https://example.com/hook");
    expect(c.events.has("stale")).toBe(true);
    expect(c.events.has("recovered")).toBe(true);
    expect(c.events.has("late")).toBe(false);
  });

  it("split a list on commas and new lines, skipping blanks and # comments", () => {
    const list = parseChannelUrls("https://a.example/x,\n# a comment\n  ntfy://t  \n\nsmtp://m.example?from=a@b.c&to=d@e.f");
    expect(list.map((c) => c.kind)).toEqual(["webhook", "ntfy", "email"]);
  });

  it.each([
    ["not a url", /not a URL/],
    ["ftp://example.com/x", /scheme ftp: is not supported/],
    ["smtp://mail.example.org?to=b@x.org", /missing \?from=/],
    ["smtp://mail.example.org?from=a@x.org", /missing \?to=/],
    ["https://example.com/x?events=stale,bogus", /events=bogus is unknown/],
    ["https://example.com/x?format=teams", /format=teams is unknown/],
    ["ntfy://host/a/b", /expected ntfy:\/\/topic/],
  ])("refuse %s with a line that names the entry", (entry, why) => {
    let err: unknown;
    try {
      parseChannelUrls(`https://ok.example/x\n${entry}`);
    } catch (e) {
      err = e;
    }
    expect(isConfigError(err)).toBe(true);
    expect((err as Error).message).toMatch(/^NOTIFY_URLS entry 2 \(/);
    expect((err as Error).message).toMatch(why);
  });

  it("never show a password or a webhook's secret path in an error", () => {
    expect(redactUrl("smtps://user:hunter2@mail.example.org?from=a")).not.toContain("hunter2");
    expect(redactUrl("https://hooks.slack.com/services/T0/B0/secret")).not.toContain("secret");
    expect(() => parseChannelUrls("smtps://user:hunter2@mail.example.org?to=x@y.z")).toThrow(/^(?!.*hunter2)/s);
  });

  it("refuse the same channel twice", () => {
    expect(() => parseChannelUrls("ntfy://a, ntfy://a")).toThrow(/same channel twice/);
  });

  it("give each channel a stable id without secrets", () => {
    const a = parseChannelUrl("https://hooks.slack.com/services/T0/B0/secret");
    expect(a.id).toMatch(/^slack:hooks\.slack\.com#[0-9a-f]{8}$/);
    expect(parseChannelUrl("https://hooks.slack.com/services/T0/B0/secret").id).toBe(a.id);
    expect(parseChannelUrl("https://hooks.slack.com/services/T0/B0/other").id).not.toBe(a.id);
  });
});
