/** Every `bg-agents` command, in the order `--help` lists them. */
import type { Command } from "commander";
import { register as dashboard } from "./dashboard.js";
import { register as monitor } from "./monitor.js";
import { register as start } from "./start.js";
import { register as restart } from "./restart.js";
import { register as status } from "./status.js";
import { register as dbCheck } from "./db-check.js";
import { register as cleanupStale } from "./cleanup-stale.js";
import { register as inspect } from "./inspect.js";
import { register as logs } from "./logs.js";
import { register as doctor } from "./doctor.js";
import { register as traces } from "./traces.js";
import { register as langgraphRuns } from "./langgraph-runs.js";
import { register as notifications } from "./notifications.js";
import { register as silence } from "./silence.js";

export const COMMANDS: Array<(program: Command) => void> = [start, restart, monitor, dashboard, status, dbCheck, cleanupStale, inspect, logs, doctor, traces, langgraphRuns, notifications, silence];
