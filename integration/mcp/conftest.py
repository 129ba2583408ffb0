"""Fixtures for the MCP end-to-end tests: the e2e suite's fake upstream and home, plus a helper that
runs `switchboard mcp` under the official MCP Python SDK (`mcp` on PyPI) with every byte it writes kept."""
import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
E2E = HERE.parent / "e2e"
sys.path.insert(0, str(HERE))

# Reuse the e2e fixtures (fake upstream, environment, home) rather than copying them.
_spec = importlib.util.spec_from_file_location("switchboard_e2e_fixtures", E2E / "conftest.py")
_e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_e2e)
home = _e2e.home
fake = _e2e.fake
upstream_env = _e2e.upstream_env
spawn = _e2e.spawn

from mcp_harness import McpServer  # noqa: E402


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def mcp_server(tmp_path, home, upstream_env, fake):
    """Factory for `McpServer`s pointed at the fake; after the test, everything each one wrote to
    stdout and stderr is scanned for the fake's secrets."""
    servers = []

    def _make(**kwargs):
        kwargs.setdefault("env", upstream_env)
        server = McpServer(home=home, workdir=tmp_path / f"mcp-{len(servers)}", **kwargs)
        servers.append(server)
        return server

    yield _make
    for server in servers:
        server.assert_no_secrets({"vapi key": fake.vapi_key, "auth token": fake.auth_token})
