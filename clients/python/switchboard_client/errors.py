"""Every exception the client raises, and the mapping from a JSON-RPC error object to one of them.

Hierarchy::

    SwitchboardError                      code, kind, message, data
    ├── ProtocolError                     ParseError, InvalidRequest, MethodNotFound, InvalidParams,
    │                                     InternalError, RequestCancelled, ServerCancelled
    ├── DomainError                       one subclass per data.kind family (generated), e.g.
    │   ├── CredentialsError              └── CredentialsMissing (credentials.missing)
    │   ├── UpstreamError                 UpstreamUnauthorized, UpstreamRateLimited, ...
    │   └── ...
    ├── ServerExitedError                 the process died: returncode, stderr_tail
    ├── CallTimeout (also TimeoutError)
    └── BinaryNotFoundError (also FileNotFoundError)
"""
from __future__ import annotations

from typing import Any, Mapping

from ._errors_base import (PROTOCOL_CLASSES, BinaryNotFoundError, CallTimeout, DomainError, InternalError,
                           InvalidParams, InvalidRequest, MethodNotFound, ParseError, ProtocolError,
                           RequestCancelled, ServerCancelled, ServerExitedError, SwitchboardError)
from ._generated_errors import *  # noqa: F401,F403  (the generated kind and family classes)
from ._generated_errors import FAMILY_CLASSES, KIND_CLASSES, __all__ as _generated_all

__all__ = [
    "SwitchboardError", "ProtocolError", "ParseError", "InvalidRequest", "MethodNotFound", "InvalidParams",
    "InternalError", "RequestCancelled", "ServerCancelled", "DomainError", "ServerExitedError", "CallTimeout",
    "BinaryNotFoundError", "error_from", *_generated_all,
]


def error_from(error: Mapping[str, Any]) -> SwitchboardError:
    """The exception for a JSON-RPC ``error`` object: by ``data.kind`` (falling back to its family,
    then to :class:`DomainError`) for domain errors, by ``code`` for protocol errors."""
    code = error.get("code")
    message = str(error.get("message", "switchboard error"))
    data = error.get("data")
    kind = data.get("kind") if isinstance(data, dict) and isinstance(data.get("kind"), str) else None
    if kind is not None:
        cls = KIND_CLASSES.get(kind) or FAMILY_CLASSES.get(kind.split(".", 1)[0]) or DomainError
    else:
        cls = PROTOCOL_CLASSES.get(code, ProtocolError if isinstance(code, int) and code < -32000 else SwitchboardError)
    return cls(message, code=code if isinstance(code, int) else None, kind=kind, data=data)
