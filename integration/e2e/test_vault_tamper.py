"""Tampering with the SQLite file while no process runs: damaged or moved boxes are reported as
`corrupt: true` per field, the other fields stay readable, and setting a field again repairs it.

Schema (Sources/Vault/Schema.swift): credentials(profile, field, box BLOB, updatedAt), PRIMARY KEY
(profile, field); box = AES-GCM combined (nonce ‖ ciphertext ‖ tag), associated data binds it to
profile and field; meta(key, value) holds the key check.
"""
from __future__ import annotations

import contextlib
import random
import sqlite3

import pytest

FIELDS = ["vapiPrivateKey", "twilioAccountSid", "twilioAuthToken", "transferPhoneNumber"]
DEFAULT = {"vapiPrivateKey": "sk-tamper-default-9f3a", "twilioAccountSid": "AC" + "0123456789abcdef" * 2,
           "twilioAuthToken": "fedcba9876543210" * 2, "transferPhoneNumber": "+14155550100"}
CLIENT_A = {"vapiPrivateKey": "sk-tamper-client-a-7777", "twilioAccountSid": "AC" + "abcdef0123456789" * 2,
            "twilioAuthToken": "0123456789abcdef" * 2, "transferPhoneNumber": "+442071838750"}
HINTS = {
    "default": {"vapiPrivateKey": "…9f3a", "twilioAccountSid": "AC…cdef", "transferPhoneNumber": "+14155550100"},
    "client-a": {"vapiPrivateKey": "…7777", "twilioAccountSid": "AC…6789", "transferPhoneNumber": "+442071838750"},
}


@contextlib.contextmanager
def database(home):
    db = sqlite3.connect(home / "switchboard.sqlite")
    try:
        yield db
        db.commit()
    finally:
        db.close()


def box(db, profile, field) -> bytes:
    row = db.execute("SELECT box FROM credentials WHERE profile = ? AND field = ?", (profile, field)).fetchone()
    assert row is not None, (profile, field)
    return bytes(row[0])


def put_box(db, profile, field, value):
    cursor = db.execute("UPDATE credentials SET box = ? WHERE profile = ? AND field = ?", (value, profile, field))
    assert cursor.rowcount == 1


def populate(spawn):
    sb = spawn()
    sb.call("setCredentials", DEFAULT)
    sb.call("setCredentials", dict(CLIENT_A, profile="client-a"))
    sb.stop()
    assert sb.proc.returncode == 0


def check(status, profile, corrupt):
    """`corrupt` fields are {set, corrupt: true} with no hint; every other field reads with its hint."""
    for field in FIELDS:
        state = status["fields"][field]
        assert state["set"] is True, (field, state)
        if field in corrupt:
            assert state.get("corrupt") is True, (field, state)
            assert "hint" not in state, (field, state)
        else:
            assert "corrupt" not in state, (field, state)
            assert state.get("hint") == HINTS[profile].get(field), (field, state)
    assert status["vapi"]["configured"] is ("vapiPrivateKey" not in corrupt)
    assert status["twilio"]["configured"] is not ({"twilioAccountSid", "twilioAuthToken"} & set(corrupt))


def test_schema_is_as_documented(spawn, home):
    populate(spawn)
    with database(home) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(credentials)")]
        assert columns[:4] == ["profile", "field", "box", "updatedAt"]
        rows = db.execute("SELECT profile, field, typeof(box), length(box) FROM credentials ORDER BY profile, field").fetchall()
    assert {(p, f) for p, f, _, _ in rows} == {(p, f) for p in ("client-a", "default") for f in FIELDS}
    for _, field, kind, length in rows:
        assert kind == "blob"
        assert length >= 12 + 16 + 1, (field, length)  # nonce + tag + at least one byte


@pytest.mark.parametrize("field", FIELDS)
def test_flipped_byte_makes_one_field_corrupt(spawn, home, field):
    populate(spawn)
    rng = random.Random()
    with database(home) as db:
        data = bytearray(box(db, "default", field))
        at = rng.randrange(len(data))
        data[at] ^= 1 << rng.randrange(8)
        put_box(db, "default", field, bytes(data))
    sb = spawn()
    status = sb.call("getCredentialStatus")
    check(status, "default", {field})
    assert status["fields"][field]["updatedAt"]  # still says when it was written
    check(sb.call("getCredentialStatus", {"profile": "client-a"}), "client-a", set())
    # Listing does not decrypt: the field is still listed as set.
    listed = {p["name"]: p for p in sb.call("listProfiles")["profiles"]}
    assert listed["default"]["fieldsSet"] == FIELDS
    # Setting the field again repairs it.
    repaired = sb.call("setCredentials", {field: DEFAULT[field]})
    check(repaired, "default", set())
    sb.stop()
    check(spawn().call("getCredentialStatus"), "default", set())


@pytest.mark.parametrize("damage", ["truncated", "empty", "nonce only", "text", "appended byte", "zeroed tag"])
def test_other_damage_is_corrupt_too(spawn, home, damage):
    populate(spawn)
    with database(home) as db:
        data = box(db, "default", "twilioAuthToken")
        replacement = {
            "truncated": data[:-1],
            "empty": b"",
            "nonce only": data[:12],
            "text": data.hex(),
            "appended byte": data + b"\0",
            "zeroed tag": data[:-16] + bytes(16),
        }[damage]
        put_box(db, "default", "twilioAuthToken", replacement)
    sb = spawn()
    check(sb.call("getCredentialStatus"), "default", {"twilioAuthToken"})
    # The other fields of the profile still write and read; clearing the damaged field works.
    sb.call("setCredentials", {"vapiPrivateKey": DEFAULT["vapiPrivateKey"]})
    cleared = sb.call("setCredentials", {"twilioAuthToken": None})
    assert cleared["fields"]["twilioAuthToken"] == {"set": False}
    assert sb.call("setCredentials", {"twilioAuthToken": DEFAULT["twilioAuthToken"]})["twilio"]["configured"] is True
    check(sb.call("getCredentialStatus"), "default", set())


def test_swapped_fields_of_one_profile_are_both_corrupt(spawn, home):
    populate(spawn)
    with database(home) as db:
        key, token = box(db, "default", "vapiPrivateKey"), box(db, "default", "twilioAuthToken")
        put_box(db, "default", "vapiPrivateKey", token)
        put_box(db, "default", "twilioAuthToken", key)
    sb = spawn()
    check(sb.call("getCredentialStatus"), "default", {"vapiPrivateKey", "twilioAuthToken"})
    check(sb.call("getCredentialStatus", {"profile": "client-a"}), "client-a", set())
    sb.call("setCredentials", {"vapiPrivateKey": DEFAULT["vapiPrivateKey"]})
    check(sb.call("getCredentialStatus"), "default", {"twilioAuthToken"})
    sb.call("setCredentials", {"twilioAuthToken": DEFAULT["twilioAuthToken"]})
    check(sb.call("getCredentialStatus"), "default", set())


def test_same_field_swapped_between_profiles_is_corrupt(spawn, home):
    populate(spawn)
    with database(home) as db:
        mine, theirs = box(db, "default", "twilioAccountSid"), box(db, "client-a", "twilioAccountSid")
        put_box(db, "default", "twilioAccountSid", theirs)
        put_box(db, "client-a", "twilioAccountSid", mine)
    sb = spawn()
    check(sb.call("getCredentialStatus"), "default", {"twilioAccountSid"})
    check(sb.call("getCredentialStatus", {"profile": "client-a"}), "client-a", {"twilioAccountSid"})
    sb.call("setCredentials", {"profile": "client-a", "twilioAccountSid": CLIENT_A["twilioAccountSid"]})
    check(sb.call("getCredentialStatus", {"profile": "client-a"}), "client-a", set())
    check(sb.call("getCredentialStatus"), "default", {"twilioAccountSid"})
    sb.call("setCredentials", {"twilioAccountSid": DEFAULT["twilioAccountSid"]})
    check(sb.call("getCredentialStatus"), "default", set())


def test_row_moved_to_another_profile_name_is_corrupt(spawn, home):
    """Renaming a row's profile (copying a client's box into another profile) does not make it readable there."""
    populate(spawn)
    with database(home) as db:
        db.execute("DELETE FROM credentials WHERE profile = 'default' AND field = 'vapiPrivateKey'")
        db.execute("UPDATE credentials SET profile = 'default' WHERE profile = 'client-a' AND field = 'vapiPrivateKey'")
    sb = spawn()
    check(sb.call("getCredentialStatus"), "default", {"vapiPrivateKey"})
    a = sb.call("getCredentialStatus", {"profile": "client-a"})
    assert a["fields"]["vapiPrivateKey"] == {"set": False}


def test_unknown_field_rows_are_ignored(spawn, home):
    populate(spawn)
    with database(home) as db:
        db.execute("INSERT INTO credentials (profile, field, box, updatedAt) SELECT profile, 'somethingElse', box, updatedAt "
                   "FROM credentials WHERE profile = 'default' AND field = 'vapiPrivateKey'")
    sb = spawn()
    status = sb.call("getCredentialStatus")
    check(status, "default", set())
    assert set(status["fields"]) == set(FIELDS)
    assert {p["name"]: p["fieldsSet"] for p in sb.call("listProfiles")["profiles"]}["default"] == FIELDS


def test_tampered_key_check_locks_the_vault(spawn, home):
    populate(spawn)
    with database(home) as db:
        value = bytearray(db.execute("SELECT value FROM meta WHERE key = 'keyCheck'").fetchone()[0])
        value[len(value) // 2] ^= 0x01
        db.execute("UPDATE meta SET value = ? WHERE key = 'keyCheck'", (bytes(value),))
    sb = spawn()
    err = sb.request("getCredentialStatus")["error"]
    assert err["code"] == 1009 and err["data"]["kind"] == "vault.locked" and err["data"]["reason"] == "wrongKey", err
    assert sb.call("ping") == {}
    assert len(sb.call("listProfiles")["profiles"]) == 2
