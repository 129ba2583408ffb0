// The page's only way out: a transport carries JSON-RPC messages to Switchboard and brings
// notifications back. An Electron preload can define `window.switchboardTransport` with the same
// two members (see clients/web/README.md) and the page uses IPC instead of HTTP.
//
//   transport.send(message)        -> Promise of the reply (object or array), or null for notifications
//   transport.onNotification(fn)   -> fn(message) for every server notification ($/progress)

/** The injected transport if there is one, else HTTP to the bridge that served this page. */
export function defaultTransport() {
  return globalThis.switchboardTransport ?? new HttpTransport(takeToken());
}

// A token pasted into the address bar of an open page (a fragment change, no reload) takes effect.
addEventListener("hashchange", () => {
  if (/(?:^#|&)token=/.test(location.hash)) location.reload();
});

/** Reads the per-launch token from the URL fragment once, keeps it for reloads of this tab, and
 * removes it from the address bar. */
function takeToken() {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem("switchboard.token", match[1]);
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem("switchboard.token") ?? "";
}

/** POST /rpc for requests, a streamed GET /events (server-sent events) for notifications. */
export class HttpTransport {
  constructor(token) {
    this.token = token;
    this.listeners = [];
    this.streamId = "";
    this.ready = this.openEvents();
  }

  onNotification(fn) {
    this.listeners.push(fn);
  }

  headers(extra = {}) {
    return { Authorization: `Bearer ${this.token}`, ...extra };
  }

  async openEvents() {
    let response;
    try {
      response = await fetch("/events", { headers: this.headers(), cache: "no-store" });
    } catch {
      return; // requests still work; only progress is missing
    }
    if (!response.ok || !response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let resolveReady;
    const first = new Promise((resolve) => { resolveReady = resolve; });
    (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            this.onEvent(buffer.slice(0, cut), resolveReady);
            buffer = buffer.slice(cut + 2);
          }
        }
      } catch { /* the bridge went away or the page is closing */ }
      resolveReady();
    })();
    await first;
  }

  onEvent(block, resolveReady) {
    let event = "message";
    let data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data += line.slice(6);
    }
    if (!data) return;
    const message = JSON.parse(data);
    if (event === "ready") {
      this.streamId = message.stream;
      resolveReady();
    } else {
      for (const fn of this.listeners) fn(message);
    }
  }

  async send(message) {
    await this.ready;
    const response = await fetch("/rpc", {
      method: "POST",
      headers: this.headers({ "Content-Type": "application/json", "X-Bridge-Stream": this.streamId }),
      body: JSON.stringify(message),
      cache: "no-store",
    });
    if (response.status === 204) return null;
    const body = await response.json().catch(() => null);
    if (response.status === 403 && body?.reason) {
      throw new Error(`The bridge refused the request (${body.reason}). Open the address the bridge printed.`);
    }
    if (!body) throw new Error(`The bridge answered ${response.status}.`);
    return body;
  }
}
