/**
 * Progress for long work, on stderr and only when stderr is a TTY (scripts and pipes see nothing):
 * a spinner with the elapsed time, redrawn in place, erased when done.
 */
const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export interface Progress {
  update(text: string): void;
  done(): void;
}

export function startProgress(text: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const started = Date.now();
  let label = text;
  let frame = 0;
  const draw = () => {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    stream.write(`\r\u001b[2K${FRAMES[frame++ % FRAMES.length]} ${label} (${secs}s)`);
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  draw();
  return {
    update: (t) => void (label = t),
    done: () => {
      clearInterval(timer);
      stream.write("\r\u001b[2K");
    },
  };
}
