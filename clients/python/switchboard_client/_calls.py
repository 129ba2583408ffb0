"""What the thread-based and the asyncio client share about calls in flight: a call's state (its future,
progress routing, events queue) and the routing of each message the server writes to its call."""
from __future__ import annotations

from typing import Any, ContextManager, Dict, Optional

from ._common import PartialCallback, ProgressCallback, ProgressEvent, NotificationCallback, dispatch_progress
from .errors import error_from

#: Put on a call's events queue once its reply is in (or it was cancelled).
DONE = object()


class CallState:
    """The parts of :class:`~switchboard_client.Call` and :class:`~switchboard_client.AsyncCall` that do not
    depend on threads or asyncio. ``future`` is a ``concurrent.futures.Future`` or an ``asyncio.Future``,
    ``events`` a ``queue.Queue`` or an ``asyncio.Queue`` (both unbounded, so ``put_nowait`` never fails)."""

    def __init__(self, client: Any, id: int, method: str, routes: Dict[Any, str],
                 on_progress: Optional[ProgressCallback], on_partial: Optional[PartialCallback],
                 future: Any, events: Any):
        self.id = id
        self.method = method
        self.future = future
        self._client = client
        self._routes = routes
        self._on_progress = on_progress
        self._on_partial = on_partial
        self._events = events
        self.future.add_done_callback(self._on_done)

    def _on_done(self, future: Any) -> None:
        if future.cancelled():  # someone called future.cancel(): tell the server too
            self._client._send_cancel(self.id)
            if self._events is not None:
                self._events.put_nowait(DONE)

    def done(self) -> bool:
        return self.future.done()

    def _progress(self, token: Any, value: Any) -> None:
        kind = self._routes.get(token)
        if kind is None:
            return
        if self._events is not None:
            self._events.put_nowait(ProgressEvent(kind, value))
        dispatch_progress(kind, value, self._on_progress, self._on_partial)

    def _finish(self, result: Any = None, error: Optional[BaseException] = None) -> None:
        if not self.future.done():
            if error is not None:
                self.future.set_exception(error)
            else:
                self.future.set_result(result)
        if self._events is not None:
            self._events.put_nowait(DONE)


def route_message(message: Any, lock: ContextManager[Any], pending: Dict[int, CallState],
                  progress_routes: Dict[Any, CallState], on_notification: Optional[NotificationCallback]) -> None:
    """Hands one decoded message to its call: a reply finishes the call with ``id`` (and drops its progress
    tokens), ``$/progress`` on a routed token goes to that call, any other notification to
    ``on_notification``. ``lock`` guards the two tables (a ``threading.Lock``, or a no-op on asyncio)."""
    if not isinstance(message, dict):
        return
    method = message.get("method")
    if method is not None:
        params = message.get("params")
        if method == "$/progress" and isinstance(params, dict):
            with lock:
                call = progress_routes.get(params.get("token"))
            if call is not None:
                call._progress(params.get("token"), params.get("value"))
                return
        if on_notification is not None:
            on_notification(method, params)
        return
    with lock:
        call = pending.pop(message.get("id"), None)  # type: ignore[arg-type]
        if call is not None:
            for token in call._routes:
                progress_routes.pop(token, None)
    if call is None:
        return
    if "error" in message:
        call._finish(error=error_from(message["error"] or {}))
    else:
        call._finish(result=message.get("result"))
