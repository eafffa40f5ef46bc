/** Real local receivers for notification tests: an HTTP server that records every request, and an SMTP server. */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpReceiver {
  url: string;
  requests: Received[];
  /** Status to answer with (default 200); a function may vary it per request. */
  status: number | ((r: Received) => number);
  /** Answer this long after the request arrived (a kill can land while it is open). */
  delayMs: number;
  /** Every request as it arrived, answered or not. */
  arrivals: Received[];
  close(): Promise<void>;
}

export async function httpReceiver(): Promise<HttpReceiver> {
  const requests: Received[] = [];
  const rx: HttpReceiver = { url: "", requests, status: 200, delayMs: 0, arrivals: [], close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Received = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      rx.arrivals.push(r);
      const answer = () => {
        const status = typeof rx.status === "function" ? rx.status(r) : rx.status;
        if (status < 300) requests.push(r);
        res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "no");
      };
      if (rx.delayMs > 0) setTimeout(answer, rx.delayMs);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  rx.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rx.close = () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); });
  return rx;
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpReceiver {
  port: number;
  mails: Mail[];
  /** Reply code for RCPT TO (default accept); 550 refuses the address. */
  rejectRcpt?: number;
  close(): Promise<void>;
}

export async function smtpReceiver(): Promise<SmtpReceiver> {
  const mails: Mail[] = [];
  const rx: SmtpReceiver = { port: 0, mails, close: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (rx.rejectRcpt) return cb(Object.assign(new Error("mailbox unavailable"), { responseCode: rx.rejectRcpt }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((a) => a.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  rx.port = (server.server.address() as AddressInfo).port;
  rx.close = () => new Promise((r) => server.close(() => r()));
  return rx;
}
