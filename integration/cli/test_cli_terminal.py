"""The command line in a real terminal (tmux): prompts without echo for secrets, re-asking after a bad
value, the progress bar, Ctrl-C in the middle of a bulk import, the typed confirmation of `release`,
colour only on a terminal without NO_COLOR."""
import shutil
import time

import pytest

from switchboard_process import binary_path
from tmux_session import Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux missing: scripts/install-deps.sh --test installs it")


@pytest.fixture
def term(cli):
    session = Tmux(cli.environment())
    yield session
    session.close()


def test_set_prompts_hide_secrets_echo_the_sid_and_ask_again(term, cli, fake):
    term.run([binary_path(), "credentials", "set"])
    term.wait_for("Vapi private API key: ")
    term.type(fake.vapi_key)
    term.wait_for("Twilio Account SID: ")
    term.type("AC12")
    term.wait_for("must be AC followed by 32 hex digits; try again")
    term.type(fake.account_sid)
    term.wait_for("Twilio Auth Token: ")
    term.type("not-hex")
    term.wait_for("Twilio Auth Token must be 32 hex digits")
    term.type(fake.auth_token)
    term.wait_for("Transfer (fallback) number, E.164: ")
    term.type("")  # Enter keeps the stored value
    assert term.wait_exit() == 0
    screen = term.screen()
    assert fake.vapi_key not in screen and fake.auth_token not in screen, "secrets are never echoed"
    assert "not-hex" not in screen
    assert fake.account_sid in screen, "the Account SID (not a secret) is echoed as typed"
    assert "AC12" in screen
    status = cli.json("credentials", "status", "--json")
    assert status["vapi"]["configured"] and status["twilio"]["configured"]
    assert not status["fields"]["transferPhoneNumber"]["set"]


def test_clear_in_a_terminal_does_not_prompt(term, creds):
    term.run([binary_path(), "credentials", "set", "--clear", "transferPhoneNumber"])
    assert term.wait_exit() == 0
    screen = term.screen()
    assert "Vapi private API key:" not in screen
    status = creds.json("credentials", "status", "--json")
    assert not status["fields"]["transferPhoneNumber"]["set"] and status["fields"]["vapiPrivateKey"]["set"]


def test_progress_bar_during_bulk_import(term, creds, fake):
    fake.seed(twilio=8)
    sids = [t["sid"] for t in fake.twilio_numbers() if t["capabilities"]["voice"]][:6]
    fake.fault("delay", provider="vapi", method="POST", delayMs=400, times=None)
    term.run([binary_path(), "numbers", "import", *sids])
    screen = term.wait_for("2 of 6")
    bar_line = next(l for l in screen.splitlines() if "2 of 6" in l)
    assert "Importing 6 numbers [" in bar_line and "█" in bar_line and "░" in bar_line, bar_line
    assert term.wait_exit() == 0
    final = term.screen()
    assert "6 imported, 0 failed." in final
    assert final.count("imported") >= 6


def test_ctrl_c_mid_bulk_import_cancels_and_reports(term, creds, fake):
    fake.seed(twilio=10)
    sids = [t["sid"] for t in fake.twilio_numbers() if t["capabilities"]["voice"]][:8]
    fake.fault("delay", provider="vapi", method="POST", delayMs=700, times=None)
    term.run([binary_path(), "numbers", "import", "--idempotency-key", "batch-7", *sids])
    term.wait_for("2 of 8", timeout=30)
    term.key("C-c")
    assert term.wait_exit() == 130
    screen = term.screen()
    assert "Cancelled." in screen
    imported_line = next(l for l in screen.splitlines() if l.startswith("Imported ("))
    imported = int(imported_line.split("(")[1].split(")")[0])
    assert imported >= 2
    not_attempted = next(l for l in screen.splitlines() if l.startswith("Not attempted ("))
    left = int(not_attempted.split("(")[1].split(")")[0])
    assert left >= 1 and imported + left <= 8
    interrupted = [l for l in screen.splitlines() if l.startswith("Interrupted, outcome unknown")]
    assert imported + left + (1 if interrupted else 0) == 8
    if interrupted:
        assert "--idempotency-key" in screen
    posts = fake.requests(provider="vapi", method="POST")
    assert len(posts) == imported + (1 if interrupted else 0), "no POST after the cancel"
    # The interrupted POST was on its way: the fake still creates that number once its delay is
    # over. Once it has, running the batch again with the same key reconciles it (no second POST)
    # and imports the rest: never twice.
    deadline = time.time() + 10
    while len(fake.vapi_numbers()) < len(posts) and time.time() < deadline:
        time.sleep(0.05)
    fake.clear_faults()
    again = creds("numbers", "import", "--idempotency-key", "batch-7", *sids, "--json")
    assert again.returncode == 0, again.stdout + again.stderr
    in_vapi = [n["number"] for n in fake.vapi_numbers()]
    assert len(in_vapi) == len(set(in_vapi)) == 8
    by_sid = {t["sid"]: t["phone_number"] for t in fake.twilio_numbers()}
    assert {by_sid[s] for s in sids} == set(in_vapi)
    assert len(fake.requests(provider="vapi", method="POST")) == 8, "one POST per number in all"


def test_release_asks_for_the_number_in_a_terminal(term, creds, fake):
    created = creds.call("createNumber", {"areaCode": "415"})
    term.run([binary_path(), "numbers", "release", created["id"]])
    term.wait_for(f"Type {created['number']} to release it: ")
    term.type("+1000")
    assert term.wait_exit() == 65
    assert "nothing was released" in term.screen()
    assert fake.requests(method="DELETE") == []
    term.clear()
    term.run([binary_path(), "numbers", "release", created["id"]])
    term.wait_for("to release it: ")
    term.type(created["number"])
    assert term.wait_exit() == 0
    assert f"Released {created['number']}." in term.screen()
    assert len(fake.requests(method="DELETE")) == 1


def test_table_colour_only_without_no_color(term, creds, fake):
    fake.seed(vapi=2)
    term.run([binary_path(), "numbers", "list"])
    assert term.wait_exit() == 0
    coloured = term.screen(escapes=True)
    assert "\x1b[1m" in coloured or "\x1b[1;" in coloured, "bold header on a terminal"
    assert "Voice Only" in coloured
    term.run_line("export NO_COLOR=1")
    term.clear()
    term.run([binary_path(), "numbers", "list"])
    assert term.wait_exit() == 0
    plain = term.screen(escapes=True)
    table = plain[plain.index("NUMBER"):]
    assert "\x1b[1m" not in table and "\x1b[32m" not in table


def test_listing_progress_counts_pages_and_numbers(term, creds, fake):
    fake.seed(vapi=2100)
    fake.fault("delay", provider="vapi", method="GET", path="/v2/phone-number", delayMs=600, times=None)
    term.run([binary_path(), "numbers", "list", "--json"])
    screen = term.wait_for("1000 numbers, page 1", timeout=30)
    line = next(l for l in screen.splitlines() if "page 1" in l)
    assert line.startswith("Listing Vapi numbers… 1000 numbers, page 1 ("), line
    assert term.wait_exit(timeout=60) == 0
    final = term.screen()
    assert '"count":2100' in final, "--json still prints the whole RPC result after streaming pages"
    assert "page 1 (" not in final.split('"count":2100')[-1], "the progress line is cleared"


def test_ctrl_c_at_a_secret_prompt_restores_echo(term, cli):
    term.run([binary_path(), "credentials", "set"])
    term.wait_for("Vapi private API key: ")
    term.type("half-typed", enter=False)
    term.key("C-c")
    assert term.wait_exit() == 130
    assert "half-typed" not in term.screen()
    term.clear()
    term.type("stty -a | grep -q -- '-echo ' && echo STATE=no-echo || echo STATE=echo")
    deadline = time.monotonic() + 10
    while not [l for l in term.screen().splitlines() if l.startswith("STATE=")]:
        assert time.monotonic() < deadline, term.screen()
        time.sleep(0.05)
    assert [l for l in term.screen().splitlines() if l.startswith("STATE=")] == ["STATE=echo"]


def test_table_fits_a_narrow_terminal(cli, creds, fake):
    fake.seed(vapi=3)
    narrow = Tmux(cli.environment(), width=72)
    try:
        narrow.run([binary_path(), "numbers", "list"])
        assert narrow.wait_exit() == 0
        lines = narrow.screen().splitlines()
        table = lines[lines.index(next(l for l in lines if l.startswith("NUMBER"))):]
        table = table[:next(i for i, l in enumerate(table) if l.startswith("EXIT="))]
        assert len(table) == 4, "no row wrapped onto a second line"
        assert all(len(l) <= 72 for l in table)
        assert "CREATED" in table[0] and "ID" not in table[0].split()
    finally:
        narrow.close()


def test_ctrl_c_mid_listing_cancels_cleanly(term, creds, fake):
    fake.seed(vapi=2100)
    fake.fault("delay", provider="vapi", method="GET", path="/v2/phone-number", delayMs=1500, times=None)
    term.run([binary_path(), "numbers", "list"])
    term.wait_for("page 1", timeout=30)
    term.key("C-c")
    assert term.wait_exit(timeout=10) == 130
    screen = term.screen()
    assert "Cancelled." in screen and "Nothing was changed by this command." in screen
    assert "NUMBER" not in screen, "no partial table"
