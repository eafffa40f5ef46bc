/**
 * The orphan lifeline, preloaded by spawnAgent into every agent process (`node --import`), the
 * agent runner's and users' `--script` programs alike, before their own code loads: when the
 * supervisor's IPC channel closes (the supervisor died) the process exits at once, without
 * touching its record, so the next SystemInitializer sees and marks the leftover. The channel is
 * unref'd so that it never keeps a program alive that would otherwise end by itself.
 * No imports: it runs before the program and must cost nothing.
 */
const GONE = "supervisor gone (IPC channel closed): exiting without touching the record";

function exitOrphaned(): never {
  process.stderr.write(`bg-agents agent ${process.env.AGENT_NAME ?? ""} (pid ${process.pid}): ${GONE}\n`);
  process.exit(1);
}

// started with an IPC channel (by the supervisor): process.send stays defined after it closes
if (typeof process.send === "function") {
  process.once("disconnect", exitOrphaned);
  process.channel?.unref();
  // the channel closed before the listener was in place (during node/loader start-up)
  if (!process.connected) exitOrphaned();
}
