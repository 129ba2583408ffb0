#!/usr/bin/env node
// The local bridge between the Phone Numbers page and one `switchboard` process.
//
//   node clients/web/bridge.mjs [--port N] [--bin PATH]
//
// Binds 127.0.0.1 only (a free port unless --port), spawns `switchboard` (--bin, then
// SWITCHBOARD_BIN, then PATH), serves the page from this folder and relays JSON-RPC:
//   POST /rpc     one request or a batch, `Authorization: Bearer TOKEN` -> the response(s)
//   GET  /events  `Authorization: Bearer TOKEN` -> text/event-stream of `$/progress` for this page
// The first stdout line is the page URL with the per-launch token in the fragment. Requests without
// the token, from a foreign Origin or for a foreign Host get 403 and nothing reaches Switchboard;
// only the methods the page uses are relayed. Zero dependencies (Node 18+).
import { spawn } from "node:child_process";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { delimiter, dirname, extname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

/** Methods the page calls; everything else is refused before it reaches Switchboard. */
export const ALLOWED_METHODS = new Set([
  "getCredentialStatus", "setCredentials", "verifyCredentials", "listProfiles",
  "listNumbers", "listTwilio", "importNumber", "importNumbers", "createNumber", "updateNumber", "deleteNumber",
  "listOperations", "getUsage", "deleteNumbers", "$/cancelRequest",
]);

/** Files the bridge serves, and their types. Nothing else in the folder is reachable. */
const STATIC = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/index.html": ["index.html", "text/html; charset=utf-8"],
  "/styles.css": ["styles.css", "text/css; charset=utf-8"],
  "/favicon.svg": ["favicon.svg", "image/svg+xml"],
  "/favicon.ico": ["favicon.svg", "image/svg+xml"],
};
const JS_MODULE = /^\/js\/[a-z][a-z0-9-]*\.js$/;

const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
  "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join("; ");
const SECURITY_HEADERS = {
  "Content-Security-Policy": CSP,
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Cache-Control": "no-store",
};
const MAX_BODY = 1 << 20;

function parseArgs(argv) {
  const out = { port: 0, bin: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--port") out.port = Number(value());
    else if (a.startsWith("--port=")) out.port = Number(a.slice(7));
    else if (a === "--bin") out.bin = value();
    else if (a.startsWith("--bin=")) out.bin = a.slice(6);
    else if (a === "--help" || a === "-h") {
      process.stdout.write("usage: node bridge.mjs [--port N] [--bin PATH]\n");
      process.exit(0);
    } else fail(`unknown argument ${a}`);
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) fail("--port must be 0-65535");
  return out;
}

function fail(message) {
  process.stderr.write(`bridge: ${message}\n`);
  process.exit(2);
}

/** The binary as the clients find it: --bin, then SWITCHBOARD_BIN, then `switchboard` on PATH. */
function findBinary(explicit) {
  if (explicit) return explicit;
  if (process.env.SWITCHBOARD_BIN) return process.env.SWITCHBOARD_BIN;
  for (const dir of (process.env.PATH || "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "switchboard");
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch { /* not here */ }
  }
  fail("switchboard not found: pass --bin PATH, set SWITCHBOARD_BIN or put it on PATH");
}

/** One switchboard child speaking line-delimited JSON-RPC; ids are the bridge's own. */
class Upstream {
  constructor(bin, onExit) {
    this.pending = new Map(); // bridge id -> {resolve}
    this.progress = new Map(); // bridge token -> {stream, token}
    this.nextId = 1;
    this.child = spawn(bin, ["serve", "--clientProcessId", String(process.pid)], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    this.child.on("error", (err) => {
      process.stderr.write(`bridge: cannot start switchboard: ${err.message}\n`);
      onExit(1, false);
    });
    this.child.on("exit", (code, signal) => onExit(code ?? (signal ? 1 : 0), true));
    this.child.stdin.on("error", () => {});
    createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on("line", (line) => this.onLine(line));
  }

  onLine(line) {
    let msg;
    try { msg = JSON.parse(line); } catch { return; }
    const items = Array.isArray(msg) ? msg : [msg];
    for (const item of items) {
      if (item && item.method === "$/progress" && item.params) {
        const route = this.progress.get(item.params.token);
        if (route) route.stream.send({ ...item, params: { ...item.params, token: route.token } });
      } else if (item && Object.hasOwn(item, "id") && this.pending.has(item.id)) {
        const waiter = this.pending.get(item.id);
        this.pending.delete(item.id);
        waiter.resolve(item);
      }
    }
  }

  write(obj) {
    this.child.stdin.write(JSON.stringify(obj) + "\n");
  }

  /** Sends one request under a fresh id and resolves with the reply carrying it. */
  request(obj) {
    const id = `b${this.nextId++}`;
    return { id, reply: new Promise((resolve) => {
      this.pending.set(id, { resolve });
      this.write({ ...obj, id });
    }) };
  }

  newToken() {
    return `p${this.nextId++}`;
  }

  stop() {
    try { this.child.stdin.end(); } catch { /* already closed */ }
    const timer = setTimeout(() => { try { this.child.kill("SIGKILL"); } catch { /* gone */ } }, 3000);
    timer.unref();
  }
}

/** The progress channel of one page (one `GET /events` response). */
class EventStream {
  constructor(id, res) {
    this.id = id;
    this.res = res;
    this.inflight = new Map(); // page id (JSON) -> bridge id, for $/cancelRequest
  }

  send(message) {
    if (this.res.destroyed || this.res.writableEnded) return;
    this.res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }
}

function tokenMatches(header, token) {
  const m = /^Bearer ([A-Za-z0-9_-]+)$/.exec(header || "");
  if (!m) return false;
  const given = Buffer.from(m[1]);
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function send(res, status, body, type = "application/json; charset=utf-8") {
  const data = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, "Content-Type": type, "Content-Length": Buffer.byteLength(data) });
  res.end(data);
}

function refuse(res, reason) {
  send(res, 403, { error: "forbidden", reason });
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const bin = findBinary(args.bin);
  const token = randomBytes(32).toString("base64url");
  const streams = new Map();
  let nextStream = 1;
  let port = 0;
  let exiting = false;

  let childGone = false;
  let exitCode = 0;
  /** Stops serving, ends switchboard (stdin closed, SIGKILL after 3 s) and exits once it is gone. */
  const exit = (code) => {
    if (!exiting) {
      exiting = true;
      exitCode = code;
      for (const s of streams.values()) s.res.end();
      server.close();
      server.closeAllConnections?.();
      upstream.stop();
    }
    if (childGone) process.exit(exitCode);
  };
  const upstream = new Upstream(bin, (code, ran) => {
    childGone = true;
    if (!exiting && ran) process.stderr.write(`bridge: switchboard exited (${code}); stopping\n`);
    exit(code === 0 ? 0 : 1);
  });

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  /** Host, Origin and fetch-site checks that every request must pass (DNS rebinding, CSRF). */
  const checkOrigin = (req) => {
    if (!allowedHosts().has(req.headers.host || "")) return "foreign Host";
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return "foreign Origin";
    const site = req.headers["sec-fetch-site"];
    if (site !== undefined && site !== "same-origin" && site !== "none") return "cross-site request";
    return null;
  };

  const serveStatic = (req, res, path) => {
    let entry = STATIC[path];
    if (!entry && JS_MODULE.test(path)) entry = [path.slice(1), "text/javascript; charset=utf-8"];
    const file = entry && join(HERE, entry[0]);
    if (!file || !existsSync(file)) return send(res, 404, { error: "not found" });
    const body = readFileSync(file);
    if (req.method === "HEAD") {
      res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": entry[1], "Content-Length": body.length });
      return res.end();
    }
    send(res, 200, body, entry[1]);
  };

  const openEvents = (req, res) => {
    const stream = new EventStream(`s${nextStream++}`, res);
    streams.set(stream.id, stream);
    res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "text/event-stream; charset=utf-8", Connection: "keep-alive" });
    res.write(`event: ready\ndata: ${JSON.stringify({ stream: stream.id })}\n\n`);
    const ping = setInterval(() => res.write(": keep-alive\n\n"), 15000);
    req.on("close", () => {
      clearInterval(ping);
      streams.delete(stream.id);
    });
  };

  /** Relays one page request; resolves with the reply for the page, or null for a notification. */
  const relay = async (item, stream, sent) => {
    if (item.method === "$/cancelRequest") {
      const bridgeId = stream?.inflight.get(JSON.stringify(item.params?.id));
      if (bridgeId !== undefined) upstream.write({ jsonrpc: "2.0", method: "$/cancelRequest", params: { id: bridgeId } });
      return null;
    }
    const forward = { jsonrpc: item.jsonrpc, method: item.method };
    const tokens = [];
    if (item.params !== undefined) {
      forward.params = item.params;
      if (item.params && typeof item.params === "object" && !Array.isArray(item.params)) {
        forward.params = { ...item.params };
        for (const key of ["workDoneToken", "partialResultToken"]) {
          if (!Object.hasOwn(forward.params, key)) continue;
          const mine = upstream.newToken();
          if (stream) upstream.progress.set(mine, { stream, token: forward.params[key] });
          tokens.push(mine);
          forward.params[key] = mine;
        }
      }
    }
    if (!Object.hasOwn(item, "id")) {
      upstream.write(forward);
      return null;
    }
    const { id, reply } = upstream.request(forward);
    sent.push(id);
    const key = JSON.stringify(item.id);
    stream?.inflight.set(key, id);
    try {
      const answer = await reply;
      return { ...answer, id: item.id };
    } finally {
      stream?.inflight.delete(key);
      for (const t of tokens) upstream.progress.delete(t);
    }
  };

  const handleRpc = (req, res) => {
    if (!/^application\/json\b/i.test(req.headers["content-type"] || "")) {
      return send(res, 415, { error: "unsupported media type", reason: "Content-Type must be application/json" });
    }
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        send(res, 413, { error: "too large" });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", async () => {
      if (size > MAX_BODY) return;
      let body;
      try { body = JSON.parse(Buffer.concat(chunks).toString("utf8")); } catch {
        return send(res, 400, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error." } });
      }
      const batch = Array.isArray(body);
      const items = batch ? body : [body];
      if (items.length === 0) {
        return send(res, 400, { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid request: empty batch." } });
      }
      for (const item of items) {
        const method = item && typeof item === "object" && !Array.isArray(item) ? item.method : undefined;
        if (typeof method !== "string" || !ALLOWED_METHODS.has(method)) {
          return send(res, 403, {
            jsonrpc: "2.0", id: item?.id ?? null,
            error: { code: -32601, message: "Method not available through the bridge.", data: { method: typeof method === "string" ? method : null } },
          });
        }
        // Only well-formed requests go on, so every one of them gets a reply carrying its id.
        const badId = Object.hasOwn(item, "id") && item.id !== null && !["string", "number"].includes(typeof item.id);
        if (item.jsonrpc !== "2.0" || badId) {
          return send(res, 400, { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid request: jsonrpc must be \"2.0\" and an id a string, number or null." } });
        }
      }
      const stream = streams.get(req.headers["x-bridge-stream"] || "");
      const sent = [];
      // A page that goes away (tab closed, fetch aborted) cancels what it was waiting for.
      res.on("close", () => {
        if (res.writableFinished) return;
        for (const id of sent) {
          if (upstream.pending.has(id)) upstream.write({ jsonrpc: "2.0", method: "$/cancelRequest", params: { id } });
        }
      });
      const replies = (await Promise.all(items.map((item) => relay(item, stream, sent)))).filter((r) => r !== null);
      if (res.destroyed) return;
      if (replies.length === 0) {
        res.writeHead(204, SECURITY_HEADERS);
        return res.end();
      }
      send(res, 200, batch ? replies : replies[0]);
    });
  };

  const server = createServer((req, res) => {
    const problem = checkOrigin(req);
    if (problem) return refuse(res, problem);
    const path = (req.url || "/").split("?")[0];
    if (path === "/rpc" || path === "/events") {
      if (!tokenMatches(req.headers.authorization, token)) return refuse(res, "missing or wrong token");
      if (path === "/rpc" && req.method === "POST") return handleRpc(req, res);
      if (path === "/events" && req.method === "GET") return openEvents(req, res);
      return send(res, 405, { error: "method not allowed" });
    }
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, { error: "method not allowed" });
    serveStatic(req, res, path);
  });

  server.listen(args.port, "127.0.0.1", () => {
    port = server.address().port;
    process.stdout.write(`http://127.0.0.1:${port}/#token=${token}\n`);
  });
  server.on("error", (err) => {
    process.stderr.write(`bridge: ${err.message}\n`);
    exit(1);
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => exit(0));
}

main();
