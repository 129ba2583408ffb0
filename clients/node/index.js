'use strict';
/**
 * Node client for switchboard (zero dependencies): spawns the binary and calls its JSON-RPC methods
 * over stdin/stdout (one JSON text per line). Every RPC method is a camelCase method taking its
 * params object (`await sb.listNumbers({ profile })`), generated from rpc.discover into generated.js.
 */
const { spawn } = require('node:child_process');
const { EventEmitter } = require('node:events');
const fs = require('node:fs');
const path = require('node:path');
const { METHODS, ERROR_KINDS } = require('./generated');

const STDERR_TAIL_BYTES = 8192;

/** Every error of this module: `code` (JSON-RPC code, null for client-side errors), `kind` (data.kind), `data`. */
class SwitchboardError extends Error {
  constructor(message, { code = null, kind = undefined, data = undefined } = {}) {
    super(message);
    this.name = 'SwitchboardError';
    this.code = code;
    this.kind = kind;
    this.data = data === undefined ? {} : data;
  }

  /** The part of `kind` before the first dot (`"upstream"` for `"upstream.rateLimited"`). */
  get family() {
    return typeof this.kind === 'string' ? this.kind.split('.')[0] : undefined;
  }

  /** Builds the error for a JSON-RPC error object. */
  static fromResponse(error) {
    const data = error && typeof error.data === 'object' && error.data !== null ? error.data : undefined;
    const kind = data && typeof data.kind === 'string' ? data.kind : undefined;
    return new SwitchboardError(String((error && error.message) || 'switchboard error'), {
      code: error && Number.isInteger(error.code) ? error.code : null, kind, data,
    });
  }
}

/** The switchboard process ended while calls were pending: `exitCode`, `signal`, `stderrTail`. */
class ServerExitedError extends SwitchboardError {
  constructor(message, { exitCode = null, signal = null, stderrTail = '' } = {}) {
    super(message);
    this.name = 'ServerExitedError';
    this.exitCode = exitCode;
    this.signal = signal;
    this.stderrTail = stderrTail;
  }
}

/** No executable: pass `binary`, set SWITCHBOARD_BIN or put `switchboard` on PATH. */
class BinaryNotFoundError extends SwitchboardError {
  constructor(message) {
    super(message);
    this.name = 'BinaryNotFoundError';
  }
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The executable to spawn: `binary`, else $SWITCHBOARD_BIN, else `switchboard` on PATH. */
function findBinary(binary) {
  if (binary) {
    if (!isExecutable(binary)) throw new BinaryNotFoundError(`switchboard binary ${JSON.stringify(binary)} (the binary option) is not an executable file`);
    return binary;
  }
  const fromEnv = process.env.SWITCHBOARD_BIN;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new BinaryNotFoundError(`SWITCHBOARD_BIN=${JSON.stringify(fromEnv)} is not an executable file`);
    return fromEnv;
  }
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'switchboard');
    if (isExecutable(candidate)) return candidate;
  }
  throw new BinaryNotFoundError('switchboard binary not found: pass { binary }, set SWITCHBOARD_BIN or put switchboard on PATH');
}

function tailText(buffer) {
  let text = buffer.subarray(Math.max(0, buffer.length - STDERR_TAIL_BYTES)).toString('utf8');
  if (buffer.length > STDERR_TAIL_BYTES && text.includes('\n')) text = text.slice(text.indexOf('\n') + 1);
  return text.replace(/\n+$/, '');
}

/**
 * A running switchboard process. Events: 'progress' ({token, value}) for every $/progress,
 * 'notification' (method, params) for any other server notification, 'stderr' (text), 'exit' (code, signal).
 */
class Switchboard extends EventEmitter {
  constructor(options = {}) {
    super();
    this.binary = findBinary(options.binary);
    const env = { ...process.env, ...(options.env || {}) };
    if (options.home) env.SWITCHBOARD_HOME = options.home;
    const args = ['serve', ...(options.args || [])];
    if (options.logLevel) args.push('--log-level', options.logLevel);
    this._nextId = 1;
    this._pending = new Map();          // id -> { resolve, reject, method, tokens, cleanup }
    this._routes = new Map();           // progress token -> { kind, entry }
    this._failure = null;
    this._stderr = Buffer.alloc(0);
    this._chunks = [];
    this._child = spawn(this.binary, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this._child.pid;
    this._exited = new Promise((resolve) => this._child.once('close', (code, signal) => {
      this._onClose(code, signal);
      resolve(code);
    }));
    this._child.on('error', (error) => this._fail(new ServerExitedError(`switchboard could not be run: ${error.message}`)));
    this._child.stdin.on('error', () => {}); // EPIPE once the server is gone: 'close' fails the pending calls
    this._child.stdout.on('data', (chunk) => this._onStdout(chunk));
    this._child.stderr.on('data', (chunk) => {
      this._stderr = Buffer.concat([this._stderr, chunk]);
      if (this._stderr.length > 4 * STDERR_TAIL_BYTES) this._stderr = this._stderr.subarray(this._stderr.length - STDERR_TAIL_BYTES);
      if (this.listenerCount('stderr')) this.emit('stderr', chunk.toString('utf8'));
    });
  }

  /**
   * Calls `method` with by-name `params`. Options: `signal` (AbortSignal: aborting sends
   * $/cancelRequest and the promise rejects with the server's -32800 error), `timeout` (ms, the same
   * through an internal AbortSignal), `onProgress(value)` and `onPartial(items)` (the client then
   * sets workDoneToken / partialResultToken).
   */
  call(method, params, options = {}) {
    if (this._failure) return Promise.reject(this._failure);
    const id = this._nextId++;
    let body = params === undefined || params === null ? undefined : { ...params };
    const wants = [[options.onProgress, 'workDoneToken', 'progress', 'w'], [options.onPartial, 'partialResultToken', 'partial', 'p']];
    const tokens = [];
    for (const [callback, name, kind, prefix] of wants) {
      if (typeof callback !== 'function') continue;
      body = body || {};
      if (body[name] === undefined) body[name] = `sb-${prefix}${id}`;
      tokens.push([body[name], kind, callback]);
    }
    const signal = options.timeout !== undefined ? anySignal(options.signal, AbortSignal.timeout(options.timeout)) : options.signal;
    if (signal && signal.aborted) {
      return Promise.reject(new SwitchboardError(`${method} was aborted before it was sent`, { code: -32800 }));
    }
    return new Promise((resolve, reject) => {
      const entry = { method, resolve, reject, tokens: tokens.map((t) => t[0]), cleanup: () => {} };
      for (const [token, kind, callback] of tokens) this._routes.set(token, { kind, callback });
      if (signal) {
        const onAbort = () => this._write({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id } });
        signal.addEventListener('abort', onAbort, { once: true });
        entry.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this._pending.set(id, entry);
      const message = { jsonrpc: '2.0', id, method };
      if (body !== undefined) message.params = body;
      this._write(message);
    });
  }

  /** Sends a notification (no reply). */
  notify(method, params) {
    if (this._failure) throw this._failure;
    const message = { jsonrpc: '2.0', method };
    if (params !== undefined && params !== null) message.params = params;
    this._write(message);
  }

  /** The last lines the server wrote to stderr. */
  stderrTail() {
    return tailText(this._stderr);
  }

  /** Closes stdin (the server finishes its work and exits), waits up to `timeoutMs`, then kills it. Resolves to the exit code. */
  async dispose(timeoutMs = 10000) {
    if (this._child.exitCode === null && this._child.signalCode === null) {
      this._child.stdin.end();
      let timer;
      const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
      if ((await Promise.race([this._exited, timedOut])) === 'timeout') this._child.kill('SIGTERM');
      clearTimeout(timer);
    }
    return this._exited;
  }

  /** Kills the server at once (pending calls reject with ServerExitedError). */
  kill(signal = 'SIGKILL') {
    this._child.kill(signal);
  }

  /** Resolves to the exit code once the server has exited. */
  get exited() {
    return this._exited;
  }

  _write(message) {
    if (!this._child.stdin.writable) return;
    this._child.stdin.write(JSON.stringify(message) + '\n');
  }

  _onStdout(chunk) {
    let start = 0;
    let nl = chunk.indexOf(10);
    while (nl !== -1) {
      let line;
      if (this._chunks.length) {
        this._chunks.push(chunk.subarray(start, nl));
        line = Buffer.concat(this._chunks);
        this._chunks = [];
      } else {
        line = chunk.subarray(start, nl);
      }
      if (line.length) this._onMessage(JSON.parse(line.toString('utf8')));
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) this._chunks.push(chunk.subarray(start));
  }

  _onMessage(message) {
    if (message === null || typeof message !== 'object') return;
    if (typeof message.method === 'string') {
      const params = message.params;
      if (message.method === '$/progress' && params) {
        const route = this._routes.get(params.token);
        if (route) route.callback(params.value);
        this.emit('progress', params);
      } else {
        this.emit('notification', message.method, params);
      }
      return;
    }
    const entry = this._pending.get(message.id);
    if (!entry) return;
    this._pending.delete(message.id);
    this._settle(entry);
    if (message.error) entry.reject(SwitchboardError.fromResponse(message.error));
    else entry.resolve(message.result === undefined ? null : message.result);
  }

  _settle(entry) {
    entry.cleanup();
    for (const token of entry.tokens) this._routes.delete(token);
  }

  _onClose(code, signal) {
    const tail = this.stderrTail();
    const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
    const count = this._pending.size;
    const message = `switchboard ${how}${count ? ` with ${count} call(s) pending` : ''}` +
      (tail ? `; stderr tail:\n${tail}` : '; it wrote nothing to stderr');
    this._fail(new ServerExitedError(message, { exitCode: code, signal, stderrTail: tail }));
    this.emit('exit', code, signal);
  }

  _fail(error) {
    if (!this._failure) this._failure = error;
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const entry of pending) {
      this._settle(entry);
      entry.reject(error);
    }
  }
}

function anySignal(a, b) {
  if (!a) return b;
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([a, b]);
  const controller = new AbortController();
  for (const s of [a, b]) s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  return controller.signal;
}

for (const [name, spec] of Object.entries(METHODS)) {
  if (spec.notification) {
    Switchboard.prototype[name] = function notifyMethod(params) { this.notify(spec.method, params); };
  } else {
    Switchboard.prototype[name] = function callMethod(params, options) { return this.call(spec.method, params || {}, options); };
  }
}

module.exports = { Switchboard, SwitchboardError, ServerExitedError, BinaryNotFoundError, findBinary, METHODS, ERROR_KINDS };
