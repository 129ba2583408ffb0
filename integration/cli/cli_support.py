"""Helpers for the command-line tests: run `switchboard <args>` as a script would (pipes, no terminal)."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from switchboard_process import binary_path


class CLI:
    """Runs the binary with SWITCHBOARD_HOME and the fake's URLs; stdin/stdout/stderr are pipes."""

    def __init__(self, home: Path, env: dict):
        self.home = home
        self.env = env

    def environment(self, extra: dict | None = None) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SWITCHBOARD_") and k != "NO_COLOR"}
        env.update({"SWITCHBOARD_HOME": str(self.home), "TZ": "UTC", "SWITCHBOARD_HTTP_MAX_RETRIES": "0"})
        env.pop("COLUMNS", None)
        env.update(self.env)
        env.update(extra or {})
        return env

    def __call__(self, *args: str, stdin: bytes | str = b"", env: dict | None = None, timeout: float = 60):
        if isinstance(stdin, str):
            stdin = stdin.encode()
        return subprocess.run([binary_path(), *args], input=stdin, capture_output=True,
                              env=self.environment(env), timeout=timeout)

    def ok(self, *args: str, **kwargs) -> str:
        result = self(*args, **kwargs)
        assert result.returncode == 0, (args, result.returncode, result.stderr.decode(errors="replace"))
        return result.stdout.decode()

    def json(self, *args: str, **kwargs):
        out = self.ok(*args, **kwargs)
        lines = out.splitlines()
        assert len(lines) == 1, f"one JSON line on stdout, got {out!r}"
        return json.loads(lines[0])

    def call(self, method: str, params: dict | None = None):
        return self.json("call", method, json.dumps(params or {}))


def error_json(result: subprocess.CompletedProcess) -> dict:
    """The JSON-RPC error object a failed `call`/`--json` prints as the last stderr line."""
    lines = [line for line in result.stderr.decode().splitlines() if line.strip()]
    assert lines, "an error on stderr"
    error = json.loads(lines[-1])
    assert set(error) <= {"code", "message", "data"} and "code" in error and "message" in error, error
    return error
