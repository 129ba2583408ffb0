"""The server process: found by argument, SWITCHBOARD_BIN or PATH; killed mid-call; the command line."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from switchboard_client import BinaryNotFoundError, ServerExitedError, Switchboard, find_binary


def wait_for_stderr(sb, timeout=15.0):
    """Waits until the server has logged something (its log is written asynchronously)."""
    deadline = time.monotonic() + timeout
    while not sb.stderr_tail():
        assert time.monotonic() < deadline, "the server logged nothing at debug level"
        time.sleep(0.02)


# ---------------------------------------------------------------------------------------------
# Finding the binary


def test_binary_from_argument(binary, client_env, monkeypatch):
    monkeypatch.delenv("SWITCHBOARD_BIN", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with Switchboard(binary, env=client_env) as sb:
        assert sb.binary == binary and sb.ping() == {}


def test_binary_from_environment(binary, client_env, monkeypatch):
    monkeypatch.setenv("SWITCHBOARD_BIN", binary)
    monkeypatch.setenv("PATH", "/nonexistent")
    with Switchboard(env=client_env) as sb:
        assert sb.binary == binary and sb.ping() == {}


def test_binary_from_path(binary, client_env, monkeypatch, tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "switchboard").symlink_to(binary)
    monkeypatch.delenv("SWITCHBOARD_BIN", raising=False)
    monkeypatch.setenv("PATH", str(folder))
    with Switchboard(env=client_env) as sb:
        assert sb.binary == str(folder / "switchboard") and sb.ping() == {}


def test_binary_not_found(monkeypatch, tmp_path):
    monkeypatch.delenv("SWITCHBOARD_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BinaryNotFoundError) as info:
        find_binary()
    assert "SWITCHBOARD_BIN" in str(info.value) and isinstance(info.value, FileNotFoundError)
    with pytest.raises(BinaryNotFoundError):
        Switchboard(tmp_path / "missing")
    monkeypatch.setenv("SWITCHBOARD_BIN", str(tmp_path / "missing"))
    with pytest.raises(BinaryNotFoundError, match="SWITCHBOARD_BIN"):
        find_binary()


# ---------------------------------------------------------------------------------------------
# The server killed mid-call


def test_killed_server_fails_every_pending_call_with_stderr_tail(binary, client_env):
    sb = Switchboard(binary, env=client_env, log_level="debug")
    calls = [sb.request("test/sleep", {"ms": 30000}) for _ in range(5)]
    assert sb.ping() == {}
    wait_for_stderr(sb)
    os.kill(sb.pid, signal.SIGKILL)
    for call in calls:
        error = call.future.exception(timeout=10)
        assert isinstance(error, ServerExitedError)
        assert error.returncode == -signal.SIGKILL and "killed by signal 9" in error.message
        assert error.stderr_tail and error.stderr_tail in error.message
    with pytest.raises(ServerExitedError):
        sb.ping()
    sb.close()


def test_server_exiting_by_itself_fails_pending_calls(binary, client_env):
    with Switchboard(binary, env=client_env) as sb:
        call = sb.request("test/sleep", {"ms": 30000})
        sb.shutdown()
        sb.exit()
        error = call.future.exception(timeout=10)
        # shutdown cancels in-flight requests (-32802) before the process ends
        assert error.code == -32802
        assert sb.wait(10) == 0
        with pytest.raises(ServerExitedError, match="exited with status 0"):
            sb.ping()


def test_killed_server_async(async_client_factory):
    async def main():
        sb = await async_client_factory(log_level="debug")
        pending = [asyncio.ensure_future(sb.call("test/sleep", {"ms": 30000})) for _ in range(3)]
        assert await sb.ping() == {}
        deadline = time.monotonic() + 15
        while not sb.stderr_tail():  # its log is written asynchronously
            assert time.monotonic() < deadline, "the server logged nothing at debug level"
            await asyncio.sleep(0.02)
        sb.kill()
        results = await asyncio.gather(*pending, return_exceptions=True)
        assert all(isinstance(r, ServerExitedError) for r in results), results
        assert all(r.stderr_tail and r.stderr_tail in str(r) for r in results)
        assert "killed by signal 9" in str(results[0])
        with pytest.raises(ServerExitedError):
            await sb.ping()
        await sb.close()

    asyncio.run(main())


# ---------------------------------------------------------------------------------------------
# python -m switchboard_client


def run_cli(binary, env, *args):
    import switchboard_client
    package_root = os.path.dirname(os.path.dirname(switchboard_client.__file__))
    path = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "switchboard_client", "--binary", binary, *args],
                          capture_output=True, text=True, env={**os.environ, **env, "PYTHONPATH": path}, timeout=60)


def test_cli_prints_the_result(binary, client_env, fake):
    fake.seed(vapi=2)
    params = json.dumps({"vapiPrivateKey": fake.vapi_key})
    done = run_cli(binary, client_env, "setCredentials", params)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["vapi"]["configured"] is True
    assert fake.vapi_key not in done.stdout + done.stderr
    done = run_cli(binary, client_env, "listNumbers", "--progress", "--compact")
    assert done.returncode == 0 and json.loads(done.stdout)["count"] == 2
    assert json.loads(done.stderr.splitlines()[-1])["kind"] == "end"


def test_cli_error_exit_status(binary, client_env):
    done = run_cli(binary, client_env, "listTwilio")
    assert done.returncode == 1 and done.stdout == ""
    error = json.loads(done.stderr)["error"]
    assert error["code"] == 1001 and error["kind"] == "credentials.missing"
    done = run_cli(binary, client_env, "ping", "[1]")
    assert done.returncode == 2 and "JSON object" in done.stderr
