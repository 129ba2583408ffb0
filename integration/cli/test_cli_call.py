"""`switchboard call METHOD [PARAMS | -]`: the result on stdout, each error class as the JSON-RPC error
object on stderr with its own exit status (the table in `switchboard --help` and README)."""
import json
import os
import uuid

from cli_support import error_json

# Exit statuses, as documented (README "From the command line", `switchboard --help`).
USAGE, INVALID, NOT_FOUND, UNAVAILABLE = 64, 65, 66, 69
RATE_LIMITED, UPSTREAM_ERROR, UNAUTHORIZED, MISSING = 75, 76, 77, 78
CONFLICT, OUTCOME_UNKNOWN, LOCKED, CORRUPT = 79, 80, 81, 82
UNSAFE = 83


def failing(cli, *args, status, code, kind=None, **kwargs):
    result = cli(*args, **kwargs)
    assert result.returncode == status, (args, result.returncode, result.stderr.decode(errors="replace"))
    assert result.stdout == b"", "nothing on stdout when the call fails"
    error = error_json(result)
    assert error["code"] == code, error
    if kind:
        assert error["data"]["kind"] == kind, error
    return error


def test_result_on_stdout_is_the_rpc_result(creds, fake, spawn, upstream_env, home):
    fake.seed(vapi=3)
    assert creds.call("ping") == {}
    listed = creds.call("listNumbers")
    assert listed["count"] == 3 and len(listed["numbers"]) == 3
    sb = spawn(env=upstream_env)
    assert sb.call("listNumbers") == listed, "the same service code answers the CLI and the server"
    number = listed["numbers"][0]
    assert creds.call("getNumber", {"id": number["id"]}) == number


def test_params_from_stdin_and_empty_params(creds, fake):
    fake.seed(vapi=1)
    number = creds.call("listNumbers")["numbers"][0]
    got = json.loads(creds.ok("call", "getNumber", "-", stdin=json.dumps({"id": number["id"]})))
    assert got == number
    assert json.loads(creds.ok("call", "ping", "-", stdin="")) == {}
    assert json.loads(creds.ok("call", "ping")) == {}


def test_usage_and_params_errors(creds, fake):
    fake.clear_requests()
    failing(creds, "call", "noSuchMethod", status=USAGE, code=-32601)
    error = failing(creds, "call", "createNumber", '{"areaCode":"41"}', status=INVALID, code=-32602)
    assert error["data"]["field"] == "/areaCode"
    failing(creds, "call", "ping", "{not json", status=INVALID, code=-32700)
    failing(creds, "call", "getNumber", "-", stdin='{"id":"nope"}', status=INVALID, code=-32602)
    assert fake.requests() == [], "nothing reaches upstream on a usage or params error"


def test_credentials_missing(cli, fake):
    error = failing(cli, "call", "listNumbers", status=MISSING, code=1001, kind="credentials.missing")
    assert error["data"]["provider"] == "vapi"
    failing(cli, "call", "listTwilio", status=MISSING, code=1001, kind="credentials.missing")


def test_unauthorized(cli, fake):
    cli.ok("credentials", "set", stdin=f"vapiPrivateKey=wrong-key-123\n")
    failing(cli, "call", "listNumbers", status=UNAUTHORIZED, code=1002, kind="upstream.unauthorized")


def test_upstream_error_not_found_and_conflict(creds, fake):
    failing(creds, "call", "createNumber", '{"areaCode":"999"}', status=UPSTREAM_ERROR, code=1003, kind="upstream.error")
    failing(creds, "call", "getNumber", json.dumps({"id": str(uuid.uuid4())}), status=NOT_FOUND, code=1007,
            kind="notFound")
    fake.seed(twilio=2)
    sid = fake.twilio_numbers()[0]["sid"]
    creds.call("importNumber", {"sid": sid})
    error = failing(creds, "call", "importNumber", json.dumps({"sid": sid}), status=CONFLICT, code=1008,
                    kind="conflict")
    assert error["data"]["vapiId"]


def test_unavailable_and_rate_limited(creds, fake):
    fake.fault("status", status=503, provider="vapi", times=None)
    failing(creds, "call", "listNumbers", status=UNAVAILABLE, code=1004, kind="upstream.unavailable")
    fake.clear_faults()
    fake.fault("status", status=429, provider="vapi", times=None, retry_after="1")
    failing(creds, "call", "listNumbers", status=RATE_LIMITED, code=1005, kind="upstream.rateLimited")


def test_outcome_unknown(creds, fake):
    fake.fault("lose_reply", provider="vapi", method="POST")
    failing(creds, "call", "createNumber", '{"areaCode":"415","idempotencyKey":"k-lost"}', status=OUTCOME_UNKNOWN,
            code=1006, kind="upstream.outcomeUnknown")


def test_store_locked_and_corrupt(creds, fake, home):
    import sqlite3
    db = sqlite3.connect(home / "switchboard.sqlite")
    box = db.execute("SELECT box FROM credentials WHERE field = 'vapiPrivateKey'").fetchone()[0]
    db.execute("UPDATE credentials SET box = ? WHERE field = 'vapiPrivateKey'", (bytes([box[0] ^ 1]) + box[1:],))
    db.commit()
    db.close()
    failing(creds, "call", "listNumbers", status=CORRUPT, code=1010, kind="vault.corrupt")

    os.remove(home / "master.key")
    error = failing(creds, "call", "listNumbers", status=LOCKED, code=1009, kind="vault.locked")
    assert error["data"]["reason"] == "keyFileMissing"
    text = creds("numbers", "list")
    assert text.returncode == LOCKED
    assert "credentials reset" in text.stderr.decode(), "the readable error points at the recovery"


def test_no_secret_in_any_output(creds, fake):
    fake.seed(vapi=2, twilio=2, imported_fraction=1.0)
    outputs = []
    for args in (["call", "listNumbers"], ["call", "listTwilio"], ["numbers", "list"], ["credentials", "status"]):
        result = creds(*args)
        outputs.append(result.stdout + result.stderr)
    blob = b"".join(outputs).decode()
    for secret in (fake.vapi_key, fake.auth_token):
        assert secret not in blob


def test_secrets_are_refused_on_the_command_line_but_taken_on_stdin(cli, fake):
    params = {"vapiPrivateKey": fake.vapi_key}
    refused = cli("call", "setCredentials", json.dumps(params))
    assert refused.returncode == USAGE
    assert "stdin" in error_json(refused)["data"]["reason"] and fake.vapi_key not in refused.stderr.decode()
    assert not cli.call("getCredentialStatus")["fields"]["vapiPrivateKey"]["set"], "nothing stored"
    stored = json.loads(cli.ok("call", "setCredentials", "-", stdin=json.dumps(params)))
    assert stored["fields"]["vapiPrivateKey"]["set"]
    # Non-secret fields may be given on the command line.
    assert cli.call("setCredentials", {"transferPhoneNumber": "+14155550100"})["fields"]["transferPhoneNumber"]["set"]


def test_store_unavailable(cli, tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    result = cli("call", "getCredentialStatus", env={"SWITCHBOARD_HOME": str(not_a_folder)})
    error = error_json(result)
    assert (error["data"]["kind"], result.returncode) == ("vault.unavailable", 74)
    assert str(tmp_path) not in result.stderr.decode(), "no path in the error"


def test_store_unsafe(cli, tmp_path):
    """A home folder others can write: refused with its own status, the path and the fix named."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    error = failing(cli, "call", "getCredentialStatus", env={"SWITCHBOARD_HOME": str(shared)}, status=UNSAFE,
                    code=1012, kind="vault.unsafe")
    assert error["data"]["reason"] == "writableByOthers" and error["data"]["path"] == str(shared)
    text = cli("credentials", "status", env={"SWITCHBOARD_HOME": str(shared)})
    assert text.returncode == UNSAFE and "chmod go-w" in text.stderr.decode()
    assert not (shared / "switchboard.sqlite").exists(), "nothing is created in an unsafe folder"
