"""Runs `switchboard mcp` under the official MCP Python SDK's stdio client (test helper).

The SDK spawns `stdio_tap.py`, which runs the real binary on pipes of its own and keeps a copy of
every byte the binary writes, so tests can read the raw frames and scan them for secrets.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import asynccontextmanager
from pathlib import Path

from mcp import ClientSession, StdioServerParameters, stdio_client

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "e2e"))

from secrets_scan import assert_no_secrets  # noqa: E402
from switchboard_process import binary_path  # noqa: E402

READ_ONLY = {"listNumbers", "listTwilio", "getNumber", "getUsage", "verifyCredentials", "getCredentialStatus",
             "listOperations", "listProfiles"}
TOOLS = READ_ONLY | {"importNumber", "importNumbers", "createNumber", "updateNumber", "deleteNumber", "deleteNumbers"}


class McpServer:
    """How to start one `switchboard mcp` (any number of sessions), and what it wrote."""

    def __init__(self, home: Path, workdir: Path, env: dict | None = None):
        self.home = Path(home)
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.stdin_path = self.workdir / "stdin.bin"
        self.stdout_path = self.workdir / "stdout.bin"
        self.stderr_path = self.workdir / "stderr.bin"
        self.env = {"SWITCHBOARD_HOME": str(self.home), **(env or {})}

    def parameters(self) -> StdioServerParameters:
        return StdioServerParameters(
            command=sys.executable,
            args=[str(HERE / "stdio_tap.py"), str(self.workdir), "--", binary_path(), "mcp"],
            env=self.env)

    @asynccontextmanager
    async def session(self, **session_kwargs):
        """An initialized `ClientSession` talking to a fresh `switchboard mcp`."""
        with open(self.workdir / "tap-errors.txt", "a") as errlog:
            async with stdio_client(self.parameters(), errlog=errlog) as (read, write):
                async with ClientSession(read, write, **session_kwargs) as session:
                    await session.initialize()  # kept by the SDK as session.initialize_result
                    yield session

    def set_credentials(self, fields: dict, profile: str = "default"):
        """What the person does in a terminal: `switchboard credentials set` reading field=value lines."""
        lines = "".join(f"{k}={v}\n" for k, v in fields.items())
        env = {k: v for k, v in os.environ.items() if not k.startswith("SWITCHBOARD_")} | self.env
        done = subprocess.run([binary_path(), "credentials", "set", "--profile", profile], input=lines.encode(),
                              env=env, capture_output=True, timeout=30)
        assert done.returncode == 0, done.stderr.decode(errors="replace")

    def stdout_bytes(self) -> bytes:
        return self.stdout_path.read_bytes() if self.stdout_path.exists() else b""

    def stderr_bytes(self) -> bytes:
        return self.stderr_path.read_bytes() if self.stderr_path.exists() else b""

    def sent(self) -> list[dict]:
        """Every frame the client sent."""
        data = self.stdin_path.read_bytes() if self.stdin_path.exists() else b""
        return [json.loads(line) for line in data.split(b"\n") if line.strip()]

    def frames(self) -> list[dict]:
        """Every line the server wrote on stdout, parsed; fails on anything that is not a JSON-RPC frame."""
        frames = []
        for line in self.stdout_bytes().split(b"\n"):
            if line.strip():
                frame = json.loads(line)
                assert frame.get("jsonrpc") == "2.0", line[:200]
                frames.append(frame)
        return frames

    def assert_no_secrets(self, secrets: dict):
        self.frames()
        assert_no_secrets(secrets, blobs={"mcp stdout": self.stdout_bytes(), "mcp stderr": self.stderr_bytes()})


def credentials(fake, transfer: str = "+14155550100") -> dict:
    return {"vapiPrivateKey": fake.vapi_key, "twilioAccountSid": fake.account_sid, "twilioAuthToken": fake.auth_token,
            "transferPhoneNumber": transfer}
