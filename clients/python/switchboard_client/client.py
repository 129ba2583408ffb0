"""``Switchboard``: a thread-safe client that spawns the switchboard binary and talks JSON-RPC to it."""
from __future__ import annotations

import concurrent.futures
import itertools
import json
import os
import queue
import subprocess
import threading
from typing import Any, Dict, Iterator, Mapping, Optional, Sequence

from . import _spawn
from ._calls import DONE, CallState, route_message
from ._common import (ProgressEvent, PartialCallback, ProgressCallback, NotificationCallback, choose_tokens,
                      clean_params, encode, notification_message, request_message)
from ._errors_base import CallTimeout, ServerExitedError, SwitchboardError
from ._generated_methods import SyncMethods

_READ_SIZE = 1 << 20


class Call(CallState):
    """One request in flight (returned by :meth:`Switchboard.request`).

    ``result(timeout)`` waits for the reply; ``cancel()`` sends ``$/cancelRequest`` (the call then ends
    with :class:`~switchboard_client.errors.RequestCancelled`, whose ``data`` may say what was done);
    ``events()`` iterates the call's :class:`ProgressEvent` values until the reply has arrived.
    ``future`` is a :class:`concurrent.futures.Future`; cancelling it sends ``$/cancelRequest`` as well."""

    future: "concurrent.futures.Future[Any]"

    def __init__(self, client: "Switchboard", id: int, method: str, routes: Dict[Any, str],
                 on_progress: Optional[ProgressCallback], on_partial: Optional[PartialCallback], events: bool):
        super().__init__(client, id, method, routes, on_progress, on_partial, concurrent.futures.Future(),
                         queue.Queue() if events else None)

    def result(self, timeout: Optional[float] = None) -> Any:
        """The call's result; raises its error. After ``timeout`` seconds the call is cancelled on the
        server and :class:`CallTimeout` is raised."""
        try:
            return self.future.result(timeout)
        except concurrent.futures.TimeoutError:
            self.cancel()
            raise CallTimeout(f"{self.method} did not finish within {timeout} s; it was cancelled") from None

    def cancel(self) -> None:
        """Asks the server to cancel this call (no-op once it has finished)."""
        if not self.future.done():
            self._client._send_cancel(self.id)

    def events(self) -> Iterator[ProgressEvent]:
        """Progress and partial results as they arrive; ends when the reply is in (then call ``result()``)."""
        if self._events is None:
            raise SwitchboardError("events() needs request(..., events=True)")
        while True:
            item = self._events.get()
            if item is DONE:
                return
            yield item


class Switchboard(SyncMethods):
    """Spawns ``switchboard serve`` and calls it; safe to use from many threads at once.

    The binary is ``binary``, else ``$SWITCHBOARD_BIN``, else ``switchboard`` on ``PATH``. ``env`` is added
    to this process's environment for the child, ``home`` sets ``SWITCHBOARD_HOME``. Every RPC method is a
    snake_case method taking keyword arguments (see :mod:`switchboard_client._generated_methods`), e.g.
    ``sb.list_numbers(profile="a")``; ``call(method, params)`` calls any method by name. Progress callbacks
    and ``on_notification`` run on the reader thread. Use as a context manager or call :meth:`close`."""

    def __init__(self, binary: Optional["_spawn.PathLike"] = None, *, env: Optional[Mapping[str, str]] = None,
                 home: Optional["_spawn.PathLike"] = None, args: Sequence[str] = (), log_level: Optional[str] = None,
                 default_timeout: Optional[float] = None,
                 on_notification: Optional[NotificationCallback] = None):
        self.binary = _spawn.find_binary(binary)
        self.default_timeout = default_timeout
        self.on_notification = on_notification
        self._proc = subprocess.Popen(
            _spawn.command(self.binary, args, log_level), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=_spawn.environment(env, home), bufsize=0)
        self.pid = self._proc.pid
        self._ids = itertools.count(1)
        self._lock = threading.Lock()          # guards _pending, _progress_routes and _failure
        self._write_lock = threading.Lock()
        self._pending: Dict[int, Call] = {}
        self._progress_routes: Dict[Any, Call] = {}
        self._failure: Optional[ServerExitedError] = None
        self._stderr = bytearray()
        self._stderr_thread = threading.Thread(target=self._read_stderr, name="switchboard-stderr", daemon=True)
        self._stdout_thread = threading.Thread(target=self._read_stdout, name="switchboard-stdout", daemon=True)
        self._stderr_thread.start()
        self._stdout_thread.start()

    # -- public API -----------------------------------------------------------------------------
    def call(self, method: str, params: Optional[Mapping[str, Any]] = None, *, timeout: Optional[float] = None,
             on_progress: Optional[ProgressCallback] = None, on_partial: Optional[PartialCallback] = None) -> Any:
        """Calls ``method`` with by-name ``params`` and returns its result (raises its error)."""
        call = self.request(method, params, on_progress=on_progress, on_partial=on_partial)
        return call.result(timeout if timeout is not None else self.default_timeout)

    def request(self, method: str, params: Optional[Mapping[str, Any]] = None, *,
                on_progress: Optional[ProgressCallback] = None, on_partial: Optional[PartialCallback] = None,
                events: bool = False) -> Call:
        """Sends a request and returns its :class:`Call` at once (for ``cancel()``, ``events()``, futures)."""
        clean = clean_params(params)
        if clean is None and (on_progress is not None or on_partial is not None):
            clean = {}
        id = next(self._ids)
        routes = choose_tokens(id, method, clean, on_progress, on_partial, events)
        call = Call(self, id, method, routes, on_progress, on_partial, events)
        data = encode(request_message(id, method, clean))
        with self._lock:
            if self._failure is not None:
                raise self._failure
            self._pending[id] = call
            for token in routes:
                self._progress_routes[token] = call
        self._write(data)
        return call

    def notify(self, method: str, params: Optional[Mapping[str, Any]] = None) -> None:
        """Sends a notification (no reply)."""
        with self._lock:
            if self._failure is not None:
                raise self._failure
        self._write(encode(notification_message(method, clean_params(params))))

    def stderr_tail(self) -> str:
        """The last lines the server wrote to stderr."""
        return _spawn.tail_text(bytes(self._stderr))

    @property
    def returncode(self) -> Optional[int]:
        return self._proc.poll()

    def close(self, timeout: float = 10.0) -> Optional[int]:
        """Closes the server's stdin (it finishes what is in flight and exits), waits up to ``timeout`` s,
        then terminates it. Returns the exit status."""
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        try:
            self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._proc.terminate()
            try:
                self._proc.wait(2)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._stdout_thread.join(5)
        self._stderr_thread.join(5)
        return self._proc.returncode

    def wait(self, timeout: Optional[float] = None) -> int:
        """Waits until the server has exited (e.g. after ``exit``) and its output is read; returns the status."""
        code = self._proc.wait(timeout)
        self._stdout_thread.join(timeout)
        return code

    def kill(self) -> None:
        """Kills the server at once (pending calls fail with :class:`ServerExitedError`)."""
        if self._proc.poll() is None:
            self._proc.kill()

    def __enter__(self) -> "Switchboard":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- generated methods end here -------------------------------------------------------------
    def _invoke(self, method: str, params: Optional[Dict[str, Any]], timeout: Optional[float] = None,
                on_progress: Optional[ProgressCallback] = None, on_partial: Optional[PartialCallback] = None) -> Any:
        return self.call(method, params, timeout=timeout, on_progress=on_progress, on_partial=on_partial)

    def _notify(self, method: str, params: Optional[Dict[str, Any]]) -> None:
        self.notify(method, params)

    # -- pipes ----------------------------------------------------------------------------------
    def _write(self, data: bytes) -> None:
        try:
            with self._write_lock:
                self._proc.stdin.write(data)
        except (OSError, ValueError):
            pass  # the server is gone: the stdout reader fails every pending call with its stderr tail

    def _send_cancel(self, id: int) -> None:
        self._write(encode(notification_message("$/cancelRequest", {"id": id})))

    def _read_stderr(self) -> None:
        fd = self._proc.stderr.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            self._stderr += chunk
            if len(self._stderr) > 4 * _spawn.STDERR_TAIL_BYTES:
                del self._stderr[:-_spawn.STDERR_TAIL_BYTES]

    def _read_stdout(self) -> None:
        fd = self._proc.stdout.fileno()
        buf = bytearray()
        try:
            while True:
                chunk = os.read(fd, _READ_SIZE)
                if not chunk:
                    break
                buf += chunk
                start = 0
                while True:
                    nl = buf.find(b"\n", start)
                    if nl < 0:
                        break
                    line = bytes(buf[start:nl])
                    start = nl + 1
                    if line.strip():
                        self._handle(json.loads(line))
                del buf[:start]
        except OSError:
            pass
        finally:
            self._fail_all()

    def _handle(self, message: Any) -> None:
        route_message(message, self._lock, self._pending, self._progress_routes, self.on_notification)

    def _fail_all(self) -> None:
        try:
            returncode: Optional[int] = self._proc.wait(5)
        except subprocess.TimeoutExpired:
            returncode = None
        self._stderr_thread.join(2)
        with self._lock:
            pending = list(self._pending.values())
            self._pending.clear()
            self._progress_routes.clear()
            tail = self.stderr_tail()
            self._failure = ServerExitedError(_spawn.exit_message(returncode, len(pending), tail), returncode, tail)
        for call in pending:
            call._finish(error=ServerExitedError(self._failure.message, returncode, tail))
