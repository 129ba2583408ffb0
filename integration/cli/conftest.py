"""Fixtures for the command-line tests: the e2e suite's fake upstream and home folder, plus a
runner for `switchboard <args>` as a script would run it (pipes, no terminal)."""
from __future__ import annotations

import importlib.util
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

from cli_support import CLI  # noqa: E402


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
