/**
 * `bg-agents silence <agent|glob> --for 2h`: the agent is still monitored and shown, but sends no
 * notification until the silence ends (by itself, or `bg-agents unsilence`). No name: list them.
 */
import { InvalidArgumentError, type Command } from "commander";
import { ValidationError } from "../../errors/index.js";
import type { Silence } from "../../storage/index.js";
import { printJson } from "../format/json.js";
import { renderTable } from "../format/table.js";
import { formatDuration } from "../format/units.js";
import { action, cliConfig, durationArg, EXIT, openExistingStore, withCommonOptions, type DbOptions } from "../support/run.js";

interface SilenceOptions extends DbOptions {
  for?: number;
  reason?: string;
  holdRestarts?: boolean;
}

const MAX_SILENCE_MS = 366 * 24 * 3600_000;

/** An agent name or a glob of them: the name rule's characters plus * ? [ ] { } , ! */
export function parsePattern(value: string): string {
  const p = value.trim();
  if (!p || p.length > 200 || /[\u0000-\u001f\u007f]/.test(p)) throw new InvalidArgumentError("expected an agent name or a glob such as web-*");
  return p;
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("silence")
      .description("Hold back notifications for an agent or a glob of agents for a while (still monitored and shown); no name lists the silences")
      .argument("[agent]", "agent name or glob (web-*)", parsePattern)
      .option("--for <duration>", "how long (30m, 2h, 1d)", durationArg)
      .option("--reason <text>", "why (shown with the silence)")
      .option("--hold-restarts", "the supervisor also holds restarts of matching agents"),
  )
    .addHelpText("after", "\nExit codes: 0 done, 2 bad usage or database.")
    .action(action(async (pattern: string | undefined, opts: SilenceOptions) => {
      const config = cliConfig({ databasePath: opts.db });
      const store = await openExistingStore(config);
      try {
        if (pattern === undefined) {
          const list = await store.notify.activeSilences();
          if (opts.json) printJson({ silences: list });
          else process.stdout.write(renderSilences(list, Date.now()) + "\n");
          return EXIT.OK;
        }
        if (opts.for === undefined) throw new ValidationError("Say how long: bg-agents silence <agent> --for 2h");
        if (opts.for <= 0 || opts.for > MAX_SILENCE_MS) throw new ValidationError("--for must be between 1 s and 366 days");
        const s = await store.notify.addSilence({ pattern, untilMs: opts.for, reason: opts.reason, holdRestarts: opts.holdRestarts === true });
        if (opts.json) printJson({ silence: s });
        else process.stdout.write(`Silenced ${pattern} for ${formatDuration(opts.for)} (until ${new Date(s.until).toISOString()})${s.holdRestarts ? "; restarts held" : ""}. End it early: bg-agents unsilence ${pattern}\n`);
        return EXIT.OK;
      } finally {
        await store.close();
      }
    }));

  withCommonOptions(
    program
      .command("unsilence")
      .description("End the silences of an agent or glob (as given to silence), or one by its id")
      .argument("<agent>", "the name or glob a silence was given, or its id", parsePattern),
  )
    .addHelpText("after", "\nExit codes: 0 ended at least one, 1 none matched, 2 bad usage or database.")
    .action(action(async (pattern: string, opts: DbOptions) => {
      const config = cliConfig({ databasePath: opts.db });
      const store = await openExistingStore(config);
      let ended: number;
      try {
        ended = await store.notify.removeSilences(/^\d+$/.test(pattern) ? { id: Number(pattern), pattern } : { pattern });
      } finally {
        await store.close();
      }
      if (opts.json) printJson({ ended });
      else process.stdout.write(ended ? `Ended ${ended} silence(s) of ${pattern}.\n` : `No active silence matches ${pattern}; list them with: bg-agents silence\n`);
      return ended ? EXIT.OK : EXIT.PROBLEMS;
    }));
}

function renderSilences(list: readonly Silence[], now: number): string {
  if (!list.length) return "No active silences.";
  return renderTable(list, [
    { header: "ID", value: (s) => String(s.id), align: "right" },
    { header: "AGENTS", value: (s) => s.pattern },
    { header: "ENDS IN", value: (s) => formatDuration(s.until - now) },
    { header: "RESTARTS", value: (s) => (s.holdRestarts ? "held" : "as usual") },
    { header: "REASON", value: (s) => s.reason ?? "", max: 60 },
  ]);
}
