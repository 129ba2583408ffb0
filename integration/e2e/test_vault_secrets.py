"""No credential ever leaves the vault: every byte of stdout, stderr (at trace level) and every file
under the home folder is scanned for every secret in every likely encoding (see secrets_scan.py).

The Account SID counts as a secret: only its masked hint (`AC…` + last 4) may appear.
The CLI tests (`switchboard credentials …`) need the `credentials` subcommand in the binary.
"""
from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import uuid
from pathlib import Path


import secrets_scan
from secrets_scan import assert_no_secrets, read_files
from switchboard_process import binary_path

TRACE = ["--log-level", "trace"]


def make_secrets() -> dict[str, str]:
    """Distinctive values: a leak cannot be a coincidence."""
    tag = uuid.uuid4().hex
    sid_body = os.urandom(16).hex()
    return {
        "vapi key": f"sk-live-ZZTOPSECRET-{tag}",
        "account sid": "AC" + sid_body,
        "account sid body": sid_body,
        "auth token": os.urandom(16).hex(),
        # Values that are refused (wrong format) are secrets too: errors must not echo them.
        "rejected vapi key": f"sk-live-ZZREJECTED-{uuid.uuid4().hex} with-a-space",
        "rejected token": "ZZ" + os.urandom(16).hex(),
        "misspelt member value": f"sk-live-ZZMISSPELT-{uuid.uuid4().hex}",
    }


def hints(s) -> dict[str, str]:
    return {"vapi": "…" + s["vapi key"][-4:], "sid": "AC…" + s["account sid"][-4:]}


def snapshot(home: Path, label: str, into: dict):
    for path, data in read_files([home]).items():
        into[f"{label}:{path}"] = data


def process_blobs(label: str, sb) -> dict[str, bytes]:
    return {f"{label} stdout": bytes(sb.stdout_bytes), f"{label} stderr": bytes(sb.stderr_bytes)}


def cli_env(home: Path, extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SWITCHBOARD_")}
    env["SWITCHBOARD_HOME"] = str(home)
    env["SWITCHBOARD_LOG_LEVEL"] = "trace"
    env.update(extra or {})
    return env


def cli(home: Path, *args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([binary_path(), "credentials", *args], input=stdin if stdin is not None else b"",
                          capture_output=True, env=cli_env(home, env), timeout=30)


def test_scanner_self_check():
    secrets_scan.self_check()


def test_rpc_methods_never_reveal_secrets(spawn, home):
    s = make_secrets()
    vapi, sid, token = s["vapi key"], s["account sid"], s["auth token"]
    blobs: dict[str, bytes] = {}

    sb = spawn(args=TRACE, env={"SWITCHBOARD_LOG_LEVEL": "trace"})
    status = sb.call("setCredentials", {"vapiPrivateKey": vapi, "twilioAccountSid": sid, "twilioAuthToken": token,
                                        "transferPhoneNumber": "+14155550100"})
    assert status["fields"]["vapiPrivateKey"]["hint"] == hints(s)["vapi"]
    assert status["fields"]["twilioAccountSid"]["hint"] == hints(s)["sid"]
    sb.call("setCredentials", {"profile": "client-a", "vapiPrivateKey": vapi, "twilioAccountSid": sid,
                               "twilioAuthToken": token})
    sb.call("getCredentialStatus")
    sb.call("getCredentialStatus", {"profile": "client-a"})
    sb.call("listProfiles")
    sb.call("listOperations", {"profile": "client-a"})
    sb.call("setCredentials", {"transferPhoneNumber": "+14155550101"})  # absent keeps the secrets

    # Errors about the credential fields, each carrying a secret that must not be echoed.
    rejected = [
        {"twilioAuthToken": vapi},
        {"twilioAuthToken": s["rejected token"]},
        {"twilioAccountSid": token},
        {"twilioAccountSid": "ac" + sid[2:]},
        {"twilioAccountSid": sid + "0"},
        {"vapiPrivateKey": s["rejected vapi key"]},
        {"vapiPrivateKey": vapi + "\n"},
        {"transferPhoneNumber": sid},
        {"transferPhoneNumber": token},
        {"vapiPrivatekey": s["misspelt member value"]},
        {"vapiPrivateKey": [vapi]},
        {"vapiPrivateKey": {"value": vapi}},
        {"twilio": {"accountSid": sid, "authToken": token}},
        {"profile": vapi + " ", "vapiPrivateKey": vapi},
        {"profile": token * 3, "twilioAuthToken": token},
    ]
    for params in rejected:
        reply = sb.request("setCredentials", params)
        assert reply.get("error", {}).get("code") == -32602, (list(params), reply)
    assert sb.request("setCredentials", [vapi, sid, token])["error"]["code"] == -32602
    assert sb.request("getCredentialStatus", {"profile": sid + "/x"})["error"]["code"] == -32602
    assert sb.request("deleteProfile", {"profile": token + " "})["error"]["code"] == -32602
    assert sb.request("setCredential", {"vapiPrivateKey": vapi})["error"]["code"] == -32601

    # Frames that never become requests: not JSON, duplicate keys, invalid UTF-8, bad envelope, batch.
    raw_lines = [
        b'{"jsonrpc":"2.0","id":901,"method":"setCredentials","params":{"vapiPrivateKey":"%s"' % vapi.encode(),
        b'{"jsonrpc":"2.0","id":902,"method":"setCredentials","params":{"twilioAuthToken":"%s","twilioAuthToken":"%s"}}'
        % (token.encode(), token.encode()),
        b'{"jsonrpc":"2.0","id":903,"method":"setCredentials","params":{"vapiPrivateKey":"%s\xff"}}' % vapi.encode(),
        b'{"jsonrpc":"1.0","id":904,"method":"setCredentials","params":{"twilioAccountSid":"%s"}}' % sid.encode(),
        b'{"jsonrpc":"2.0","id":905,"method":"setCredentials","params":{"vapiPrivateKey":"\\ud800%s"}}' % vapi.encode(),
        json.dumps([{"jsonrpc": "2.0", "id": "b1", "method": "setCredentials",
                     "params": {"profile": "batch", "twilioAuthToken": token, "twilioAccountSid": sid}},
                    {"jsonrpc": "2.0", "id": "b2", "method": "setCredentials", "params": {"twilioAuthToken": vapi}},
                    {"jsonrpc": "2.0", "method": "setCredentials", "params": {"profile": "batch-n", "vapiPrivateKey": vapi}},
                    ]).encode(),
    ]
    for line in raw_lines:
        sb.write_raw(line + b"\n")
    batch = sb.wait_for(lambda m: isinstance(m, list))
    assert sorted(item["id"] for item in batch) == ["b1", "b2"]
    assert sb.call("ping") == {}

    snapshot(home, "running", blobs)  # -wal and -shm exist only while the process runs
    sb.call("clearCredentials", {"profile": "batch"})
    sb.call("deleteProfile", {"profile": "client-a"})
    sb.call("clearCredentials")
    snapshot(home, "after clear", blobs)
    sb.stop()
    assert sb.proc.returncode == 0
    blobs.update(process_blobs("rpc", sb))
    assert len(sb.stderr_bytes) > 0, "trace logging should write something to stderr (else the scan proves little)"
    snapshot(home, "stopped", blobs)

    # A process killed with SIGKILL leaves its -wal behind: scan that too.
    killed = spawn(args=TRACE)
    killed.call("setCredentials", {"profile": "again", "vapiPrivateKey": vapi, "twilioAccountSid": sid,
                                   "twilioAuthToken": token})
    killed.call("getCredentialStatus", {"profile": "again"})
    killed.signal(signal.SIGKILL)
    killed.wait()
    blobs.update(process_blobs("killed", killed))
    snapshot(home, "killed", blobs)
    assert any(name.endswith("-wal") for name in blobs), "expected a -wal file to scan"

    assert_no_secrets(s, blobs)


def test_content_length_framing_never_reveals_secrets(spawn, home):
    s = make_secrets()
    sb = spawn(framing="contentLength", args=TRACE)
    sb.call("setCredentials", {"vapiPrivateKey": s["vapi key"], "twilioAccountSid": s["account sid"],
                               "twilioAuthToken": s["auth token"]})
    assert sb.request("setCredentials", {"twilioAuthToken": s["vapi key"]})["error"]["code"] == -32602
    sb.call("getCredentialStatus")
    blobs = {}
    snapshot(home, "running", blobs)
    sb.stop()
    blobs.update(process_blobs("lsp", sb))
    assert_no_secrets(s, blobs, paths=[home])


def test_master_key_from_environment_is_never_revealed(spawn, home):
    s = make_secrets()
    key_bytes = os.urandom(32)
    key = base64.b64encode(key_bytes).decode()
    sb = spawn(args=TRACE, env={"SWITCHBOARD_MASTER_KEY": key})
    sb.call("setCredentials", {"vapiPrivateKey": s["vapi key"], "twilioAccountSid": s["account sid"],
                               "twilioAuthToken": s["auth token"]})
    blobs = {}
    snapshot(home, "running", blobs)
    sb.stop()
    blobs.update(process_blobs("env key", sb))
    # And a wrong key: the locked error names neither key.
    wrong_bytes = os.urandom(32)
    wrong = spawn(args=TRACE, env={"SWITCHBOARD_MASTER_KEY": base64.b64encode(wrong_bytes).decode()})
    assert wrong.request("getCredentialStatus")["error"]["data"]["reason"] == "wrongKey"
    wrong.stop()
    blobs.update(process_blobs("wrong key", wrong))
    secrets = dict(s, **{"master key": key, "master key bytes": key_bytes, "wrong key bytes": wrong_bytes,
                         "wrong key": base64.b64encode(wrong_bytes).decode()})
    assert_no_secrets(secrets, blobs, paths=[home])


# -- CLI ---------------------------------------------------------------------------------------


def test_cli_never_reveals_secrets(spawn, home):
    """Needs the CLI (`switchboard credentials set|status|clear`)."""
    s = make_secrets()
    vapi, sid, token = s["vapi key"], s["account sid"], s["auth token"]
    h = hints(s)
    outputs: dict[str, bytes] = {}

    def run(label, *args, stdin=None, ok=True):
        result = cli(home, *args, stdin=stdin)
        outputs[f"{label} stdout"] = result.stdout
        outputs[f"{label} stderr"] = result.stderr
        if ok:
            assert result.returncode == 0, (label, result.returncode, result.stderr.decode(errors="replace"))
        else:
            assert result.returncode != 0, (label, result.stdout.decode(errors="replace"))
        return result

    lines = (f"# comment\n\nvapiPrivateKey={vapi}\ntwilioAccountSid={sid}\ntwilioAuthToken={token}\n"
             f"transferPhoneNumber=+14155550100\n").encode()
    text = run("set", "set", stdin=lines).stdout.decode()
    assert h["vapi"] in text and h["sid"] in text and "+14155550100" in text

    as_json = json.loads(run("set json", "set", "--profile", "client-a", "--json", stdin=lines).stdout)
    assert as_json["profile"] == "client-a"
    assert as_json["fields"]["vapiPrivateKey"]["hint"] == h["vapi"]
    assert as_json["fields"]["twilioAccountSid"]["hint"] == h["sid"]
    assert "hint" not in as_json["fields"]["twilioAuthToken"]
    assert as_json["vapi"] == {"configured": True} and as_json["twilio"] == {"configured": True}

    # --json prints exactly what getCredentialStatus returns.
    status_json = json.loads(run("status json", "status", "--profile", "client-a", "--json").stdout)
    sb = spawn(args=TRACE)
    assert sb.call("getCredentialStatus", {"profile": "client-a"}) == status_json == as_json
    sb.stop()
    outputs.update(process_blobs("server", sb))

    text = run("status", "status").stdout.decode()
    assert h["vapi"] in text and h["sid"] in text

    # Refused input: non-zero exit, the field is named on stderr, the value is not.
    for label, bad, field in [
        ("bad token", f"twilioAuthToken={vapi}\n", "twilioAuthToken"),
        ("bad token 2", f"twilioAuthToken={s['rejected token']}\n", "twilioAuthToken"),
        ("bad sid", f"twilioAccountSid={token}\n", "twilioAccountSid"),
        ("bad vapi", f"vapiPrivateKey={s['rejected vapi key']}\n", "vapiPrivateKey"),
        ("bad phone", f"transferPhoneNumber={sid}\n", "transferPhoneNumber"),
        ("mixed", f"vapiPrivateKey={vapi}\ntwilioAuthToken={s['rejected token']}\n", "twilioAuthToken"),
    ]:
        result = run(label, "set", "--profile", "refused", stdin=bad.encode(), ok=False)
        assert field.encode() in result.stderr, (label, result.stderr)
    for label, bad in [("no equals", f"{vapi}\n"), ("unknown field", f"vapiKey={s['misspelt member value']}\n"),
                       ("spaces", f"vapi private key = {vapi}\n")]:
        run(label, "set", "--profile", "refused", stdin=bad.encode(), ok=False)
    # Nothing of a refused input was stored.
    listed = json.loads(run("status refused", "status", "--profile", "refused", "--json").stdout)
    assert not any(f["set"] for f in listed["fields"].values())

    cleared = json.loads(run("clear one", "set", "--clear", "twilioAuthToken", "--json", stdin=b"").stdout)
    assert cleared["fields"]["twilioAuthToken"] == {"set": False}
    assert cleared["fields"]["vapiPrivateKey"]["hint"] == h["vapi"]
    run("clear", "clear")
    cleared = json.loads(run("clear json", "clear", "--profile", "client-a", "--json").stdout)
    assert not any(f["set"] for f in cleared["fields"].values())

    assert_no_secrets(s, outputs, paths=[home])

