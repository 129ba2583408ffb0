"""The `switchboard credentials set|status|clear` command line against the same store the server uses.

Every test here needs the CLI (`credentials` subcommand) in the binary. Values are read from stdin
(`field=value` lines) when stdin is not a TTY, never from argv.
"""
from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path

import pytest

from switchboard_process import binary_path

VAPI = "sk-cli-test-key-9f3a"
SID = "AC" + "0123456789abcdef" * 2
TOKEN = "fedcba9876543210" * 2


def cli(home: Path, *args: str, stdin: bytes = b"", env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SWITCHBOARD_")}
    full_env["SWITCHBOARD_HOME"] = str(home)
    full_env.update(env or {})
    return subprocess.run([binary_path(), "credentials", *args], input=stdin, capture_output=True, env=full_env,
                          timeout=30)


def ok_json(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, (result.returncode, result.stderr.decode(errors="replace"))
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 1, f"--json prints one JSON line on stdout, got {result.stdout!r}"
    return json.loads(lines[0])


def lines(**fields) -> bytes:
    return "".join(f"{k}={v}\n" for k, v in fields.items()).encode()


def test_set_status_clear_json_round_trip(spawn, home):
    status = ok_json(cli(home, "status", "--json"))
    assert status["profile"] == "default"
    assert not any(f["set"] for f in status["fields"].values())

    status = ok_json(cli(home, "set", "--json", stdin=lines(vapiPrivateKey=VAPI, twilioAccountSid=SID,
                                                             twilioAuthToken=TOKEN, transferPhoneNumber="+14155550100")))
    assert status["vapi"] == {"configured": True} and status["twilio"] == {"configured": True}
    assert status["fields"]["vapiPrivateKey"]["hint"] == "…9f3a"
    assert status["fields"]["twilioAccountSid"]["hint"] == "AC…cdef"
    assert status["fields"]["transferPhoneNumber"]["hint"] == "+14155550100"

    # The server sees exactly what the CLI stored, and --json is the getCredentialStatus object.
    sb = spawn()
    assert sb.call("getCredentialStatus") == status
    assert ok_json(cli(home, "status", "--json")) == status

    # The server writes, the CLI reads (while the server still runs).
    from_server = sb.call("setCredentials", {"transferPhoneNumber": "+15005550006"})
    assert ok_json(cli(home, "status", "--json")) == from_server

    cleared = ok_json(cli(home, "clear", "--json"))
    assert not any(f["set"] for f in cleared["fields"].values())
    assert sb.call("getCredentialStatus") == cleared


def test_text_output_shows_hints_only(home):
    result = cli(home, "set", stdin=lines(vapiPrivateKey=VAPI, twilioAccountSid=SID, twilioAuthToken=TOKEN))
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert "…9f3a" in text and "AC…cdef" in text
    for secret in (VAPI, SID, TOKEN, SID[2:]):
        assert secret not in text
    status = cli(home, "status")
    assert status.returncode == 0 and status.stdout.decode() == text
    cleared = cli(home, "clear")
    assert cleared.returncode == 0
    assert "…9f3a" not in cleared.stdout.decode()


def test_profiles_and_partial_updates(home):
    ok_json(cli(home, "set", "--json", stdin=lines(vapiPrivateKey=VAPI, twilioAccountSid=SID, twilioAuthToken=TOKEN)))
    a = ok_json(cli(home, "set", "--profile", "client-a", "--json", stdin=lines(transferPhoneNumber="+442071838750")))
    assert a["profile"] == "client-a"
    assert a["fields"]["vapiPrivateKey"] == {"set": False}
    # Fields not given are kept.
    d = ok_json(cli(home, "set", "--json", stdin=lines(transferPhoneNumber="+14155550100")))
    assert d["fields"]["vapiPrivateKey"]["hint"] == "…9f3a"
    assert d["twilio"] == {"configured": True}
    # Empty input changes nothing.
    assert ok_json(cli(home, "set", "--json")) == d
    # --clear (repeatable) clears; values and clears in one call.
    c = ok_json(cli(home, "set", "--clear", "twilioAuthToken", "--clear", "vapiPrivateKey", "--json",
                    stdin=lines(transferPhoneNumber="+15005550006")))
    assert c["fields"]["twilioAuthToken"] == {"set": False}
    assert c["fields"]["vapiPrivateKey"] == {"set": False}
    assert c["fields"]["twilioAccountSid"]["hint"] == "AC…cdef"
    assert c["fields"]["transferPhoneNumber"]["hint"] == "+15005550006"
    # clear --profile only touches that profile.
    ok_json(cli(home, "clear", "--profile", "client-a", "--json"))
    assert ok_json(cli(home, "status", "--json")) == c


def test_input_format(home):
    # Comments, blank lines, a value holding '=', no newline at the end.
    key = base64.b64encode(b"sk-live-bytes").decode()  # ends with "=="
    assert key.endswith("==")
    text = f"# my keys\n\n   \nvapiPrivateKey={key}\ntransferPhoneNumber=+14155550100".encode()
    status = ok_json(cli(home, "set", "--json", stdin=text))
    assert status["fields"]["vapiPrivateKey"]["hint"] == "…" + key[-4:]
    assert status["fields"]["transferPhoneNumber"]["hint"] == "+14155550100"


def test_accepts_crlf_lines(home):
    """`field=value` lines ending in CRLF (a file saved on Windows, `printf '…\\r\\n'`) are accepted as
    LF lines are (the CLI strips a trailing CR), and the stored value has no CR."""
    text = f"vapiPrivateKey={VAPI}\r\ntwilioAccountSid={SID}\r\ntransferPhoneNumber=+14155550100\r\n".encode()
    result = cli(home, "set", "--json", stdin=text)
    status = ok_json(result)
    assert status["fields"]["vapiPrivateKey"]["hint"] == "…9f3a"
    assert status["fields"]["twilioAccountSid"]["hint"] == "AC…cdef"
    assert status["fields"]["transferPhoneNumber"]["hint"] == "+14155550100"


@pytest.mark.parametrize("text,field", [
    (f"twilioAuthToken={VAPI}\n", "twilioAuthToken"),
    (f"twilioAccountSid={TOKEN}\n", "twilioAccountSid"),
    ("vapiPrivateKey=has a-space-9999\n", "vapiPrivateKey"),
    ("vapiPrivateKey=\n", "vapiPrivateKey"),
    ("transferPhoneNumber=0044-20-7183-8750\n", "transferPhoneNumber"),
    (f"vapiPrivateKey={VAPI}\ntwilioAuthToken=nothex-nothex-nothex-nothex-12\n", "twilioAuthToken"),
])
def test_invalid_values_exit_non_zero_naming_the_field(home, text, field):
    before = ok_json(cli(home, "set", "--json", stdin=lines(transferPhoneNumber="+14155550100")))
    result = cli(home, "set", "--json", stdin=text.encode())
    assert result.returncode != 0
    assert result.stdout == b""
    stderr = result.stderr.decode(errors="replace")
    assert field in stderr, stderr
    value = text.split("\n")[-2].split("=", 1)[1]
    if value:
        assert value not in stderr, stderr
    # Nothing of the refused input was stored.
    assert ok_json(cli(home, "status", "--json")) == before


@pytest.mark.parametrize("args,text", [
    ([], b"sk-no-field-name-given\n"),
    ([], b"vapiKey=sk-unknown-field-name\n"),
    (["--clear", "vapiKey"], b""),
    (["--profile", "a b"], lines(vapiPrivateKey=VAPI)),
    (["--profile", ""], lines(vapiPrivateKey=VAPI)),
])
def test_bad_input_lines_and_options(home, args, text):
    result = cli(home, "set", *args, stdin=text)
    assert result.returncode != 0, result.stdout
    assert result.stderr, "a refusal explains itself on stderr"
    assert b"sk-no-field-name-given" not in result.stderr and b"sk-unknown-field-name" not in result.stderr
    assert VAPI.encode() not in result.stderr + result.stdout


def test_bad_profile_for_status_and_clear(home):
    for command in ("status", "clear"):
        result = cli(home, command, "--profile", "no/slashes")
        assert result.returncode != 0
        assert b"profile" in result.stderr.lower()


def test_locked_vault_exits_non_zero(home):
    key = base64.b64encode(os.urandom(32)).decode()
    ok_json(cli(home, "set", "--json", stdin=lines(vapiPrivateKey=VAPI), env={"SWITCHBOARD_MASTER_KEY": key}))
    assert ok_json(cli(home, "status", "--json", env={"SWITCHBOARD_MASTER_KEY": key}))["vapi"]["configured"] is True
    wrong = base64.b64encode(os.urandom(32)).decode()
    for args, stdin in ((["status"], b""), (["set"], lines(vapiPrivateKey="sk-overwrite-attempt")), (["clear"], b"")):
        result = cli(home, *args, stdin=stdin, env={"SWITCHBOARD_MASTER_KEY": wrong})
        assert result.returncode != 0
        assert b"locked" in result.stderr.lower(), result.stderr
        assert key.encode() not in result.stderr and wrong.encode() not in result.stderr
    # Nothing changed.
    assert ok_json(cli(home, "status", "--json", env={"SWITCHBOARD_MASTER_KEY": key}))["fields"]["vapiPrivateKey"]["hint"] == "…9f3a"


def test_stdout_holds_only_the_status_at_trace_level(home):
    result = cli(home, "set", "--json", stdin=lines(vapiPrivateKey=VAPI), env={"SWITCHBOARD_LOG_LEVEL": "trace"})
    ok_json(result)
