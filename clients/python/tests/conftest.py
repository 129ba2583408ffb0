"""Fixtures for the Python client's tests: the real switchboard binary and the fake upstream.

The fake Vapi/Twilio server and its environment come from the end-to-end suite's fixtures
(integration/e2e/conftest.py), loaded here under another module name, so both suites start it the
same way. The client under test is the installed ``switchboard_client`` (``pip install ./clients/python``);
without an installed copy the source folder is used.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "clients" / "python"

try:
    import switchboard_client  # noqa: F401
except ImportError:
    sys.path.insert(0, str(SOURCE))

_spec = importlib.util.spec_from_file_location("switchboard_e2e_conftest", ROOT / "integration" / "e2e" / "conftest.py")
_e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_e2e)  # also puts integration/e2e and integration/fake_upstream on sys.path

fake = _e2e.fake
upstream_env = _e2e.upstream_env

from switchboard_process import binary_path  # noqa: E402  (the e2e suite's SWITCHBOARD_BIN / .build lookup)

from switchboard_client import AsyncSwitchboard, Switchboard  # noqa: E402


@pytest.fixture(scope="session")
def binary() -> str:
    return os.path.abspath(binary_path())


@pytest.fixture
def client_env(tmp_path, upstream_env):
    """Environment for a client's server: the fake's base URLs, a fresh home, test hooks on."""
    return {**upstream_env, "SWITCHBOARD_HOME": str(tmp_path / "home"), "SWITCHBOARD_TEST_HOOKS": "1"}


@pytest.fixture
def creds(fake):
    return {"vapi_private_key": fake.vapi_key, "twilio_account_sid": fake.account_sid,
            "twilio_auth_token": fake.auth_token, "transfer_phone_number": "+14155550100"}


@pytest.fixture
def client(binary, client_env):
    """A Switchboard client pointed at the fake (no credentials stored yet)."""
    with Switchboard(binary, env=client_env) as sb:
        yield sb


@pytest.fixture
def connected(client, creds):
    """A Switchboard client holding the fake's credentials in profile `default`."""
    client.set_credentials(**creds)
    return client


@pytest.fixture
def async_client_factory(binary, client_env):
    """async_client_factory(**kwargs) -> started AsyncSwitchboard (use inside asyncio.run)."""
    async def start(**kwargs):
        kwargs.setdefault("env", client_env)
        return await AsyncSwitchboard.start(binary, **kwargs)
    return start
