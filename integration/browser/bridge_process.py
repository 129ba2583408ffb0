"""Runs `node clients/web/bridge.mjs` against the real binary and talks HTTP to it (test helper)."""
from __future__ import annotations

import http.client
import json
import os
import re
import select
import signal
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BRIDGE = ROOT / "clients" / "web" / "bridge.mjs"
URL_LINE = re.compile(r"^http://127\.0\.0\.1:(\d+)/#token=([A-Za-z0-9_-]{20,})$")


class Bridge:
    """One bridge process (and so one switchboard). Its stderr, which carries switchboard's log at
    debug level, is kept in `log_path`."""

    def __init__(self, bin_path: str, home: Path, env: dict, log_path: Path, args: list[str] | None = None):
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("SWITCHBOARD_")}
        full_env.update({"SWITCHBOARD_HOME": str(home), "SWITCHBOARD_LOG_LEVEL": "debug"})
        full_env.update(env)
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen(["node", str(BRIDGE), "--bin", bin_path, *(args or [])],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._log,
                                     env=full_env)
        ready, _, _ = select.select([self.proc.stdout], [], [], 20)
        if not ready:
            self.stop()
            raise RuntimeError("bridge printed no URL within 20 s")
        self.first_line = self.proc.stdout.readline().decode().rstrip("\n")
        match = URL_LINE.match(self.first_line)
        if not match:
            self.stop()
            raise RuntimeError(f"unexpected first line from the bridge: {self.first_line!r}; log: {self.log()}")
        self.port = int(match.group(1))
        self.token = match.group(2)
        self.url = self.first_line
        self.origin = f"http://127.0.0.1:{self.port}"
        self._next_id = 1

    # -- HTTP -----------------------------------------------------------------------------------
    def request(self, method: str, path: str, body=None, headers: dict | None = None, token: str | None = "",
                host: str | None = None, connect_host: str = "127.0.0.1"):
        """One HTTP exchange with full control of the headers. `token=""` means the right token,
        None means no Authorization header. Returns (status, headers dict, body bytes)."""
        conn = http.client.HTTPConnection(connect_host, self.port, timeout=30)
        all_headers = {"Host": host or f"127.0.0.1:{self.port}"}
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token or self.token}"
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
            all_headers["Content-Length"] = str(len(data))
        all_headers.update(headers or {})
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in all_headers.items():
            if value is not None:
                conn.putheader(name, value)
        conn.endheaders(data)
        response = conn.getresponse()
        payload = response.read()
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, payload

    def rpc(self, body, **kwargs):
        status, headers, payload = self.request("POST", "/rpc", body=body, **kwargs)
        return status, headers, (json.loads(payload) if payload else None)

    def call(self, method: str, params: dict | None = None):
        """A request with the right token; returns the result or raises on an error reply."""
        request = {"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params or {}}
        self._next_id += 1
        status, _, reply = self.rpc(request)
        assert status == 200, (status, reply)
        if "error" in reply:
            raise AssertionError(f"{method} failed: {reply['error']}")
        return reply["result"]

    # -- process --------------------------------------------------------------------------------
    def children(self) -> list[int]:
        """Process ids whose parent is the bridge (its switchboard)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) == self.proc.pid:
                found.append(int(entry.name))
        return found

    def log(self) -> str:
        self._log.flush()
        return Path(self.log_path).read_text(errors="replace")

    def upstream_calls_logged(self) -> list[str]:
        """The lines where switchboard logged an HTTP call to Vapi or Twilio (debug level)."""
        return [line for line in self.log().splitlines() if re.search(r"HTTP (vapi|twilio) ", line)]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
