/**
 * The dashboard page and its assets, served from src/http/public (no CDN: works offline), with a
 * strict Content-Security-Policy so that even a missed escape cannot run injected script.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { RoutePlugin } from "../context.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** src/http/public next to this file; from dist/ fall back to the package's src copy. */
export function publicDir(): string {
  const here = fileURLToPath(new URL("../public/", import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL("../../../../src/http/public/", import.meta.url));
}

/** Library files the page loads, read from node_modules at start-up and served as /assets/vendor/<name>. */
function vendorFiles(): Map<string, { body: Buffer; type: string }> {
  const require = createRequire(import.meta.url);
  const uplotDist = join(require.resolve("uplot/package.json"), "..", "dist");
  return new Map([
    ["uPlot.esm.js", { body: readFileSync(join(uplotDist, "uPlot.esm.js")), type: TYPES[".js"]! }],
    ["uPlot.min.css", { body: readFileSync(join(uplotDist, "uPlot.min.css")), type: TYPES[".css"]! }],
  ]);
}

export const pageRoutes: RoutePlugin = (app) => {
  const vendor = vendorFiles();
  app.get("/assets/vendor/:file", async (req, reply) => {
    const f = vendor.get((req.params as { file: string }).file);
    if (!f) return reply.code(404).send({ error: "NOT_FOUND", message: "No such asset" });
    return reply.header("content-type", f.type).header("cache-control", "max-age=3600").send(f.body);
  });
  const dir = publicDir();
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) files.set(name, { body: readFileSync(join(dir, name)), type });
  }
  const send = (name: string) => {
    const f = files.get(name);
    if (!f) throw new Error(`dashboard asset ${name} missing from ${dir}`);
    return f;
  };
  send("index.html");
  app.get("/", async (_req, reply) => {
    const f = send("index.html");
    return reply.header("content-type", f.type).header("content-security-policy", CSP).header("cache-control", "no-cache").send(f.body);
  });
  app.get("/assets/:file", async (req, reply) => {
    const f = files.get((req.params as { file: string }).file);
    if (!f) return reply.code(404).send({ error: "NOT_FOUND", message: "No such asset" });
    return reply.header("content-type", f.type).header("cache-control", "no-cache").send(f.body);
  });
};
