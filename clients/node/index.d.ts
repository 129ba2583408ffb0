// Types of the switchboard Node client. The method signatures and the param/result types are
// generated from rpc.discover into generated.d.ts; this file declares the hand-written runtime.

import type { SwitchboardMethods, ErrorKind } from './generated';

export * from './generated';

/** The part of AbortSignal the client uses (Node's and the DOM's AbortSignal both fit). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A work-done progress value: `$/progress` on the call's workDoneToken. */
export interface WorkDoneProgress {
  kind: 'begin' | 'report' | 'end';
  title?: string;
  message?: string;
  percentage?: number;
  cancellable?: boolean;
}

/** Options of one call. `PartialItem` is the type of the items streamed as partial results. */
export interface CallOptions<PartialItem = unknown> {
  /** Aborting sends `$/cancelRequest`; the promise then rejects with the server's -32800 error. */
  signal?: AbortSignalLike;
  /** Milliseconds before the call is cancelled the same way. */
  timeout?: number;
  /** Receives `begin` / `report` / `end` (the client sets `workDoneToken`). */
  onProgress?: (value: WorkDoneProgress) => void;
  /** Receives each page of results before the reply (the client sets `partialResultToken`). */
  onPartial?: (items: PartialItem[]) => void;
}

export interface SwitchboardOptions {
  /** Executable to spawn; default $SWITCHBOARD_BIN, else `switchboard` on PATH. */
  binary?: string;
  /** Added to this process's environment for the server. */
  env?: Record<string, string | undefined>;
  /** Sets SWITCHBOARD_HOME (the credential store's folder). */
  home?: string;
  /** Extra command-line arguments after `serve`. */
  args?: string[];
  /** `--log-level` (trace, debug, info, notice, warning, error, critical). */
  logLevel?: string;
}

/** A `$/progress` notification. */
export interface ProgressParams {
  token: string | number;
  value: WorkDoneProgress | unknown[];
}

/** Every error of this module. */
export class SwitchboardError extends Error {
  /** The JSON-RPC error code; null for errors made on the client side. */
  readonly code: number | null;
  /** `data.kind` of a domain error (codes 1001-1099). */
  readonly kind: ErrorKind | (string & {}) | undefined;
  /** `error.data` (`{}` when absent). */
  readonly data: Record<string, unknown>;
  /** The part of `kind` before the first dot. */
  readonly family: string | undefined;
  constructor(message: string, init?: { code?: number | null; kind?: string; data?: Record<string, unknown> });
  static fromResponse(error: { code: number; message: string; data?: unknown }): SwitchboardError;
}

/** The server process ended while calls were pending; the message includes the tail of its stderr. */
export class ServerExitedError extends SwitchboardError {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderrTail: string;
}

/** No executable: pass `binary`, set SWITCHBOARD_BIN or put `switchboard` on PATH. */
export class BinaryNotFoundError extends SwitchboardError {}

export interface Switchboard extends SwitchboardMethods {}

/** A running switchboard process; one camelCase method per RPC method (see SwitchboardMethods). */
export class Switchboard {
  constructor(options?: SwitchboardOptions);
  readonly binary: string;
  readonly pid: number | undefined;
  /** Resolves to the exit code once the server has exited. */
  readonly exited: Promise<number | null>;
  /** Calls any method by its wire name. */
  call<T = unknown>(method: string, params?: Record<string, unknown> | null, options?: CallOptions): Promise<T>;
  /** Sends a notification. */
  notify(method: string, params?: Record<string, unknown> | null): void;
  /** The last lines the server wrote to stderr. */
  stderrTail(): string;
  /** Closes stdin, waits up to `timeoutMs` (default 10 s) for the exit, then kills the server. */
  dispose(timeoutMs?: number): Promise<number | null>;
  /** Kills the server at once; pending calls reject with ServerExitedError. */
  kill(signal?: string): void;
  on(event: 'progress', listener: (params: ProgressParams) => void): this;
  on(event: 'notification', listener: (method: string, params: unknown) => void): this;
  on(event: 'stderr', listener: (text: string) => void): this;
  on(event: 'exit', listener: (code: number | null, signal: string | null) => void): this;
  once(event: 'progress', listener: (params: ProgressParams) => void): this;
  once(event: 'notification', listener: (method: string, params: unknown) => void): this;
  once(event: 'stderr', listener: (text: string) => void): this;
  once(event: 'exit', listener: (code: number | null, signal: string | null) => void): this;
  off(event: string, listener: (...args: any[]) => void): this;
}

/** The executable the client would spawn. */
export function findBinary(binary?: string): string;

/** camelCase client method -> wire method, params and whether it is a notification. */
export const METHODS: Record<string, { method: string; notification: boolean; params: string[]; required: string[] }>;
/** data.kind -> error code. */
export const ERROR_KINDS: Record<ErrorKind, number>;
