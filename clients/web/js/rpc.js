// JSON-RPC over any transport (see transport.js): ids, progress tokens, typed errors.

/** An error reply from Switchboard, carrying the server's own message, code and data. */
export const REQUEST_CANCELLED = -32800;

export class RpcError extends Error {
  constructor(error) {
    super(error.message);
    this.code = error.code;
    this.data = error.data;
  }
}

export class RpcClient {
  constructor(transport) {
    this.transport = transport;
    this.nextId = 1;
    this.progress = new Map();
    transport.onNotification((message) => {
      if (message.method !== "$/progress") return;
      const handler = this.progress.get(message.params?.token);
      if (handler) handler(message.params.value);
    });
  }

  /** Calls `method`; resolves with its result or rejects with RpcError. `onProgress(value)` gets
   * the work-done reports when given; aborting `signal` cancels the request (`$/cancelRequest`),
   * which then rejects with code -32800. */
  async call(method, params = {}, { onProgress, signal } = {}) {
    const id = this.nextId++;
    signal?.addEventListener("abort", () => {
      this.transport.send({ jsonrpc: "2.0", method: "$/cancelRequest", params: { id } }).catch(() => {});
    }, { once: true });
    const request = { jsonrpc: "2.0", id, method, params: { ...params } };
    let token;
    if (onProgress) {
      token = `w${id}`;
      request.params.workDoneToken = token;
      this.progress.set(token, onProgress);
    }
    try {
      const reply = await this.transport.send(request);
      if (reply.error) throw new RpcError(reply.error);
      return reply.result;
    } finally {
      if (token) this.progress.delete(token);
    }
  }
}
