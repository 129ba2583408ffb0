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
