/**
 * A second "host" for tests: a network namespace joined to this one by a veth pair (root only;
 * CI runs as root). The host side gets 10.<a>.<b>.1/30, the namespace 10.<a>.<b>.2/30. `cut()` takes
 * the host-side link down (a real network cut: packets vanish, no reset), `heal()` brings it back.
 * `destroy()` (afterAll) removes the namespace and the link; a process exit does it too, so a
 * failed run leaves nothing behind.
 */
import { execFileSync } from "node:child_process";

export interface NetNs {
  readonly name: string;
  /** The address PostgreSQL listens on, reachable from inside. */
  readonly hostAddress: string;
  readonly nsAddress: string;
  /** This host's name (its own UTS namespace, so os.hostname() differs from ours). */
  readonly hostName: string;
  /** argv that runs `argv` inside the namespace under `hostName`; every step execs, so the pid is the command's. */
  exec(argv: string[]): string[];
  cut(): void;
  heal(): void;
  destroy(): void;
}

const made = new Set<NetNs>();
process.once("exit", () => {
  for (const n of made) n.destroy();
});

const ip = (...args: string[]) => execFileSync("ip", args, { stdio: ["ignore", "pipe", "pipe"] }).toString();

/** A /30 in 10.100-249.x.x, spread by pid, that no interface here uses yet (test files run in parallel). */
function freeSubnet(): { hostAddress: string; nsAddress: string } {
  for (let i = 0; i < 64; i++) {
    const a = 100 + (process.pid % 150);
    const b = ((Math.floor(process.pid / 150) + made.size + i) % 64) * 4;
    if (!ip("-o", "addr", "show", "to", `10.${a}.${b}.0/30`).trim()) {
      return { hostAddress: `10.${a}.${b}.1`, nsAddress: `10.${a}.${b}.2` };
    }
  }
  throw new Error("no free 10.x.y.0/30 subnet for a test network namespace");
}

export function createNetNs(): NetNs {
  // unique per process and call, short enough for interface names (15 chars)
  const id = `${process.pid % 10000}${made.size}`;
  const name = `bga${id}`;
  const hostIf = `vh${id}`;
  const nsIf = `vn${id}`;
  const { hostAddress, nsAddress } = freeSubnet();
  const ns: NetNs = {
    name, hostAddress, nsAddress, hostName: `host-${name}`,
    exec: (argv) => ["ip", "netns", "exec", name, "unshare", "--uts", "sh", "-c", 'hostname "$0" && exec "$@"', `host-${name}`, ...argv],
    cut: () => void ip("link", "set", hostIf, "down"),
    heal: () => void ip("link", "set", hostIf, "up"),
    destroy() {
      made.delete(ns);
      try { ip("netns", "del", name); } catch { /* not there */ }
      try { ip("link", "del", hostIf); } catch { /* went with the namespace */ }
    },
  };
  made.add(ns);
  try {
    ip("netns", "add", name);
    ip("link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
    ip("link", "set", nsIf, "netns", name);
    ip("addr", "add", `${hostAddress}/30`, "dev", hostIf);
    ip("link", "set", hostIf, "up");
    ip("netns", "exec", name, "ip", "addr", "add", `${nsAddress}/30`, "dev", nsIf);
    ip("netns", "exec", name, "ip", "link", "set", nsIf, "up");
    ip("netns", "exec", name, "ip", "link", "set", "lo", "up");
  } catch (e) {
    ns.destroy();
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`could not create a network namespace (needs root and iproute2): ${err.stderr?.toString() || err.message}`);
  }
  return ns;
}
