"""Spawns the real `switchboard` binary over pipes and speaks JSON-RPC to it (test helper)."""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def binary_path() -> str:
    explicit = os.environ.get("SWITCHBOARD_BIN")
    if explicit:
        return explicit
    for candidate in (ROOT / ".build" / "debug" / "switchboard", ROOT / ".build" / "release" / "switchboard"):
        if candidate.exists():
            return str(candidate)
    raise RuntimeError("switchboard binary not built: run `swift build` first or set SWITCHBOARD_BIN")


class Switchboard:
    """One running `switchboard` process.

    Every byte written to stdout and stderr is kept (`stdout_bytes`, `stderr_bytes`) so tests can
    check that stdout carries frames only and that no secret ever appears.
    """

    def __init__(self, home: Path | str, env: dict | None = None, args: list[str] | None = None,
                 framing: str = "lines", test_hooks: bool = True):
        self.framing = framing
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("SWITCHBOARD_")}
        full_env["SWITCHBOARD_HOME"] = str(home)
        if test_hooks:
            full_env["SWITCHBOARD_TEST_HOOKS"] = "1"
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [binary_path(), *(args or [])], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=full_env, bufsize=0)
        self.stdout_bytes = bytearray()
        self.stderr_bytes = bytearray()
        self._messages: "queue.Queue[object]" = queue.Queue()
        self._pending: list[object] = []
        self._next_id = 1
        self._lock = threading.Lock()
        self._out_thread = threading.Thread(target=self._read_stdout, daemon=True)
        self._err_thread = threading.Thread(target=self._read_stderr, daemon=True)
        self._out_thread.start()
        self._err_thread.start()

    # -- reading -----------------------------------------------------------------------------
    def _read_stdout(self):
        buf = bytearray()
        while True:
            try:
                chunk = self.proc.stdout.read(65536)
            except (ValueError, OSError):  # the test closed our end on purpose
                break
            if not chunk:
                break
            self.stdout_bytes += chunk
            buf += chunk
            if self.framing == "lines":
                while True:
                    nl = buf.find(b"\n")
                    if nl < 0:
                        break
                    line = bytes(buf[:nl])
                    del buf[: nl + 1]
                    self._messages.put(json.loads(line))
            else:
                while True:
                    end = buf.find(b"\r\n\r\n")
                    if end < 0:
                        break
                    headers = bytes(buf[:end]).decode("ascii").split("\r\n")
                    length = int(next(h for h in headers if h.lower().startswith("content-length")).split(":")[1])
                    if len(buf) < end + 4 + length:
                        break
                    body = bytes(buf[end + 4: end + 4 + length])
                    del buf[: end + 4 + length]
                    self._messages.put(json.loads(body))
        self._messages.put(EOFError())

    def _read_stderr(self):
        while True:
            chunk = self.proc.stderr.read(65536)
            if not chunk:
                break
            self.stderr_bytes += chunk

    # -- writing -----------------------------------------------------------------------------
    def write_raw(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def frame(self, message) -> bytes:
        body = message if isinstance(message, bytes) else json.dumps(message, separators=(",", ":")).encode()
        if self.framing == "lines":
            return body + b"\n"
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    def send(self, message):
        self.write_raw(self.frame(message))

    def new_id(self) -> int:
        with self._lock:
            self._next_id += 1
            return self._next_id

    def notify(self, method: str, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def start_request(self, method: str, params=None, id=None):
        if id is None:
            id = self.new_id()
        msg = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return id

    # -- matching replies --------------------------------------------------------------------
    def next_message(self, timeout: float = 10.0):
        if self._pending:
            return self._pending.pop(0)
        item = self._messages.get(timeout=timeout)
        if isinstance(item, EOFError):
            self._messages.put(item)
            raise EOFError("switchboard closed stdout")
        return item

    def wait_for(self, predicate, timeout: float = 15.0):
        """Returns the first message matching `predicate`; others are kept for later calls."""
        deadline = time.monotonic() + timeout
        for i, msg in enumerate(self._pending):
            if predicate(msg):
                return self._pending.pop(i)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no matching message")
            try:
                item = self._messages.get(timeout=remaining)
            except queue.Empty:
                raise TimeoutError("no matching message") from None
            if isinstance(item, EOFError):
                self._messages.put(item)
                raise EOFError("switchboard closed stdout")
            if predicate(item):
                return item
            self._pending.append(item)

    def response(self, id, timeout: float = 15.0):
        return self.wait_for(lambda m: isinstance(m, dict) and "method" not in m and m.get("id") == id
                             and type(m.get("id")) is type(id), timeout)

    def request(self, method: str, params=None, timeout: float = 15.0):
        return self.response(self.start_request(method, params), timeout)

    def call(self, method: str, params=None, timeout: float = 15.0):
        """Returns the result or raises RPCFailure."""
        reply = self.request(method, params, timeout)
        if "error" in reply:
            raise RPCFailure(reply["error"])
        return reply["result"]

    def progress(self, token):
        """Every `$/progress` notification for `token` received so far (in order)."""
        found, keep = [], []
        for msg in self._pending:
            if isinstance(msg, dict) and msg.get("method") == "$/progress" and msg["params"]["token"] == token:
                found.append(msg["params"]["value"])
            else:
                keep.append(msg)
        self._pending = keep
        return found

    def drain(self, timeout: float = 0.2):
        """Pulls whatever is readable into the pending list."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                item = self._messages.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if isinstance(item, EOFError):
                self._messages.put(item)
                break
            self._pending.append(item)

    # -- ending ------------------------------------------------------------------------------
    def close_stdin(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass

    def wait(self, timeout: float = 15.0) -> int:
        code = self.proc.wait(timeout=timeout)
        self._out_thread.join(timeout=5)
        self._err_thread.join(timeout=5)
        return code

    def signal(self, number=signal.SIGTERM):
        self.proc.send_signal(number)

    def stop(self):
        if self.proc.poll() is None:
            self.close_stdin()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._out_thread.join(timeout=5)
        self._err_thread.join(timeout=5)

    def rss_kib(self, field: str = "VmRSS") -> int:
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        raise KeyError(field)

    def stdout_frames(self) -> list:
        """Parses every byte written to stdout as frames; fails if anything else is there."""
        data = bytes(self.stdout_bytes)
        if self.framing == "lines":
            assert data == b"" or data.endswith(b"\n"), "stdout does not end with a newline"
            return [json.loads(line) for line in data.split(b"\n")[:-1]]
        frames = []
        while data:
            end = data.index(b"\r\n\r\n")
            length = int(data[:end].split(b":")[1])
            frames.append(json.loads(data[end + 4:end + 4 + length]))
            data = data[end + 4 + length:]
        return frames


class RPCFailure(Exception):
    def __init__(self, error: dict):
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.error = error
        self.code = error.get("code")
        self.data = error.get("data")
