/**
 * A cheap HTTP/1.1 keep-alive client for load generation: `connections` plain TCP sockets, one
 * request in flight per socket (no pipelining), requests written as prebuilt strings, answers
 * parsed only as far as the status line and Content-Length. node:http's client costs several
 * times more CPU per request, enough to make the load generator the bottleneck at 5k/s on 2 cores.
 * Only for our own server's answers (Content-Length bodies, no chunked encoding).
 */
import { connect, type Socket } from "node:net";

export interface RawAnswer { status: number; body: string }

interface Job { head: string; body: string; resolve: (a: RawAnswer) => void; reject: (e: Error) => void }

class Connection {
  private readonly socket: Socket;
  private buf = "";
  private job: Job | undefined;

  constructor(port: number, private readonly next: () => Job | undefined) {
    this.socket = connect({ host: "127.0.0.1", port, noDelay: true });
    this.socket.setEncoding("latin1");
    this.socket.on("data", (d: string) => this.onData(d));
    this.socket.on("error", (e) => this.fail(e));
    this.socket.on("close", () => this.fail(new Error("connection closed")));
  }

  get idle(): boolean {
    return this.job === undefined;
  }

  start(): void {
    this.job = this.next();
    if (this.job) this.socket.write(this.job.head + this.job.body, "latin1");
  }

  private onData(d: string): void {
    this.buf += d;
    for (;;) {
      const end = this.buf.indexOf("\r\n\r\n");
      if (end < 0 || !this.job) return;
      const head = this.buf.slice(0, end);
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const length = m ? Number(m[1]) : 0;
      if (this.buf.length < end + 4 + length) return;
      const body = this.buf.slice(end + 4, end + 4 + length);
      this.buf = this.buf.slice(end + 4 + length);
      const job = this.job;
      this.job = undefined;
      job.resolve({ status: Number(head.slice(9, 12)), body });
      this.start();
    }
  }

  private fail(e: Error): void {
    const job = this.job;
    this.job = undefined;
    job?.reject(e);
  }

  close(): void {
    this.socket.destroy();
  }
}

export class RawHttpPool {
  private readonly queue: Job[] = [];
  private readonly conns: Connection[];

  constructor(private readonly port: number, connections: number) {
    this.conns = Array.from({ length: connections }, () => new Connection(port, () => this.queue.shift()));
  }

  /** Queued requests not yet written (the client-side backlog). */
  get backlog(): number {
    return this.queue.length;
  }

  post(path: string, json: string): Promise<RawAnswer> {
    const body = Buffer.from(json, "utf8").toString("latin1");
    const head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1:${this.port}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`;
    return new Promise((resolve, reject) => {
      this.queue.push({ head, body, resolve, reject });
      this.conns.find((c) => c.idle)?.start();
    });
  }

  close(): void {
    for (const c of this.conns) c.close();
    for (const j of this.queue.splice(0)) j.reject(new Error("pool closed"));
  }
}
