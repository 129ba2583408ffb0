"""`switchboard numbers …`: a table by default (plain when stdout is not a terminal), `--json` exactly the
RPC result, `--profile`, typed confirmation for `release`, bulk `import` with progress."""
import json
import os
import pty
import re
import subprocess
import uuid

from cli_support import error_json
from switchboard_process import binary_path

ESC = "\x1b["


def table(text: str) -> list[list[str]]:
    """Rows split on runs of 2+ spaces (the column gap)."""
    return [re.split(r"\s{2,}", line.strip()) for line in text.splitlines() if line.strip()]


def test_list_table_and_json(creds, fake):
    fake.seed(vapi=3)
    fake.seed(vapi=[{"name": "Sales", "smsEnabled": True, "provider": "twilio", "createdAt": "2025-07-01T23:30:00.000Z"}])
    listed = creds.call("listNumbers")
    assert creds.json("numbers", "list", "--json") == listed, "--json is exactly the RPC result"

    text = creds.ok("numbers", "list", env={"TZ": "America/Los_Angeles"})
    assert ESC not in text, "no colour or decoration when stdout is not a terminal"
    rows = table(text)
    assert rows[0][:3] == ["NUMBER", "NAME", "CAPABILITY"]
    assert len(rows) == 1 + listed["count"]
    numbers = [r[0] for r in rows[1:]]
    assert numbers == [n["number"] for n in listed["numbers"]]
    sales = next(r for r in rows if "Sales" in r)
    assert "Voice + SMS" in sales
    assert "2025-07-01 16:30" in sales, "dates in local time (TZ)"
    assert sum("Voice Only" in r for r in rows) == 3
    # Every id is shown whole when there is room (scripts copy it).
    assert all(n["id"] in text for n in listed["numbers"])


def test_list_fits_the_width_and_ignores_nothing_with_no_color(creds, fake):
    fake.seed(vapi=2)
    narrow = creds.ok("numbers", "list", env={"COLUMNS": "60"})
    assert max(len(line) for line in narrow.splitlines()) <= 60
    assert "NUMBER" in narrow and "ID" not in narrow.split("\n")[0].split()
    assert creds.ok("numbers", "list", env={"NO_COLOR": "1"}) == creds.ok("numbers", "list")


def test_empty_account_says_what_to_do(creds, fake):
    assert "numbers import" in creds.ok("numbers", "list")


def test_profile_option(cli, fake):
    cli.ok("credentials", "set", "--profile", "work",
           stdin=f"vapiPrivateKey={fake.vapi_key}\n")
    fake.seed(vapi=1)
    assert cli.json("numbers", "list", "--profile", "work", "--json")["count"] == 1
    missing = cli("numbers", "list", "--json")
    assert missing.returncode == 78 and error_json(missing)["data"]["kind"] == "credentials.missing"
    text = cli("numbers", "list")
    assert text.returncode == 78 and "credentials set" in text.stderr.decode() and text.stdout == b""


def test_twilio_table_and_json(creds, fake):
    fake.seed(twilio=12, twilio_non_voice_every=5)
    sid = next(t["sid"] for t in fake.twilio_numbers() if t["capabilities"]["voice"])
    creds.call("importNumber", {"sid": sid})
    result = creds.call("listTwilio")
    assert creds.json("numbers", "twilio", "--json") == result
    rows = table(creds.ok("numbers", "twilio"))
    assert rows[0] == ["NUMBER", "NAME", "CAPABILITIES", "IN VAPI", "SID"]
    assert len(rows) == 1 + result["count"]
    imported = [r for r in rows[1:] if r[3] == "yes"]
    assert len(imported) == 1 and imported[0][-1] == sid
    everything = creds.json("numbers", "twilio", "--include-non-voice", "--json")
    assert everything["count"] == 12 > result["count"]


def test_get_create_rename_route(creds, fake):
    fake.clear_requests()
    created = creds.json("numbers", "create", "--area-code", "415", "--name", "Sales", "--fallback", "+14155550123",
                         "--idempotency-key", "cli-create-1", "--json")
    assert created["number"].startswith("+1415") and created["name"] == "Sales"
    assert created["fallbackDestination"] == {"type": "number", "number": "+14155550123"}
    posts = fake.requests(provider="vapi", method="POST")
    assert len(posts) == 1 and posts[0]["json"]["numberDesiredAreaCode"] == "415"
    again = creds.json("numbers", "create", "--area-code", "415", "--name", "Sales", "--fallback", "+14155550123",
                       "--idempotency-key", "cli-create-1", "--json")
    assert again == created and len(fake.requests(provider="vapi", method="POST")) == 1, "same key, no second POST"

    assert creds.json("numbers", "get", created["id"], "--json") == creds.call("getNumber", {"id": created["id"]})
    rows = table(creds.ok("numbers", "get", created["id"]))
    assert rows[1][0] == created["number"] and rows[1][1] == "Sales"

    renamed = creds.json("numbers", "rename", created["id"], "Sales West", "--json")
    assert renamed["name"] == "Sales West"
    assert "Sales West" in creds.ok("numbers", "rename", created["id"], "Sales West")
    routed = creds.json("numbers", "route", created["id"], "--no-fallback", "--json")
    assert "fallbackDestination" not in routed
    routed = creds.json("numbers", "route", created["id"], "--fallback", "+14155550100", "--json")
    assert routed["fallbackDestination"]["number"] == "+14155550100"
    patches = fake.requests(provider="vapi", method="PATCH")
    assert [p["json"] for p in patches[-2:]] == [{"fallbackDestination": None},
                                                  {"fallbackDestination": {"type": "number", "number": "+14155550100"}}]
    usage = creds("numbers", "route", created["id"])
    assert usage.returncode == 64 and b"--fallback" in usage.stderr
    bad = creds("numbers", "create", "--area-code", "41")
    assert bad.returncode == 65 and b"3-digit area code" in bad.stderr


def test_release_wrong_then_right_typed_number(creds, fake):
    created = creds.call("createNumber", {"areaCode": "415"})
    fake.clear_requests()
    wrong = creds("numbers", "release", created["id"], stdin="+19999999999\n")
    assert wrong.returncode == 65
    assert f"Type {created['number']}" in wrong.stderr.decode()
    assert "nothing was released" in wrong.stderr.decode()
    assert fake.requests(method="DELETE") == [], "nothing sent on a wrong answer"
    assert any(n["id"] == created["id"] for n in fake.vapi_numbers())

    nothing = creds("numbers", "release", created["id"], stdin="")
    assert nothing.returncode == 65 and fake.requests(method="DELETE") == []

    right = creds("numbers", "release", created["id"], stdin=created["number"] + "\n")
    assert right.returncode == 0, right.stderr
    assert right.stdout.decode() == f"Released {created['number']}.\n"
    assert len(fake.requests(method="DELETE")) == 1
    assert not any(n["id"] == created["id"] for n in fake.vapi_numbers())


def test_release_with_confirm_option(creds, fake):
    a = creds.call("createNumber", {"areaCode": "415"})
    b = creds.call("createNumber", {"areaCode": "628"})
    fake.clear_requests()
    wrong = creds("numbers", "release", a["id"], "--confirm", b["number"], "--json")
    assert wrong.returncode == 65 and error_json(wrong)["data"]["field"] == "/confirm"
    assert fake.requests(method="DELETE") == []
    released = creds.json("numbers", "release", a["id"], "--confirm", a["number"], "--json")
    assert released["id"] == a["id"]
    assert creds.json("numbers", "release", b["id"], "--confirm", b["id"], "--json")["id"] == b["id"]


def voice_sids(fake, n):
    return [t for t in fake.twilio_numbers() if t["capabilities"]["voice"]][:n]


def test_bulk_import_sids_and_numbers(creds, fake):
    fake.seed(twilio=8)
    a, b, c = voice_sids(fake, 3)
    fake.clear_requests()
    result = creds.json("numbers", "import", a["sid"], b["phone_number"], c["sid"], "--name-prefix", "Acme ",
                        "--idempotency-key", "bulk-1", "--json")
    assert [r["sid"] for r in result["results"]] == [a["sid"], b["sid"], c["sid"]]
    assert result["imported"] == 3 and result["failed"] == 0
    assert result["results"][1]["number"]["name"] == ("Acme " + b["friendly_name"])[:40]
    posts = fake.requests(provider="vapi", method="POST")
    assert len(posts) == 3 and all(p["json"]["smsEnabled"] is False for p in posts)

    # Again: every SID is a conflict now; the exit status is the first failure's class.
    again = creds("numbers", "import", a["sid"], b["sid"])
    assert again.returncode == 79
    rows = table(again.stdout.decode())
    assert rows[0][:3] == ["SID", "NUMBER", "RESULT"] and len(rows) == 3
    assert "0 imported, 2 failed" in again.stderr.decode()

    unknown = creds("numbers", "import", "+19995550000", "--json")
    assert unknown.returncode == 66 and error_json(unknown)["data"]["kind"] == "notFound"
    bad = creds("numbers", "import", "PN12", "--json")
    assert bad.returncode == 65 and error_json(bad)["data"]["field"] == "/sids/0"


def test_bulk_import_shows_progress_on_a_terminal_stderr(creds, fake):
    """stderr is a pseudo-terminal, stdout a pipe: a progress bar with counts on stderr, the
    plain table on stdout."""
    fake.seed(twilio=6)
    sids = [t["sid"] for t in voice_sids(fake, 5)]
    fake.fault("delay", provider="vapi", method="POST", delayMs=150, times=None)
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([binary_path(), "numbers", "import", *sids], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=slave, env=creds.environment())
        os.close(slave)
        slave = -1
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        out = proc.stdout.read().decode()
        assert proc.wait(timeout=30) == 0
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
    err = b"".join(chunks).decode(errors="replace")
    assert "Importing 5 numbers" in err
    for i in range(1, 6):
        assert f"{i} of 5" in err, err
    assert "5 imported, 0 failed" in err
    assert ESC not in out and len(table(out)) == 6


def test_no_subcommand_names_itself(creds):
    result = creds("numbers", "lsit")
    assert result.returncode == 64
    assert b"lsit" in result.stderr
