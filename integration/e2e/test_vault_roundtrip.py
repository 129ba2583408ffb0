"""Vault round trips over JSON-RPC: set / status / clear / profiles / delete, restarts, validation,
file modes and the master key (`SWITCHBOARD_MASTER_KEY`, `master.key`)."""
from __future__ import annotations

import base64
import json
import os
import re
import stat

import pytest


FIELDS = ["vapiPrivateKey", "twilioAccountSid", "twilioAuthToken", "transferPhoneNumber"]
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")

VAPI = "sk-test-0000-1111-2222-9f3a"
SID = "AC0123456789abcdef0123456789ab42ab"
TOKEN = "0123456789abcdef0123456789abcdef"
PHONE = "+14155550100"


def fresh_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def error_of(sb, method, params=None) -> dict:
    reply = sb.request(method, params)
    assert "error" in reply, f"{method} {params!r} should fail, got {reply!r}"
    return reply["error"]


def assert_invalid(sb, params, field, method="setCredentials", secret=None):
    """-32602 naming `field`, with a reason, never echoing the offending value."""
    before = len(sb.stdout_bytes)
    err = error_of(sb, method, params)
    assert err["code"] == -32602, err
    assert err["data"]["field"] == field, (params, err)
    assert isinstance(err["data"].get("reason"), str) and err["data"]["reason"], err
    if secret is not None:
        assert secret.encode() not in bytes(sb.stdout_bytes[before:]), f"error echoed the value: {err!r}"
    return err


def assert_empty_status(status, profile="default"):
    assert status["profile"] == profile
    assert status["vapi"] == {"configured": False}
    assert status["twilio"] == {"configured": False}
    assert set(status["fields"]) == set(FIELDS)
    for name in FIELDS:
        assert status["fields"][name] == {"set": False}, (name, status)


def assert_domain_error(err, code, kind, reason=None):
    assert err["code"] == code, err
    assert err["data"]["kind"] == kind, err
    if reason is not None:
        assert err["data"]["reason"] == reason, err


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# -- round trips -------------------------------------------------------------------------------


def test_fresh_store_is_empty(sb):
    assert_empty_status(sb.call("getCredentialStatus"))
    assert_empty_status(sb.call("getCredentialStatus", {"profile": "client-a"}), "client-a")
    assert sb.call("listProfiles") == {"profiles": []}
    assert sb.call("listOperations") == {"operations": []}
    assert sb.call("listOperations", {"profile": "client-a", "limit": 5}) == {"operations": []}


def test_set_status_hints_and_configured_flags(sb):
    status = sb.call("setCredentials", {"vapiPrivateKey": VAPI, "twilioAccountSid": SID,
                                        "twilioAuthToken": TOKEN, "transferPhoneNumber": PHONE})
    assert status["profile"] == "default"
    assert status["vapi"] == {"configured": True}
    assert status["twilio"] == {"configured": True}
    fields = status["fields"]
    assert fields["vapiPrivateKey"]["set"] is True and fields["vapiPrivateKey"]["hint"] == "…9f3a"
    assert fields["twilioAccountSid"]["set"] is True and fields["twilioAccountSid"]["hint"] == "AC…42ab"
    assert fields["twilioAuthToken"]["set"] is True and "hint" not in fields["twilioAuthToken"]
    assert fields["transferPhoneNumber"] == {"set": True, "hint": PHONE,
                                             "updatedAt": fields["transferPhoneNumber"]["updatedAt"]}
    for name in FIELDS:
        assert ISO.match(fields[name]["updatedAt"]), fields[name]
        assert "corrupt" not in fields[name]
    # getCredentialStatus says the same thing.
    assert sb.call("getCredentialStatus") == status
    assert sb.call("getCredentialStatus", {"profile": "default"}) == status
    # No secret in the reply text.
    text = json.dumps(status, ensure_ascii=False)
    for secret in (VAPI, SID, TOKEN):
        assert secret not in text


def test_short_vapi_key_hint_does_not_reveal_the_key(sb):
    for key in ("k", "abcde", "abcdefgh"):
        hint = sb.call("setCredentials", {"vapiPrivateKey": key})["fields"]["vapiPrivateKey"].get("hint", "")
        assert key not in hint, (key, hint)


def test_absent_keeps_and_null_clears(sb):
    full = sb.call("setCredentials", {"vapiPrivateKey": VAPI, "twilioAccountSid": SID,
                                      "twilioAuthToken": TOKEN, "transferPhoneNumber": PHONE})
    # Absent keeps: only the transfer number changes.
    changed = sb.call("setCredentials", {"transferPhoneNumber": "+442071838750"})
    assert changed["fields"]["transferPhoneNumber"]["hint"] == "+442071838750"
    for name in ("vapiPrivateKey", "twilioAccountSid", "twilioAuthToken"):
        assert changed["fields"][name] == full["fields"][name], name
    assert changed["vapi"] == {"configured": True} and changed["twilio"] == {"configured": True}
    # Empty params change nothing.
    assert sb.call("setCredentials", {}) == changed
    assert sb.call("setCredentials", {"profile": "default"}) == changed
    # null clears one field, keeps the others.
    cleared = sb.call("setCredentials", {"twilioAuthToken": None})
    assert cleared["fields"]["twilioAuthToken"] == {"set": False}
    assert cleared["twilio"] == {"configured": False}
    assert cleared["vapi"] == {"configured": True}
    for name in ("vapiPrivateKey", "twilioAccountSid", "transferPhoneNumber"):
        assert cleared["fields"][name] == changed["fields"][name], name
    # Clearing an unset field is fine; null and a value in one call.
    both = sb.call("setCredentials", {"twilioAuthToken": None, "vapiPrivateKey": None,
                                      "twilioAccountSid": "AC" + "F" * 32})
    assert both["fields"]["vapiPrivateKey"] == {"set": False}
    assert both["fields"]["twilioAccountSid"]["hint"] == "AC…FFFF"
    assert both["vapi"] == {"configured": False}
    assert sb.call("getCredentialStatus") == both


def test_profiles_are_isolated(sb):
    default = sb.call("setCredentials", {"vapiPrivateKey": VAPI, "transferPhoneNumber": PHONE})
    a = sb.call("setCredentials", {"profile": "client-a", "vapiPrivateKey": "other-key-aaaa-bbbb-7777",
                                   "twilioAccountSid": SID, "twilioAuthToken": TOKEN})
    assert a["profile"] == "client-a"
    assert a["fields"]["vapiPrivateKey"]["hint"] == "…7777"
    assert a["fields"]["transferPhoneNumber"] == {"set": False}
    assert sb.call("getCredentialStatus") == default
    # Clearing / changing client-a leaves default alone and vice versa.
    sb.call("setCredentials", {"profile": "client-a", "vapiPrivateKey": None})
    sb.call("clearCredentials", {"profile": "client-a"})
    assert sb.call("getCredentialStatus") == default
    sb.call("setCredentials", {"profile": "client-b", "transferPhoneNumber": "+15005550006"})
    sb.call("clearCredentials")
    assert_empty_status(sb.call("getCredentialStatus"))
    b = sb.call("getCredentialStatus", {"profile": "client-b"})
    assert b["fields"]["transferPhoneNumber"]["hint"] == "+15005550006"
    # Names are case-sensitive and may use . _ -
    sb.call("setCredentials", {"profile": "Client-B", "transferPhoneNumber": "+15005550007"})
    sb.call("setCredentials", {"profile": "a.b_c-D9", "transferPhoneNumber": "+15005550008"})
    sb.call("setCredentials", {"profile": "x" * 64, "transferPhoneNumber": "+15005550009"})
    assert sb.call("getCredentialStatus", {"profile": "client-b"})["fields"]["transferPhoneNumber"]["hint"] == "+15005550006"
    assert sb.call("getCredentialStatus", {"profile": "Client-B"})["fields"]["transferPhoneNumber"]["hint"] == "+15005550007"


def test_clear_list_and_delete_profiles(sb):
    sb.call("setCredentials", {"vapiPrivateKey": VAPI, "twilioAccountSid": SID})
    sb.call("setCredentials", {"profile": "client-a", "transferPhoneNumber": PHONE})
    listed = sb.call("listProfiles")["profiles"]
    assert [p["name"] for p in listed] == ["client-a", "default"]
    by_name = {p["name"]: p for p in listed}
    assert by_name["default"]["fieldsSet"] == ["vapiPrivateKey", "twilioAccountSid"]
    assert by_name["client-a"]["fieldsSet"] == ["transferPhoneNumber"]
    for p in listed:
        assert set(p) == {"name", "createdAt", "updatedAt", "fieldsSet"}
        assert ISO.match(p["createdAt"]) and ISO.match(p["updatedAt"])
        assert p["createdAt"] <= p["updatedAt"]

    cleared = sb.call("clearCredentials")
    assert_empty_status(cleared)
    assert_empty_status(sb.call("getCredentialStatus"))
    # The profile stays, with no fields.
    listed = {p["name"]: p for p in sb.call("listProfiles")["profiles"]}
    assert listed["default"]["fieldsSet"] == []
    assert listed["client-a"]["fieldsSet"] == ["transferPhoneNumber"]
    # Clearing again / clearing an unknown profile is fine.
    assert_empty_status(sb.call("clearCredentials"))
    assert_empty_status(sb.call("clearCredentials", {"profile": "nobody"}), "nobody")
    assert "nobody" not in {p["name"] for p in sb.call("listProfiles")["profiles"]}

    assert sb.call("deleteProfile", {"profile": "client-a"}) == {"profile": "client-a", "deleted": True}
    assert sb.call("deleteProfile", {"profile": "client-a"}) == {"profile": "client-a", "deleted": False}
    assert sb.call("deleteProfile", {"profile": "never-existed"}) == {"profile": "never-existed", "deleted": False}
    assert_empty_status(sb.call("getCredentialStatus", {"profile": "client-a"}), "client-a")
    assert [p["name"] for p in sb.call("listProfiles")["profiles"]] == ["default"]
    assert sb.call("deleteProfile", {"profile": "default"}) == {"profile": "default", "deleted": True}
    assert sb.call("listProfiles") == {"profiles": []}
    # A deleted profile can be created again.
    again = sb.call("setCredentials", {"profile": "client-a", "twilioAuthToken": TOKEN})
    assert again["fields"]["twilioAuthToken"]["set"] is True
    assert [p["name"] for p in sb.call("listProfiles")["profiles"]] == ["client-a"]


def test_updated_at_moves_only_for_written_fields(sb):
    first = sb.call("setCredentials", {"vapiPrivateKey": VAPI, "twilioAccountSid": SID})
    later = sb.call("setCredentials", {"twilioAccountSid": "AC" + "1" * 32})
    assert later["fields"]["vapiPrivateKey"]["updatedAt"] == first["fields"]["vapiPrivateKey"]["updatedAt"]
    assert later["fields"]["twilioAccountSid"]["updatedAt"] >= first["fields"]["twilioAccountSid"]["updatedAt"]
    profiles = {p["name"]: p for p in sb.call("listProfiles")["profiles"]}
    assert profiles["default"]["updatedAt"] >= later["fields"]["twilioAccountSid"]["updatedAt"]


def test_restart_keeps_everything(spawn, home):
    first = spawn()
    d = first.call("setCredentials", {"vapiPrivateKey": VAPI, "twilioAccountSid": SID,
                                      "twilioAuthToken": TOKEN, "transferPhoneNumber": PHONE})
    a = first.call("setCredentials", {"profile": "client-a", "transferPhoneNumber": "+15005550006"})
    first.call("setCredentials", {"profile": "gone", "vapiPrivateKey": "x-to-be-deleted"})
    first.call("deleteProfile", {"profile": "gone"})
    profiles = first.call("listProfiles")
    first.stop()
    assert first.proc.returncode == 0

    second = spawn()
    assert second.call("getCredentialStatus") == d
    assert second.call("getCredentialStatus", {"profile": "client-a"}) == a
    assert second.call("listProfiles") == profiles
    second.call("setCredentials", {"twilioAuthToken": None})
    second.stop()

    third = spawn()
    status = third.call("getCredentialStatus")
    assert status["fields"]["twilioAuthToken"] == {"set": False}
    assert status["fields"]["vapiPrivateKey"] == d["fields"]["vapiPrivateKey"]


# -- validation -------------------------------------------------------------------------------

BAD_VALUES = {
    "vapiPrivateKey": ["", "has space-in-it-123456", "tab\there", "new\nline", "trailing-space ", "\u00a0nbsp-key",
                       "x" * 513, "ctl\u0007char"],
    "twilioAccountSid": ["", "ac0123456789abcdef0123456789abcdef", "AC0123456789abcdef0123456789abcde",
                         "AC0123456789abcdef0123456789abcdef0", "AC0123456789abcdef0123456789abcdeg",
                         "PN0123456789abcdef0123456789abcdef", " AC0123456789abcdef0123456789abcdef",
                         "0123456789abcdef0123456789abcdef"],
    "twilioAuthToken": ["", "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0",
                        "0123456789abcdef0123456789abcdeZ", "0123456789abcdef 123456789abcdef",
                        "0x23456789abcdef0123456789abcdef"],
    # (not +14155550100: the reason quotes it as the example)
    "transferPhoneNumber": ["", "14155550177", "+04155550177", "+1", "+1234567890123456", "+1 415 555 0177",
                            "+1-415-555-0177", "+1415555017a", "++14155550177", "tel:+14155550177", "+"],
}

GOOD_VALUES = {
    "vapiPrivateKey": ["a", "x" * 512, "sk-example.abc-DEF/123+=~"],
    "twilioAccountSid": ["AC" + "ABCDEF0123456789" * 2, "AC" + "abcdef0123456789" * 2],
    "twilioAuthToken": ["ABCDEF0123456789" * 2, "abcdef0123456789" * 2],
    "transferPhoneNumber": ["+12", "+123456789012345", "+442071838750"],
}


@pytest.mark.parametrize("field", FIELDS)
def test_format_errors_name_the_field_and_change_nothing(sb, field):
    before = sb.call("setCredentials", {"vapiPrivateKey": VAPI, "twilioAccountSid": SID,
                                        "twilioAuthToken": TOKEN, "transferPhoneNumber": PHONE})
    for value in BAD_VALUES[field]:
        assert_invalid(sb, {field: value}, "/" + field, secret=value if len(value) >= 6 else None)
        # A bad field in a request with good ones: nothing of the request is applied.
        other = "vapiPrivateKey" if field != "vapiPrivateKey" else "transferPhoneNumber"
        good = "new-key-zzzz-1111" if other == "vapiPrivateKey" else "+15005550006"
        assert_invalid(sb, {other: good, field: value, "profile": "default"}, "/" + field)
        assert_invalid(sb, {field: value, "profile": "client-z"}, "/" + field)
    assert sb.call("getCredentialStatus") == before
    assert "client-z" not in {p["name"] for p in sb.call("listProfiles")["profiles"]}
    assert sb.call("ping") == {}
    for value in GOOD_VALUES[field]:
        status = sb.call("setCredentials", {field: value})
        assert status["fields"][field]["set"] is True


@pytest.mark.parametrize("field,value", [
    ("vapiPrivateKey", 12345), ("vapiPrivateKey", True), ("vapiPrivateKey", ["sk-abc"]),
    ("vapiPrivateKey", {"key": "sk-abc"}), ("twilioAccountSid", 1.5), ("twilioAuthToken", {}),
    ("transferPhoneNumber", 14155550100), ("transferPhoneNumber", ["+14155550100"]),
])
def test_wrong_json_types_are_invalid_params(sb, field, value):
    assert_invalid(sb, {field: value}, "/" + field)
    assert sb.call("ping") == {}
    assert_empty_status(sb.call("getCredentialStatus"))


BAD_PROFILES = ["", "a b", "x" * 65, "client/a", "ümlaut", "tab\t", "a:b", "../etc", "new\nline", "日本"]


@pytest.mark.parametrize("method", ["setCredentials", "getCredentialStatus", "clearCredentials", "deleteProfile",
                                    "listOperations"])
def test_bad_profile_names(sb, method):
    for name in BAD_PROFILES:
        params = {"profile": name}
        if method == "setCredentials":
            params["vapiPrivateKey"] = VAPI
        assert_invalid(sb, params, "/profile", method=method)
    for value in (5, True, ["default"], {"name": "default"}):
        assert_invalid(sb, {"profile": value}, "/profile", method=method)
    assert sb.call("ping") == {}
    assert sb.call("listProfiles") == {"profiles": []}


def test_other_param_errors(sb):
    # A misspelt member is refused, not silently ignored (and its value is not echoed).
    assert_invalid(sb, {"vapiKey": "sk-misspelt-member-value"}, "/vapiKey", secret="sk-misspelt-member-value")
    assert_invalid(sb, {"VapiPrivateKey": "sk-misspelt-member-value"}, "/VapiPrivateKey")
    assert_invalid(sb, {"vapiPrivateKey": VAPI, "twilio": {"sid": SID}}, "/twilio", secret=SID)
    assert_invalid(sb, {"extra": 1}, "/extra", method="getCredentialStatus")
    assert_invalid(sb, {"extra": 1}, "/extra", method="clearCredentials")
    assert_invalid(sb, {"extra": 1}, "/extra", method="listProfiles")
    assert_invalid(sb, {}, "/profile", method="deleteProfile")
    assert_invalid(sb, {"profile": None}, "/profile", method="deleteProfile")
    assert_invalid(sb, {"limit": 0}, "/limit", method="listOperations")
    assert_invalid(sb, {"limit": 10001}, "/limit", method="listOperations")
    assert_invalid(sb, {"limit": 1.5}, "/limit", method="listOperations")
    assert_invalid(sb, {"limit": "10"}, "/limit", method="listOperations")
    # Params by position are refused.
    err = error_of(sb, "setCredentials", [VAPI])
    assert err["code"] == -32602
    assert VAPI not in json.dumps(err)
    assert sb.call("ping") == {}
    assert_empty_status(sb.call("getCredentialStatus"))


# -- files -------------------------------------------------------------------------------------


def test_file_modes_after_a_write(spawn, home):
    """Folder 0700; database, -wal, -shm and master.key 0600, even with umask 000."""
    old = os.umask(0)
    try:
        sb = spawn()
    finally:
        os.umask(old)
    sb.call("setCredentials", {"vapiPrivateKey": VAPI, "transferPhoneNumber": PHONE})
    sb.call("getCredentialStatus")
    assert mode(home) == 0o700
    names = sorted(os.listdir(home))
    for name in ("switchboard.sqlite", "switchboard.sqlite-wal", "switchboard.sqlite-shm", "master.key"):
        assert name in names, names
    for name in names:
        assert stat.S_ISREG(os.stat(home / name).st_mode), name
        assert mode(home / name) == 0o600, (name, oct(mode(home / name)))
    key = (home / "master.key").read_bytes()
    assert len(base64.b64decode(key.strip(), validate=True)) == 32
    sb.stop()
    for name in os.listdir(home):
        assert mode(home / name) == 0o600, name


def test_loose_modes_are_tightened_or_refused_on_open(spawn, home):
    """A database others can read is tightened; a master key others can read is refused (it may
    have been read: the user must know), as OpenSSH refuses such a private key."""
    sb = spawn()
    sb.call("setCredentials", {"vapiPrivateKey": VAPI})
    sb.stop()
    os.chmod(home / "switchboard.sqlite", 0o644)
    os.chmod(home / "master.key", 0o644)
    sb = spawn()
    err = error_of(sb, "getCredentialStatus")
    assert err["code"] == 1012 and err["data"]["kind"] == "vault.unsafe", err
    assert err["data"]["reason"] == "keyReadableByOthers"
    assert err["data"]["path"] == str(home / "master.key") and "chmod 600" in err["message"]
    assert sb.call("ping") == {}, "the process stays up"
    sb.stop()
    assert mode(home / "master.key") == 0o644, "left as found"
    os.chmod(home / "master.key", 0o600)
    sb = spawn()
    assert sb.call("getCredentialStatus")["fields"]["vapiPrivateKey"]["hint"] == "…9f3a"
    assert mode(home / "switchboard.sqlite") == 0o600


def test_home_parents_are_created(spawn, tmp_path):
    deep = tmp_path / "a" / "b" / "home"
    sb = spawn(home=deep)
    sb.call("setCredentials", {"vapiPrivateKey": VAPI})
    assert mode(deep) == 0o700
    assert mode(deep / "switchboard.sqlite") == 0o600


# -- master key --------------------------------------------------------------------------------


def test_master_key_from_environment(spawn, home):
    key = fresh_key()
    first = spawn(env={"SWITCHBOARD_MASTER_KEY": key})
    written = first.call("setCredentials", {"vapiPrivateKey": VAPI, "twilioAccountSid": SID,
                                            "twilioAuthToken": TOKEN, "transferPhoneNumber": PHONE})
    assert not (home / "master.key").exists(), "master.key should not be generated when SWITCHBOARD_MASTER_KEY is set"
    first.stop()

    # Re-opened with the same key (surrounding whitespace ignored).
    again = spawn(env={"SWITCHBOARD_MASTER_KEY": "  " + key + "\n"})
    assert again.call("getCredentialStatus") == written
    again.stop()

    # A different valid key: locked (wrongKey) for credential methods only.
    wrong = spawn(env={"SWITCHBOARD_MASTER_KEY": fresh_key()})
    assert wrong.call("ping") == {}
    for method, params in (("getCredentialStatus", None), ("setCredentials", {"vapiPrivateKey": "sk-overwrite-1234"}),
                           ("clearCredentials", None), ("getCredentialStatus", {"profile": "client-a"})):
        err = error_of(wrong, method, params)
        assert_domain_error(err, 1009, "vault.locked", "wrongKey")
        assert str(home) not in err["message"]
    profiles = wrong.call("listProfiles")["profiles"]
    assert [(p["name"], p["fieldsSet"]) for p in profiles] == [("default", FIELDS)]
    assert wrong.call("listOperations") == {"operations": []}
    assert wrong.call("ping") == {}
    wrong.stop()

    # Without the variable, master.key is missing while the store holds sealed data: locked, no new key.
    no_env = spawn()
    assert_domain_error(error_of(no_env, "getCredentialStatus"), 1009, "vault.locked", "keyFileMissing")
    assert not (home / "master.key").exists()
    no_env.stop()

    # Nothing was lost or overwritten by the locked sessions.
    last = spawn(env={"SWITCHBOARD_MASTER_KEY": key})
    assert last.call("getCredentialStatus") == written


@pytest.mark.parametrize("bad", [
    "not base64 at all!",
    base64.b64encode(os.urandom(16)).decode(),
    base64.b64encode(os.urandom(31)).decode(),
    base64.b64encode(os.urandom(33)).decode(),
    base64.b64encode(os.urandom(64)).decode(),
    base64.urlsafe_b64encode(b"\xfb\xff" * 16).decode(),  # URL-safe alphabet is not base64
    "%%%%",
])
def test_malformed_master_key(spawn, home, bad):
    sb = spawn(env={"SWITCHBOARD_MASTER_KEY": bad})
    assert sb.call("ping") == {}
    for _ in range(2):
        err = error_of(sb, "getCredentialStatus")
        assert_domain_error(err, 1009, "vault.locked", "malformedKey")
        assert bad not in json.dumps(err)
    assert_domain_error(error_of(sb, "setCredentials", {"vapiPrivateKey": VAPI}), 1009, "vault.locked", "malformedKey")
    assert sb.call("listProfiles") == {"profiles": []}
    assert sb.call("ping") == {}
    assert bad.encode() not in bytes(sb.stderr_bytes)


def test_master_key_file_problems(spawn, home):
    sb = spawn()
    written = sb.call("setCredentials", {"vapiPrivateKey": VAPI, "twilioAuthToken": TOKEN})
    sb.stop()
    good = (home / "master.key").read_bytes()

    # Garbage in master.key: malformedKey.
    (home / "master.key").write_bytes(b"garbage\n")
    sb = spawn()
    assert_domain_error(error_of(sb, "getCredentialStatus"), 1009, "vault.locked", "malformedKey")
    assert sb.call("listProfiles")["profiles"][0]["fieldsSet"] == ["vapiPrivateKey", "twilioAuthToken"]
    sb.stop()

    # master.key is a folder: keyFileUnreadable (mode bits do not stop root, a folder does).
    (home / "master.key").unlink()
    (home / "master.key").mkdir()
    sb = spawn()
    assert_domain_error(error_of(sb, "getCredentialStatus"), 1009, "vault.locked", "keyFileUnreadable")
    assert sb.call("ping") == {}
    sb.stop()
    (home / "master.key").rmdir()

    # Missing: keyFileMissing, and no new key is generated over sealed data.
    sb = spawn()
    assert_domain_error(error_of(sb, "getCredentialStatus"), 1009, "vault.locked", "keyFileMissing")
    sb.stop()
    assert not (home / "master.key").exists()

    # Another valid key in the file: wrongKey.
    (home / "master.key").write_text(fresh_key() + "\n")
    os.chmod(home / "master.key", 0o600)  # a key file others can read is refused outright
    sb = spawn()
    assert_domain_error(error_of(sb, "getCredentialStatus"), 1009, "vault.locked", "wrongKey")
    sb.stop()

    # The right key back (also as 32 raw bytes, and via the environment): everything is there.
    (home / "master.key").write_bytes(good)
    sb = spawn()
    assert sb.call("getCredentialStatus") == written
    sb.stop()
    (home / "master.key").write_bytes(base64.b64decode(good.strip()))
    sb = spawn()
    assert sb.call("getCredentialStatus") == written
    sb.stop()
    os.unlink(home / "master.key")
    sb = spawn(env={"SWITCHBOARD_MASTER_KEY": good.decode().strip()})
    assert sb.call("getCredentialStatus") == written


# -- unusable store ----------------------------------------------------------------------------


def test_home_that_is_a_file_gives_vault_unavailable(spawn, tmp_path):
    path = tmp_path / "not-a-folder"
    path.write_text("hello\n")
    sb = spawn(home=path)
    assert sb.call("ping") == {}
    for method, params in (("getCredentialStatus", None), ("setCredentials", {"vapiPrivateKey": VAPI}),
                           ("listProfiles", None), ("clearCredentials", None), ("deleteProfile", {"profile": "x"}),
                           ("listOperations", None)):
        err = error_of(sb, method, params)
        assert_domain_error(err, 1011, "vault.unavailable")
    assert sb.call("ping") == {}
    assert path.read_text() == "hello\n"


def test_database_that_is_not_sqlite_gives_vault_unavailable_and_is_kept(spawn, home):
    home.mkdir(mode=0o700)
    garbage = os.urandom(8192)
    (home / "switchboard.sqlite").write_bytes(garbage)
    sb = spawn()
    for _ in range(2):
        assert_domain_error(error_of(sb, "getCredentialStatus"), 1011, "vault.unavailable")
    assert_domain_error(error_of(sb, "setCredentials", {"vapiPrivateKey": VAPI}), 1011, "vault.unavailable")
    assert sb.call("ping") == {}
    sb.stop()
    assert (home / "switchboard.sqlite").read_bytes() == garbage, "a damaged store must never be replaced"


def test_vault_unavailable_does_not_reveal_paths(spawn, tmp_path):
    """The error mapping promises `vault.*` errors carry "never a secret, never a path"
    (Sources/Switchboard/Errors/VaultErrorMapping.swift)."""
    path = tmp_path / "private-user-folder"
    path.write_text("hello\n")
    sb = spawn(home=path)
    err = error_of(sb, "getCredentialStatus")
    assert_domain_error(err, 1011, "vault.unavailable")
    assert str(tmp_path) not in json.dumps(err), err


def test_clean_exit_closes_the_store(spawn, home, tmp_path):
    """protocol.md: "The credential store is closed before the process exits." Closing the last
    connection checkpoints the WAL, so after a clean exit `switchboard.sqlite` + `master.key` (the
    two files the design says the home folder holds) are the whole store: copying just those two
    (a backup, a move to a new machine) keeps every credential."""
    sb = spawn()
    written = sb.call("setCredentials", {"vapiPrivateKey": VAPI, "twilioAccountSid": SID,
                                         "twilioAuthToken": TOKEN, "transferPhoneNumber": PHONE})
    sb.stop()
    assert sb.proc.returncode == 0
    copy = tmp_path / "copy"
    copy.mkdir(mode=0o700)
    for name in ("switchboard.sqlite", "master.key"):
        (copy / name).write_bytes((home / name).read_bytes())
        os.chmod(copy / name, 0o600)
    wal = home / "switchboard.sqlite-wal"
    leftover = wal.stat().st_size if wal.exists() else 0
    moved = spawn(home=copy)
    assert moved.call("getCredentialStatus") == written, (
        f"switchboard.sqlite alone does not hold the data ({leftover} bytes left in -wal after a clean exit)")
