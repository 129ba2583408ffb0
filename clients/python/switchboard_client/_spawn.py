"""Finding the ``switchboard`` executable and building its command line and environment."""
from __future__ import annotations

import os
import shutil
from typing import Dict, List, Mapping, Optional, Sequence, Union

from ._errors_base import BinaryNotFoundError

PathLike = Union[str, "os.PathLike[str]"]

#: How many bytes of the server's stderr are kept for error messages.
STDERR_TAIL_BYTES = 8192


def find_binary(binary: Optional[PathLike] = None) -> str:
    """The executable to spawn: ``binary`` if given, else ``$SWITCHBOARD_BIN``, else ``switchboard`` on ``PATH``."""
    if binary is not None:
        path = os.fspath(binary)
        if not os.path.isfile(path) or not os.access(path, os.X_OK):
            raise BinaryNotFoundError(f"switchboard binary {path!r} (the binary argument) is not an executable file")
        return path
    from_env = os.environ.get("SWITCHBOARD_BIN")
    if from_env:
        if not os.path.isfile(from_env) or not os.access(from_env, os.X_OK):
            raise BinaryNotFoundError(f"SWITCHBOARD_BIN={from_env!r} is not an executable file")
        return from_env
    found = shutil.which("switchboard")
    if found:
        return found
    raise BinaryNotFoundError(
        "switchboard binary not found: pass binary=..., set SWITCHBOARD_BIN or put switchboard on PATH")


def command(binary: str, args: Sequence[str] = (), log_level: Optional[str] = None) -> List[str]:
    argv = [binary, "serve", *args]
    if log_level is not None:
        argv += ["--log-level", log_level]
    return argv


def environment(env: Optional[Mapping[str, str]], home: Optional[PathLike]) -> Optional[Dict[str, str]]:
    """The child's environment: ours, plus ``env``, plus ``SWITCHBOARD_HOME`` when ``home`` is given."""
    if env is None and home is None:
        return None
    merged = dict(os.environ)
    merged.update(env or {})
    if home is not None:
        merged["SWITCHBOARD_HOME"] = os.fspath(home)
    return merged


def tail_text(data: bytes) -> str:
    """The last lines of ``data`` (at most ``STDERR_TAIL_BYTES``), decoded leniently."""
    chunk = bytes(data[-STDERR_TAIL_BYTES:])
    text = chunk.decode("utf-8", errors="replace")
    if len(data) > STDERR_TAIL_BYTES and "\n" in text:
        text = text.split("\n", 1)[1]
    return text.rstrip("\n")


def exit_message(returncode: Optional[int], pending: int, stderr_tail: str) -> str:
    if returncode is None:
        how = "closed its output"
    elif returncode < 0:
        how = f"was killed by signal {-returncode}"
    else:
        how = f"exited with status {returncode}"
    message = f"switchboard {how}"
    if pending:
        message += f" with {pending} call(s) pending"
    return message + (f"; stderr tail:\n{stderr_tail}" if stderr_tail else "; it wrote nothing to stderr")
