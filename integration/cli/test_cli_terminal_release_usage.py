"""In a real terminal (tmux): the typed `release N numbers` of a bulk release, its progress and Ctrl-C
(released, interrupted, not attempted), and the progress of `numbers usage`."""
import shutil

import pytest

from switchboard_process import binary_path
from tmux_session import Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux missing: scripts/install-deps.sh --test installs it")


@pytest.fixture
def term(cli):
    session = Tmux(cli.environment())
    yield session
    session.close()


def count(screen: str, prefix: str) -> int:
    line = next(l for l in screen.splitlines() if l.startswith(prefix))
    return int(line.split("(")[1].split(")")[0])


def test_ctrl_c_mid_bulk_release_reports_released_interrupted_not_attempted(term, creds, fake):
    fake.seed(vapi=8)
    ids = [v["id"] for v in fake.state()["vapi"][:7]]
    fake.fault("delay", provider="vapi", method="DELETE", delayMs=700, times=None)
    term.run([binary_path(), "numbers", "release", *ids])
    term.wait_for('Type "release 7 numbers" to release them: ')
    term.type("release 7 numbers")
    term.wait_for("2 of 7", timeout=30)
    term.key("C-c")
    assert term.wait_exit() == 130
    screen = term.screen()
    assert "Cancelled." in screen
    released = count(screen, "Released (")
    left = count(screen, "Not attempted (")
    interrupted = [l for l in screen.splitlines() if l.startswith("Interrupted, outcome unknown")]
    assert released >= 2 and left >= 1
    assert released + left + (1 if interrupted else 0) == 7
    assert len(fake.requests(method="DELETE")) == released + (1 if interrupted else 0), "no DELETE after the cancel"


def test_usage_shows_progress_then_the_table(term, creds, fake):
    fake.seed(vapi=6)
    for v in fake.state()["vapi"]:
        fake.seed_calls(v["id"], 3, since="2026-10-01T00:00:00Z", until="2026-10-31T00:00:00Z")
    # up to 4 numbers are read at once: the bar shows "4 of 6" while the last two are read
    fake.fault("delay", provider="vapi", method="GET", path="/call", delayMs=1500, times=None)
    term.run([binary_path(), "numbers", "usage", "--since", "2026-10-01", "--until", "2026-11-01"])
    term.wait_for("of 6", timeout=30)
    assert term.wait_exit() == 0
    screen = term.screen()
    assert "NUMBER" in screen and "CALLS" in screen
    assert sum(1 for v in fake.state()["vapi"] if v["number"] in screen) == 6
