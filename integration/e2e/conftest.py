import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fake_upstream"))

from switchboard_process import Switchboard  # noqa: E402


@pytest.fixture
def home(tmp_path):
    path = tmp_path / "home"
    return path


@pytest.fixture
def spawn(home):
    """Factory: spawn(**kwargs) -> Switchboard; every process is stopped after the test and its
    stdout is checked to contain protocol frames only."""
    processes = []

    def _spawn(**kwargs):
        kwargs.setdefault("home", home)
        sb = Switchboard(**kwargs)
        processes.append(sb)
        return sb

    yield _spawn
    for sb in processes:
        sb.stop()
        sb.stdout_frames()  # raises if stdout holds anything but frames


@pytest.fixture
def sb(spawn):
    return spawn()


@pytest.fixture
def fake(tmp_path):
    """A fake Vapi + Twilio server on 127.0.0.1 (integration/fake_upstream), logging every exchange."""
    from fake_upstream import FakeUpstream

    server = FakeUpstream(log_path=str(tmp_path / "fake-upstream.log"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def upstream_env(fake):
    """Environment pointing switchboard at the fake, with fast retries."""
    return {
        "SWITCHBOARD_VAPI_BASE_URL": fake.base_url,
        "SWITCHBOARD_TWILIO_BASE_URL": fake.base_url,
        "SWITCHBOARD_HTTP_BACKOFF_MS": "20",
        "SWITCHBOARD_HTTP_TIMEOUT_MS": "5000",
    }


@pytest.fixture
def connected(spawn, fake, upstream_env):
    """A switchboard process pointed at the fake, holding the fake's credentials in `default`."""
    sb = spawn(env=upstream_env)
    sb.call("setCredentials", {"vapiPrivateKey": fake.vapi_key, "twilioAccountSid": fake.account_sid,
                               "twilioAuthToken": fake.auth_token, "transferPhoneNumber": "+14155550100"})
    return sb
