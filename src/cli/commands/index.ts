/** Every `bg-agents` command, in the order `--help` lists them. */
import type { Command } from "commander";
import { register as monitor } from "./monitor.js";

export const COMMANDS: Array<(program: Command) => void> = [monitor];
