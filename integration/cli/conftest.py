"""Fixtures for the command-line tests: the e2e suite's fake upstream and home folder, plus a
runner for `switchboard <args>` as a script would run it (pipes, no terminal)."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "e2e"))
sys.path.insert(0, str(HERE.parent / "fake_upstream"))

# Reuse the e2e fixtures (home, spawn, fake, upstream_env) rather than a second copy.
_spec = importlib.util.spec_from_file_location("e2e_fixtures", HERE.parent / "e2e" / "conftest.py")
_e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_e2e)
home, spawn, fake, upstream_env = _e2e.home, _e2e.spawn, _e2e.fake, _e2e.upstream_env

from switchboard_process import binary_path  # noqa: E402


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


@pytest.fixture
def cli(home, upstream_env):
    return CLI(home, upstream_env)


@pytest.fixture
def creds(cli, fake):
    """`default` holds the fake's credentials (stored through `credentials set` from stdin)."""
    text = (f"vapiPrivateKey={fake.vapi_key}\ntwilioAccountSid={fake.account_sid}\n"
            f"twilioAuthToken={fake.auth_token}\ntransferPhoneNumber=+14155550100\n")
    cli.ok("credentials", "set", stdin=text)
    return cli
