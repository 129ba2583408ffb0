"""Pieces shared by the thread-based and the asyncio client: the UNSET marker, progress events,
message encoding and the progress-token choice."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional

from ._generated_methods import METHODS
from ._unset import UNSET



ProgressCallback = Callable[[Dict[str, Any]], None]
PartialCallback = Callable[[List[Any]], None]
NotificationCallback = Callable[[str, Any], None]

WORK_DONE = "workDoneToken"
PARTIAL = "partialResultToken"


@dataclass(frozen=True)
class ProgressEvent:
    """One ``$/progress`` notification of a call: ``kind`` is ``"progress"`` (``value`` is the work-done
    object ``{kind: begin|report|end, title?, message?, percentage?}``) or ``"partial"`` (``value`` is a
    list of result items streamed before the reply)."""

    kind: str
    value: Any


def clean_params(params: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    """A copy of ``params`` without UNSET members (``None`` if ``params`` is ``None``)."""
    if params is None:
        return None
    return {k: v for k, v in params.items() if v is not UNSET}


def encode(message: Mapping[str, Any]) -> bytes:
    """One frame in lines framing."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n"


def request_message(id: int, method: str, params: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    message: Dict[str, Any] = {"jsonrpc": "2.0", "id": id, "method": method}
    if params is not None:
        message["params"] = params
    return message


def notification_message(method: str, params: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    message: Dict[str, Any] = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        message["params"] = dict(params)
    return message


def supports(method: str, param: str) -> bool:
    """Whether the generated method table lists ``param`` for ``method``."""
    spec = METHODS.get(method)
    return spec is not None and any(p["name"] == param for p in spec["params"])


def choose_tokens(id: int, method: str, params: Optional[Dict[str, Any]], on_progress: Any, on_partial: Any,
                  events: bool) -> Dict[Any, str]:
    """Puts ``workDoneToken``/``partialResultToken`` into ``params`` where the caller wants progress (a
    callback, or ``events`` for a method that takes the token) and returns ``{token: "progress"|"partial"}``.
    A token the caller put into params is kept (and routed to the call only if it wants progress)."""
    routes: Dict[Any, str] = {}
    for callback, name, kind, prefix in ((on_progress, WORK_DONE, "progress", "w"),
                                         (on_partial, PARTIAL, "partial", "p")):
        given = params.get(name) if params is not None else None
        wanted = callback is not None or (events and supports(method, name))
        if not wanted:
            continue  # a token the caller set without a callback: its progress goes to on_notification
        if given is None:
            if params is None:
                continue
            given = params[name] = f"sb-{prefix}{id}"
        routes[given] = kind
    return routes


def dispatch_progress(kind: str, value: Any, on_progress: Optional[ProgressCallback],
                      on_partial: Optional[PartialCallback]) -> None:
    if kind == "progress" and on_progress is not None:
        on_progress(value)
    elif kind == "partial" and on_partial is not None:
        on_partial(value)
