"""``AsyncSwitchboard``: the asyncio twin of :class:`~switchboard_client.Switchboard`."""
from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from typing import Any, AsyncIterator, Dict, Mapping, Optional, Sequence

from . import _spawn
from ._calls import DONE, CallState, route_message
from ._common import (ProgressEvent, PartialCallback, ProgressCallback, NotificationCallback, choose_tokens,
                      clean_params, encode, notification_message, request_message)
from ._errors_base import CallTimeout, ServerExitedError, SwitchboardError
from ._generated_methods import AsyncMethods

_LINE_LIMIT = 1 << 30
_NO_LOCK = contextlib.nullcontext()  # everything runs on the event loop


class AsyncCall(CallState):
    """One request in flight on an :class:`AsyncSwitchboard`: ``await call`` (or ``await call.result(timeout)``)
    for the result, ``cancel()`` to send ``$/cancelRequest``, ``async for event in call.events()``."""

    future: "asyncio.Future[Any]"

    def __init__(self, client: "AsyncSwitchboard", id: int, method: str, routes: Dict[Any, str],
                 on_progress: Optional[ProgressCallback], on_partial: Optional[PartialCallback], events: bool):
        super().__init__(client, id, method, routes, on_progress, on_partial,
                         asyncio.get_running_loop().create_future(), asyncio.Queue() if events else None)

    async def result(self, timeout: Optional[float] = None) -> Any:
        """The result; raises the call's error. If the awaiting task is cancelled, or ``timeout`` passes
        (:class:`CallTimeout`), ``$/cancelRequest`` is sent for the call."""
        try:
            if timeout is None:
                return await asyncio.shield(self.future)
            return await asyncio.wait_for(asyncio.shield(self.future), timeout)
        except asyncio.TimeoutError:
            self.cancel()
            raise CallTimeout(f"{self.method} did not finish within {timeout} s; it was cancelled") from None
        except asyncio.CancelledError:
            self.cancel()
            raise

    def __await__(self) -> Any:
        return self.result().__await__()

    def cancel(self) -> None:
        """Asks the server to cancel this call (no-op once it has finished)."""
        if not self.future.done():
            self._client._send_cancel(self.id)
            # Nobody may await the late -32800 reply: retrieve it so asyncio does not warn.
            self.future.add_done_callback(lambda f: f.cancelled() or f.exception())

    async def events(self) -> AsyncIterator[ProgressEvent]:
        """Progress and partial results as they arrive; ends when the reply is in."""
        if self._events is None:
            raise SwitchboardError("events() needs request(..., events=True)")
        while True:
            item = await self._events.get()
            if item is DONE:
                return
            yield item


class AsyncSwitchboard(AsyncMethods):
    """Spawns ``switchboard serve`` on the running event loop: ``sb = await AsyncSwitchboard.start(...)`` or
    ``async with AsyncSwitchboard(...) as sb:``. The same methods as :class:`Switchboard`, as coroutines."""

    def __init__(self, binary: Optional["_spawn.PathLike"] = None, *, env: Optional[Mapping[str, str]] = None,
                 home: Optional["_spawn.PathLike"] = None, args: Sequence[str] = (), log_level: Optional[str] = None,
                 default_timeout: Optional[float] = None, on_notification: Optional[NotificationCallback] = None):
        self.binary = _spawn.find_binary(binary)
        self.default_timeout = default_timeout
        self.on_notification = on_notification
        self._argv = _spawn.command(self.binary, args, log_level)
        self._env = _spawn.environment(env, home)
        self._proc: Optional[asyncio.subprocess.Process] = None
        self._ids = itertools.count(1)
        self._pending: Dict[int, AsyncCall] = {}
        self._progress_routes: Dict[Any, AsyncCall] = {}
        self._failure: Optional[ServerExitedError] = None
        self._stderr = bytearray()
        self._tasks: list = []
        self.pid: Optional[int] = None

    @classmethod
    async def start(cls, binary: Optional["_spawn.PathLike"] = None, **kwargs: Any) -> "AsyncSwitchboard":
        """Creates the client and spawns the server."""
        client = cls(binary, **kwargs)
        await client._spawn()
        return client

    async def _spawn(self) -> None:
        self._proc = await asyncio.create_subprocess_exec(
            *self._argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=self._env, limit=_LINE_LIMIT)
        self.pid = self._proc.pid
        self._stderr_task = asyncio.ensure_future(self._read_stderr())
        self._stdout_task = asyncio.ensure_future(self._read_stdout())

    async def __aenter__(self) -> "AsyncSwitchboard":
        if self._proc is None:
            await self._spawn()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    # -- public API -----------------------------------------------------------------------------
    async def call(self, method: str, params: Optional[Mapping[str, Any]] = None, *,
                   timeout: Optional[float] = None, on_progress: Optional[ProgressCallback] = None,
                   on_partial: Optional[PartialCallback] = None) -> Any:
        """Calls ``method`` with by-name ``params`` and returns its result (raises its error)."""
        call = self.request(method, params, on_progress=on_progress, on_partial=on_partial)
        return await call.result(timeout if timeout is not None else self.default_timeout)

    def request(self, method: str, params: Optional[Mapping[str, Any]] = None, *,
                on_progress: Optional[ProgressCallback] = None, on_partial: Optional[PartialCallback] = None,
                events: bool = False) -> AsyncCall:
        """Sends a request now and returns its :class:`AsyncCall`."""
        if self._proc is None:
            raise SwitchboardError("AsyncSwitchboard not started: use `await AsyncSwitchboard.start()` or `async with`")
        if self._failure is not None:
            raise self._failure
        clean = clean_params(params)
        if clean is None and (on_progress is not None or on_partial is not None):
            clean = {}
        id = next(self._ids)
        routes = choose_tokens(id, method, clean, on_progress, on_partial, events)
        call = AsyncCall(self, id, method, routes, on_progress, on_partial, events)
        self._pending[id] = call
        for token in routes:
            self._progress_routes[token] = call
        self._write(encode(request_message(id, method, clean)))
        return call

    async def notify(self, method: str, params: Optional[Mapping[str, Any]] = None) -> None:
        """Sends a notification (no reply)."""
        if self._failure is not None:
            raise self._failure
        self._write(encode(notification_message(method, clean_params(params))))
        await self._drain()

    def stderr_tail(self) -> str:
        return _spawn.tail_text(bytes(self._stderr))

    @property
    def returncode(self) -> Optional[int]:
        return self._proc.returncode if self._proc else None

    async def close(self, timeout: float = 10.0) -> Optional[int]:
        """Closes stdin, waits up to ``timeout`` s for the exit, then terminates the server."""
        if self._proc is None:
            return None
        if self._proc.stdin is not None and not self._proc.stdin.is_closing():
            self._proc.stdin.close()
        try:
            await asyncio.wait_for(self._proc.wait(), timeout)
        except asyncio.TimeoutError:
            self._proc.terminate()
            try:
                await asyncio.wait_for(self._proc.wait(), 2)
            except asyncio.TimeoutError:
                self._proc.kill()
                await self._proc.wait()
        await asyncio.gather(self._stdout_task, self._stderr_task, return_exceptions=True)
        return self._proc.returncode

    async def wait(self) -> int:
        """Waits until the server has exited and its output is read; returns the exit status."""
        assert self._proc is not None
        code = await self._proc.wait()
        await asyncio.gather(self._stdout_task, return_exceptions=True)
        return code

    def kill(self) -> None:
        if self._proc is not None and self._proc.returncode is None:
            self._proc.kill()

    # -- generated methods end here -------------------------------------------------------------
    async def _invoke(self, method: str, params: Optional[Dict[str, Any]], timeout: Optional[float] = None,
                      on_progress: Optional[ProgressCallback] = None,
                      on_partial: Optional[PartialCallback] = None) -> Any:
        return await self.call(method, params, timeout=timeout, on_progress=on_progress, on_partial=on_partial)

    async def _notify(self, method: str, params: Optional[Dict[str, Any]]) -> None:
        await self.notify(method, params)

    # -- pipes ----------------------------------------------------------------------------------
    def _write(self, data: bytes) -> None:
        stdin = self._proc.stdin if self._proc else None
        if stdin is None or stdin.is_closing():
            return  # the reader fails pending calls once the server's output ends
        try:
            stdin.write(data)
        except (OSError, RuntimeError):
            pass
        else:
            self._tasks = [t for t in self._tasks if not t.done()]
            self._tasks.append(asyncio.ensure_future(self._drain()))

    async def _drain(self) -> None:
        try:
            if self._proc and self._proc.stdin:
                await self._proc.stdin.drain()
        except (OSError, RuntimeError, ConnectionError):
            pass

    def _send_cancel(self, id: int) -> None:
        self._write(encode(notification_message("$/cancelRequest", {"id": id})))

    async def _read_stderr(self) -> None:
        assert self._proc is not None and self._proc.stderr is not None
        while True:
            chunk = await self._proc.stderr.read(65536)
            if not chunk:
                return
            self._stderr += chunk
            if len(self._stderr) > 4 * _spawn.STDERR_TAIL_BYTES:
                del self._stderr[:-_spawn.STDERR_TAIL_BYTES]

    async def _read_stdout(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        try:
            while True:
                line = await self._proc.stdout.readline()
                if not line:
                    break
                if line.strip():
                    self._handle(json.loads(line))
        except (OSError, ValueError):
            pass
        finally:
            await self._fail_all()

    def _handle(self, message: Any) -> None:
        route_message(message, _NO_LOCK, self._pending, self._progress_routes, self.on_notification)

    async def _fail_all(self) -> None:
        assert self._proc is not None
        try:
            returncode: Optional[int] = await asyncio.wait_for(self._proc.wait(), 5)
        except asyncio.TimeoutError:
            returncode = None
        try:
            await asyncio.wait_for(asyncio.shield(self._stderr_task), 2)
        except (asyncio.TimeoutError, Exception):
            pass
        tail = self.stderr_tail()
        pending = list(self._pending.values())
        self._pending.clear()
        self._progress_routes.clear()
        message = _spawn.exit_message(returncode, len(pending), tail)
        self._failure = ServerExitedError(message, returncode, tail)
        for call in pending:
            call._finish(error=ServerExitedError(message, returncode, tail))
