/**
 * A throw-away PostgreSQL cluster that a second host (a network namespace, ./netns.ts) reaches
 * too: made before the file's tests, removed after them (call at the top of a test file).
 */
import { afterAll, beforeAll } from "vitest";
import { createNetNs, type NetNs } from "./netns.js";
import { startCluster, type PgCluster } from "./postgres.js";

export interface ClusterWithSecondHost {
  readonly cluster: PgCluster;
  readonly ns: NetNs;
  /** `url` as a process inside the namespace reaches it. */
  remote(url: string): string;
}

export function useClusterWithSecondHost(): ClusterWithSecondHost {
  let cluster: PgCluster | undefined;
  let ns: NetNs | undefined;
  beforeAll(async () => {
    ns = createNetNs();
    cluster = await startCluster({ alsoListen: [ns.hostAddress] });
  });
  afterAll(() => {
    cluster?.destroy();
    ns?.destroy();
  });
  return {
    get cluster() {
      return cluster!;
    },
    get ns() {
      return ns!;
    },
    remote: (url) => url.replace("127.0.0.1", ns!.hostAddress),
  };
}
