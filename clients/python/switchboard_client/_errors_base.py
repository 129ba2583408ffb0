"""Exception classes the client raises that do not depend on the generated error table."""
from __future__ import annotations

from typing import Any, Dict, Optional


class SwitchboardError(Exception):
    """Base of every error this package raises.

    ``code`` is the JSON-RPC error code (``None`` for errors made on the client side), ``kind`` the
    server's stable ``data.kind`` (domain errors only), ``message`` its one-sentence message and
    ``data`` its ``error.data`` object (``{}`` when absent)."""

    def __init__(self, message: str, code: Optional[int] = None, kind: Optional[str] = None,
                 data: Optional[Dict[str, Any]] = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.kind = kind
        self.data: Dict[str, Any] = data if isinstance(data, dict) else {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, kind={self.kind!r}, message={self.message!r})"


class ProtocolError(SwitchboardError):
    """A JSON-RPC protocol error (codes -32768..-32000)."""


class ParseError(ProtocolError):
    """-32700: the server could not parse a frame."""


class InvalidRequest(ProtocolError):
    """-32600: not a valid request (or a request after ``shutdown``)."""


class MethodNotFound(ProtocolError):
    """-32601: unknown method (``data.method``)."""


class InvalidParams(ProtocolError):
    """-32602: a param is missing, of the wrong type, out of range or unknown (``data.field``, ``data.reason``)."""


class InternalError(ProtocolError):
    """-32603: a bug in the server; details are in its log only."""


class RequestCancelled(ProtocolError):
    """-32800: the request was cancelled by ``$/cancelRequest`` (sent by :meth:`Call.cancel` and friends)."""


class ServerCancelled(ProtocolError):
    """-32802: the server cancelled the request (``shutdown``, or end of input while it ran)."""


class DomainError(SwitchboardError):
    """A domain error (codes 1001-1099); ``kind`` is ``data.kind``. Subclassed per kind family."""


class ServerExitedError(SwitchboardError):
    """The switchboard process ended (or its pipes broke) while calls were pending.

    ``returncode`` is the exit status (negative: killed by that signal) and ``stderr_tail`` the last
    lines it wrote to stderr, which are also part of the message."""

    def __init__(self, message: str, returncode: Optional[int] = None, stderr_tail: str = ""):
        super().__init__(message)
        self.returncode = returncode
        self.stderr_tail = stderr_tail


class CallTimeout(SwitchboardError, TimeoutError):
    """A call did not finish within its ``timeout``; ``$/cancelRequest`` was sent for it."""


class BinaryNotFoundError(SwitchboardError, FileNotFoundError):
    """No ``switchboard`` executable: pass ``binary=``, set ``SWITCHBOARD_BIN`` or put it on ``PATH``."""


PROTOCOL_CLASSES = {
    -32700: ParseError,
    -32600: InvalidRequest,
    -32601: MethodNotFound,
    -32602: InvalidParams,
    -32603: InternalError,
    -32800: RequestCancelled,
    -32802: ServerCancelled,
}
