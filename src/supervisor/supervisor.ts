/**
 * The supervisor (`bg-agents start`): runs the SystemInitializer, starts every agent as its own
 * process, and heals the fleet (the seed's Phase 1). An agent whose process exits, or that the
 * HeartbeatHealthAgent marks stale, is restarted with backoff and a budget (see RestartPolicy);
 * stale evidence is ignored while the monitor or the database is suspect (see assessFleet).
 * Restart requests from the API/CLI (`store.pendingRestarts()`) are served on every tick.
 * The supervisor process itself heartbeats as SystemInitializer from its tick loop. On PostgreSQL
 * it is this host's supervisor (HOST_NAME): its own agents are named `<name>@<host>`, its record is
 * `supervisor@<host>`, and it serves restart requests for its agents only (src/supervision).
 */
import { createAgentContext, type AgentContext } from "../agents/context.js";
import { processHeartbeatInfo } from "../agents/process-info.js";
import { systemClock, type Clock } from "../clock/index.js";
import type { Config } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import { RepeatedProblem } from "../logging/repeat.js";
import { BgAgentsError, type DatabaseError } from "../errors/index.js";
import type { AgentRecord, StateStore } from "../storage/index.js";
import { hostSystemNames, type AgentSpec } from "./agent-specs.js";
import { spawnAgent, stopAgent, type AgentChild } from "./child.js";
import { OwnHeartbeat } from "./own-heartbeat.js";
import { StartGate } from "./start-gate.js";
import { StormQuiet } from "./storm-quiet.js";
import { readSupervisorRecord, sharedByHosts, supervisorKey, type SupervisorRecord } from "../supervision/index.js";
import { killOrphans } from "./leftovers.js";
import { countFleet } from "./fleet-counts.js";
import { assessFleet } from "./guard.js";
import { reconcileRecords } from "./reconcile.js";
import { restartPolicyFor, type RestartPolicy } from "./restart-policy.js";
import { serveRestartRequests } from "./restart-requests.js";
import { restartStaleAgents } from "./stale-restarts.js";
import { ProactiveRestarts } from "./proactive-restarts.js";
import { degradingLimits, readDegrading } from "../views/degrading.js";
import { toSuspicionView } from "../views/suspicion.js";
import { WallClockWatch } from "./wall-clock-watch.js";
import { DEFAULT_STOP_GRACE_MS, type SupervisorOptions } from "./options.js";

export type { SupervisorOptions };

export class Supervisor {
  private readonly config: Config;
  private readonly store: StateStore;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly specs: Map<string, AgentSpec>;
  private readonly policy: RestartPolicy;
  /** Stale agents left alone because a silence holds their restarts (logged once each). */
  private readonly held = new Set<string>();
  private readonly children = new Map<string, AgentChild>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly gaveUp = new Set<string>();
  private readonly unservable = new Set<string>();
  private readonly controller = new AbortController();
  /** Closed until the SystemInitializer is done: graph agents spawned meanwhile wait to be released. */
  private readonly gate = new StartGate();
  private readonly ctx: AgentContext;
  private stopping = false;
  /** Until when a slow or lost database excuses the monitor's silence (it could not write either). */
  private readonly quiet: StormQuiet;
  private loop: Promise<void> | undefined;
  private readonly startedAt: number;
  private readonly stopGraceMs: number;
  private readonly own: OwnHeartbeat;
  /** Agents that exited while the database refused writes: restarted once it accepts them, outside the budget. */
  private readonly waitingForStorage = new Set<string>();
  private fatal: DatabaseError | undefined;
  private readonly clockWatch: WallClockWatch | undefined;
  private readonly bookkeepingTrouble: RepeatedProblem;
  private readonly proactive: ProactiveRestarts;
  /** Its SystemInitializer and HeartbeatHealthAgent, named for this host. */
  private readonly names: { initializer: string; monitor: string };

  constructor(o: SupervisorOptions) {
    this.config = o.config;
    this.store = o.store;
    this.clock = o.clock ?? systemClock;
    this.stopGraceMs = o.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    const monotonic = o.monotonicNow ?? (o.clock ? undefined : () => performance.now());
    if (monotonic) this.clockWatch = new WallClockWatch(monotonic, Math.max(1000, o.config.staleThresholdMs / 2));
    this.log = o.logger.child({ module: "supervisor" });
    this.quiet = new StormQuiet(this.log, 2 * this.config.staleThresholdMs + 2 * this.config.heartbeatIntervalMs);
    this.startedAt = this.clock.now();
    this.bookkeepingTrouble = new RepeatedProblem(this.log, "bookkeeping write", { clock: this.clock });
    this.specs = new Map(o.agents.map((a) => [a.name, a]));
    const c = o.config;
    this.names = hostSystemNames(c);
    this.policy = restartPolicyFor(c);
    this.proactive = new ProactiveRestarts({
      everyMs: c.heartbeatIntervalMs, leadMs: c.proactiveRestartLeadMs, children: this.children, gaveUp: this.gaveUp, log: this.log,
      degrading: (a) => {
        const now = this.clock.now();
        return readDegrading(this.store.perf, a.name, a.startedAt, degradingLimits(c, toSuspicionView(a, now, c).staleAfterMs), now);
      },
      budgetLeft: (n, at) => this.policy.remaining(n, at),
      activeSilences: () => this.store.notify.activeSilences(),
      restart: (n, why) => this.stopGently(n, why),
    });
    this.ctx = createAgentContext({ agentName: this.names.initializer, config: c, store: o.store, clock: this.clock, logger: o.logger, signal: this.controller.signal });
    this.own = new OwnHeartbeat({
      ctx: this.ctx, config: c, clock: this.clock, log: this.log,
      onReplaced: (e) => {
        // no wait brings the file back: stop every agent rather than let them write into nothing
        if (this.fatal) return;
        this.fatal = e;
        this.log.error(e.message);
        void this.stop("the database file was deleted or replaced");
      },
      onLockHolders: (pids) => this.killLockHolders(pids),
    });
  }

  get tickMs(): number {
    return Math.min(1000, this.config.heartbeatIntervalMs);
  }

  /**
   * Kills agent processes a SIGKILLed previous supervisor left running, runs the SystemInitializer,
   * starts the agents. Graph agents are spawned first, held (start-gate.ts): they load LangGraph,
   * the first to have loaded runs the initializer, and they touch the database only once it is done.
   */
  async start(): Promise<void> {
    await this.killOrphans();
    await this.saveRecord(); // what it runs, before anything else: restart requests are accepted only for these
    const specs = [...this.specs.values()];
    for (const spec of specs) if (spec.kind === "graph") this.startAgent(spec, "starting");
    await this.initialize();
    this.gate.open();
    for (const spec of specs) if (spec.kind !== "graph") this.startAgent(spec, "starting");
    this.loop = this.run();
  }

  /**
   * The SystemInitializer, in a held agent's process; in this one (importing LangGraph, about
   * 40 MB) only when no held agent can run it: the fleet has no graph agent, or the one asked exited.
   */
  private async initialize(): Promise<void> {
    const agents = [...this.specs.keys()];
    const answer = await this.gate.initialize({ name: this.names.initializer, agents, sessionId: this.ctx.sessionId, self: processHeartbeatInfo(this.ctx.version) });
    if (answer?.error) {
      if (this.stopping) return; // it was stopped with the rest
      throw answer.error.code ? new BgAgentsError(answer.error.code, answer.error.message) : new Error(answer.error.message);
    }
    if (answer || this.stopping) return;
    const { runInitializer } = await import("../agents/initializer/run.js");
    await runInitializer(this.ctx, agents);
  }

  /**
   * Resolves once the agents started by start() are active (or exited): the dashboard starts
   * after, so that loading it does not compete with their last steps for the CPU.
   */
  agentsActive(): Promise<void> {
    return this.gate.allActive();
  }

  /** Resolves when the supervision loop ends (after stop()). */
  wait(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.tick();
      } catch (e) {
        this.log.error(`supervision tick failed: ${(e as Error).message}`);
      }
      await this.clock.sleep(this.tickMs, this.controller.signal);
    }
  }

  private async tick(): Promise<void> {
    this.followClockJump();
    this.own.sendIfDue();
    const now = this.clock.now();
    const dbWriteMs = this.own.writeMs(now);
    // only our own agents are read row by row; the rest of the fleet as counts
    const own = new Map<string, AgentRecord>();
    for (const name of this.specs.keys()) {
      const a = await this.store.getAgent(name);
      if (a) own.set(name, a);
    }
    await reconcileRecords({
      own, gaveUp: this.gaveUp, hasProcess: (name) => this.stopping || this.children.has(name),
      write: (name, state, reason) => this.quietly(() => this.store.updateAgentState(name, state, reason)),
    });
    const restarting = new Set([...this.specs.keys()].filter((n) => {
      const child = this.children.get(n);
      return !child || child.pid !== own.get(n)?.pid;
    }));
    for (const [name, a] of own) {
      const child = this.children.get(name);
      if (child && child.activeAt === undefined && a.state === "active" && a.pid === child.pid) child.activeAt = now;
    }
    const verdict = assessFleet({
      now,
      fleet: await countFleet({ store: this.store, config: this.config, now, own, monitor: this.names.monitor, restarting }),
      monitor: own.get(this.names.monitor),
      monitorRestarting: restarting.has(this.names.monitor),
      staleThresholdMs: this.config.staleThresholdMs,
      dbWriteMs,
      dbRefusing: this.own.refusing,
    });
    const holdRestarts = this.quiet.holdsRestarts(verdict.suspect, now);
    await this.serveRequests();
    if (!this.own.refusing) this.restartWaitingForStorage();
    if (verdict.monitorHung && now >= this.own.monitorExcusedUntil) this.restartHung(this.names.monitor, "the monitor stopped heartbeating while the database answers");
    if (holdRestarts) return;
    await restartStaleAgents({
      now, own, children: this.children, staleThresholdMs: this.config.staleThresholdMs, held: this.held, log: this.log,
      activeSilences: () => this.store.notify.activeSilences(), restart: (name, why) => this.restartHung(name, why),
    });
    if (this.config.proactiveRestart === "predicted") await this.proactive.check(now, own);
  }

  /** SIGTERM: the agent runtime stops between steps; its exit handler restarts it with `why` as the reason. */
  private stopGently(name: string, why: string): void {
    const child = this.children.get(name);
    if (!child || child.stopReason) return;
    child.stopReason = why;
    void stopAgent(child, this.stopGraceMs);
  }

  /** After a wall-clock jump: deadlines move with it, and the monitor's stamps get a threshold to catch up. */
  private followClockJump(): void {
    const now = this.clock.now();
    const jump = this.clockWatch?.check(now) ?? 0;
    if (jump === 0) return;
    this.quiet.shift(jump);
    this.own.shift(jump, now);
    for (const child of this.children.values()) child.startedAt += jump;
    this.log.warn(`the wall clock jumped ${jump > 0 ? "forward" : "back"} by ${Math.round(Math.abs(jump) / 1000)}s; the monitor gets one STALE_THRESHOLD before its heartbeat is judged`);
  }

  /** Why the supervisor stopped the fleet by itself (the database file was replaced), if it did. */
  get fatalError(): DatabaseError | undefined {
    return this.fatal;
  }

  /** A child holding the state lock past LOCK_TIMEOUT is hung (or SIGSTOPped) and freezes every writer. */
  private killLockHolders(pids: readonly number[]): void {
    for (const child of this.children.values()) {
      if (!pids.includes(child.pid)) continue;
      child.heldTheLock = true;
      // already being stopped gently (a restart request, a proactive restart): no grace for a frozen holder
      if (child.stopReason) child.proc.kill("SIGKILL");
      else this.restartHung(child.spec.name, "holds the state lock past LOCK_TIMEOUT (hung or stopped)");
    }
  }

  private restartWaitingForStorage(): void {
    for (const name of this.waitingForStorage) {
      this.waitingForStorage.delete(name);
      const spec = this.specs.get(name);
      if (spec && !this.children.has(name) && !this.timers.has(name)) this.startAgent(spec, "the database accepts writes again");
    }
  }

  private serveRequests(): Promise<void> {
    return serveRestartRequests({
      pending: () => this.store.pendingRestarts(), specs: this.specs, children: this.children, timers: this.timers, policy: this.policy,
      gaveUp: this.gaveUp, unservable: this.unservable, sharedByHosts: sharedByHosts(this.config), log: this.log, stopGraceMs: this.stopGraceMs,
      start: (spec) => this.startAgent(spec, "restart requested", true),
    });
  }

  /** Kills a live-but-silent agent; its exit handler restarts it. */
  private restartHung(name: string, why: string): void {
    const child = this.children.get(name);
    if (!child || child.stopReason) return;
    child.stopReason = why;
    this.log.warn(`${name} (pid ${child.pid}) ${why}: killing it for a restart`);
    void stopAgent(child, Math.min(2000, this.config.staleThresholdMs));
  }

  private startAgent(spec: AgentSpec, why: string, counted = false): void {
    if (this.stopping) return;
    let child: AgentChild;
    try {
      child = spawnAgent(spec, this.config, this.clock.now(), this.gate);
    } catch (e) {
      this.log.error(`could not start ${spec.name}: ${(e as Error).message}`);
      void this.onExit(spec, this.clock.now(), false, `could not start: ${(e as Error).message}`);
      return;
    }
    this.children.set(spec.name, child);
    this.log.info(`${spec.name} started (pid ${child.pid}; ${why})`);
    if (counted) void this.quietly(() => this.store.noteRestart(spec.name));
    void this.saveRecord();
    void child.exited.then((how) => {
      if (this.children.get(spec.name) === child) this.children.delete(spec.name);
      if (this.stopping) return;
      if (child.restartNow) {
        this.startAgent(spec, "restart requested", true);
        return;
      }
      const exitText = how.signal ? `signal ${how.signal}` : `code ${how.code}`;
      // a run that never became active is not stable, however long its start-up took
      return this.onExit(spec, child.activeAt ?? this.clock.now(), child.heldTheLock === true, child.stopReason ?? `process ${child.pid} exited (${exitText})`);
    });
  }

  /**
   * `heldTheLock`: it was killed for holding the state lock, so while the writes are refused for that
   * lock (LOCK_TIMEOUT) its restart is its own, in its budget; any other refusal is the shared cause.
   */
  private async onExit(spec: AgentSpec, activeSince: number, heldTheLock: boolean, why: string): Promise<void> {
    const now = this.clock.now();
    if (this.own.refusing && !(heldTheLock && this.own.refusing === "LOCK_TIMEOUT")) {
      // the shared cause, not this agent's: no budget spent, and no restart into the same wall
      this.waitingForStorage.add(spec.name);
      this.log.warn(`${spec.name}: ${why} while the database refuses writes (${this.own.refusing}); restarting it once writes are accepted, outside the restart budget`);
      await this.quietly(() => this.store.updateAgentState(spec.name, "recovering", `${why}; waiting for the database to accept writes (${this.own.refusing})`));
      return;
    }
    const d = this.policy.next(spec.name, now, activeSince);
    if (d.action === "give-up") {
      this.gaveUp.add(spec.name);
      const reason = `${why}; restart budget spent (${d.inWindow} restarts within ${(this.policy.opts.windowMs / 1000).toFixed(0)}s): ` +
        `not restarting until asked (bg-agents restart ${spec.name})`;
      this.log.error(`${spec.name}: ${reason}`);
      await this.quietly(() => this.store.updateAgentState(spec.name, "failed", reason));
      return;
    }
    const reason = `${why}; restart ${d.attempt} in ${d.delayMs} ms (${d.inWindow} of ${this.policy.opts.budget} in window)`;
    this.log.warn(`${spec.name}: ${reason}`);
    await this.quietly(() => this.store.updateAgentState(spec.name, "recovering", reason));
    if (this.stopping) return;
    this.timers.set(spec.name, setTimeout(() => {
      this.timers.delete(spec.name);
      this.startAgent(spec, `restart ${d.attempt} after ${why}`, true);
    }, d.delayMs));
  }

  /** Stops every agent (SIGTERM, SIGKILL after the grace), marks them and itself stopped. */
  async stop(why = "shutdown requested"): Promise<void> {
    if (this.stopping) return this.loop;
    this.stopping = true;
    this.controller.abort();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.log.info(`${why}: stopping ${this.children.size} agent(s)`);
    await Promise.all([...this.children.values()].map((c) => stopAgent(c, this.stopGraceMs)));
    for (const name of this.specs.keys()) {
      const a = await this.store.getAgent(name);
      if (a && a.state !== "stopped" && a.state !== "failed") await this.quietly(() => this.store.updateAgentState(name, "stopped", `supervisor: ${why}`));
    }
    await this.quietly(() => this.store.updateAgentState(this.names.initializer, "stopped", why));
    this.children.clear();
    await this.saveRecord();
    await this.loop;
  }

  /** The running children, for tests and the CLI. */
  pids(): Record<string, number> {
    return Object.fromEntries([...this.children].map(([n, c]) => [n, c.pid]));
  }

  private async saveRecord(): Promise<void> {
    const record: SupervisorRecord = {
      pid: process.pid, host: this.config.hostName, startedAt: this.startedAt, agents: [...this.specs.keys()],
      children: [...this.children.values()].map((c) => ({ name: c.spec.name, pid: c.pid })),
      ...(this.specs.has(this.names.monitor) ? { monitor: this.names.monitor } : {}),
    };
    await this.quietly(() => this.store.fleet.setSystemState(supervisorKey(this.config), record));
  }

  private async killOrphans(): Promise<void> {
    await killOrphans(await readSupervisorRecord(this.store.fleet, supervisorKey(this.config)), this.config.hostName, this.log, this.clock);
  }

  private async quietly(op: () => Promise<unknown>): Promise<void> {
    try {
      await op();
      this.bookkeepingTrouble.recovered();
    } catch (e) {
      this.bookkeepingTrouble.failed(e);
    }
  }
}
