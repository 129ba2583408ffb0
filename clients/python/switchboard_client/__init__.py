"""Python client for switchboard: spawns the binary and calls its JSON-RPC methods.

    from switchboard_client import Switchboard
    with Switchboard() as sb:                       # binary: argument, $SWITCHBOARD_BIN, or PATH
        for number in sb.list_numbers(profile="default")["numbers"]:
            print(number["number"], number.get("name"))

:class:`Switchboard` is thread-safe; :class:`AsyncSwitchboard` is its asyncio twin. Errors are
:mod:`switchboard_client.errors` classes under :class:`SwitchboardError`.
"""
from ._common import ProgressEvent
from ._generated_methods import METHODS
from ._generated_types import *  # noqa: F401,F403
from ._generated_types import __all__ as _types_all
from ._spawn import find_binary
from ._unset import UNSET
from .aio import AsyncCall, AsyncSwitchboard
from .client import Call, Switchboard
from .errors import *  # noqa: F401,F403
from .errors import __all__ as _errors_all

__version__ = "0.1.0"

__all__ = ["Switchboard", "AsyncSwitchboard", "Call", "AsyncCall", "ProgressEvent", "UNSET", "METHODS",
           "find_binary", *_errors_all, *_types_all]
