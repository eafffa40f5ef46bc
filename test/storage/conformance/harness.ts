/**
 * What a backend hands the storage conformance suite: a factory that opens a fresh, empty store
 * and the clock the store stamps its writes with. The suite reads "now" only from that clock and
 * moves it only by `advance(ms)`, and every time it asserts is relative to the clock's value when
 * the store was opened: a backend that takes time from its server can pass a clock that reads the
 * server's time and moves it (an offset the backend adds, say), with no fixed epoch to meet.
 */
import { afterEach } from "vitest";
import type { StateStore } from "../../../src/storage/index.js";

export interface SuiteClock {
  /** The time the store stamps a write with right now (epoch ms). */
  now(): number;
  /** Moves the store's time forward by `ms`. */
  advance(ms: number): void | Promise<void>;
}

export interface StoreUnderTest {
  store: StateStore;
  clock: SuiteClock;
  /** Closes the store and removes whatever the factory created (files, schemas, databases). */
  close(): Promise<void>;
}

export interface StoreFactoryOptions {
  /** Checkpoints kept per thread by store.createCheckpointer() (CHECKPOINT_RETENTION). */
  checkpointRetention?: number;
}

/** Opens a fresh, empty store each call. */
export type StoreFactory = (opts?: StoreFactoryOptions) => Promise<StoreUnderTest>;

export interface OpenStore {
  store: StateStore;
  /** Reads and moves the store's time (advance always awaitable). */
  clock: { now(): number; advance(ms: number): Promise<void> };
  /** The store's time when it was opened: the origin of every time the tests expect. */
  t0: number;
}

/** Opens stores for one test and closes them after it. Call inside the suite's describe. */
export function useStores(factory: StoreFactory): (opts?: StoreFactoryOptions) => Promise<OpenStore> {
  const opened: StoreUnderTest[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });
  return async (opts) => {
    const s = await factory(opts);
    opened.push(s);
    const clock = { now: () => s.clock.now(), advance: async (ms: number) => void (await s.clock.advance(ms)) };
    return { store: s.store, clock, t0: clock.now() };
  };
}

export type Open = ReturnType<typeof useStores>;
