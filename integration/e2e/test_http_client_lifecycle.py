"""The HTTP client (AsyncHTTPClient on a SwiftNIO event loop thread) starts with the first upstream
call, never before, and is shut down cleanly when the process exits."""
from __future__ import annotations

import os

from test_numbers_support import call


def nio_threads(sb) -> list[str]:
    """Names of the process's SwiftNIO event loop threads (NIO names them NIO-ELT-…)."""
    names = []
    task_dir = f"/proc/{sb.proc.pid}/task"
    for tid in os.listdir(task_dir):
        try:
            with open(f"{task_dir}/{tid}/comm") as comm:
                name = comm.read().strip()
        except FileNotFoundError:  # the thread ended meanwhile
            continue
        if name.startswith("NIO-"):
            names.append(name)
    return names


def test_no_http_thread_before_the_first_upstream_call(spawn, fake, upstream_env):
    fake.seed(vapi=3, twilio=0)
    sb = spawn(env=upstream_env)
    assert call(sb, "ping") == {}
    sb.call("setCredentials", {"vapiPrivateKey": fake.vapi_key})
    assert call(sb, "getCredentialStatus")["vapi"]["configured"] is True
    assert nio_threads(sb) == [], "no event loop thread before an upstream call"

    assert call(sb, "listNumbers")["count"] == 3
    assert len(nio_threads(sb)) == 1, nio_threads(sb)

    # End of input: the client is shut down (connections closed, thread stopped) and the exit is clean.
    sb.close_stdin()
    assert sb.wait() == 0
    assert b"Fatal error" not in sb.stderr_bytes and b"not shut down" not in sb.stderr_bytes
