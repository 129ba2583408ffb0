"""One error of each documented data.kind, raised as its typed exception, plus the protocol errors."""
from __future__ import annotations

import asyncio
import base64
import sqlite3
import uuid

import pytest

from switchboard_client import errors
from switchboard_client import (ConflictError, CredentialsError, CredentialsMissing, DomainError, InvalidParams,
                                MethodNotFound, NotFoundError, NotVoiceCapableError, Switchboard, SwitchboardError,
                                UpstreamError, UpstreamErrorReply, UpstreamOutcomeUnknown, UpstreamRateLimited,
                                UpstreamUnauthorized, UpstreamUnavailable, VaultCorrupt, VaultError, VaultLocked,
                                VaultUnavailable, VaultUnsafe)

SEEN: dict = {}


def expect(kind, cls, fn, **kwargs):
    with pytest.raises(cls) as info:
        fn(**kwargs)
    error = info.value
    assert error.kind == kind and error.data["kind"] == kind
    assert error.code == errors.KIND_CODES[kind]
    assert isinstance(error, DomainError) and isinstance(error, SwitchboardError)
    assert error.message and str(error) == error.message
    SEEN[kind] = error
    return error


def test_credentials_missing(client):
    error = expect("credentials.missing", CredentialsMissing, client.list_twilio)
    assert isinstance(error, CredentialsError)
    assert error.data["provider"] == "twilio" and error.data["missing"] == ["twilioAccountSid", "twilioAuthToken"]
    assert error.message.startswith("Twilio credentials not configured.")


def test_upstream_kinds(binary, client_env, fake, creds):
    env = {**client_env, "SWITCHBOARD_HTTP_MAX_RETRIES": "1"}
    with Switchboard(binary, env=env) as sb:
        sb.set_credentials(**creds)
        fake.seed(twilio=2, twilio_non_voice_every=0)
        expect("upstream.error", UpstreamErrorReply, sb.create_number, area_code="999")
        assert isinstance(SEEN["upstream.error"], UpstreamError)
        assert SEEN["upstream.error"].data["status"] == 400

        fake.fault("status", provider="vapi", method="GET", status=503, times=None)
        error = expect("upstream.unavailable", UpstreamUnavailable, sb.list_numbers)
        assert isinstance(error, UpstreamError) and error.data["provider"] == "vapi"
        fake.clear_faults()

        fake.fault("status", provider="vapi", method="GET", status=429, retryAfter="0", times=None)
        expect("upstream.rateLimited", UpstreamRateLimited, sb.list_numbers)
        fake.clear_faults()

        fake.fault("lose_reply", provider="vapi", method="POST")
        expect("upstream.outcomeUnknown", UpstreamOutcomeUnknown, sb.create_number, area_code="415")

        number = sb.import_number(sid=fake.twilio_numbers()[0]["sid"])
        error = expect("conflict", ConflictError, sb.import_number, sid=fake.twilio_numbers()[0]["sid"])
        assert error.data["vapiId"] == number["id"]
        expect("notFound", NotFoundError, sb.get_number, id=str(uuid.uuid4()))

        sb.set_credentials(vapi_private_key="not-the-key")
        error = expect("upstream.unauthorized", UpstreamUnauthorized, sb.list_numbers)
        assert error.data["provider"] == "vapi"


def test_not_voice_capable(binary, client_env, fake, creds):
    with Switchboard(binary, env=client_env) as sb:
        sb.set_credentials(**creds)
        fake.seed(twilio=4, twilio_non_voice_every=2)
        fax_only = next(t for t in fake.twilio_numbers() if not t["capabilities"]["voice"])
        error = expect("notVoiceCapable", NotVoiceCapableError, sb.import_number, sid=fax_only["sid"])
        assert error.data["phoneNumber"] == fax_only["phone_number"] and error.data["capabilities"]["voice"] is False


def test_usage_kinds(binary, client_env, fake, creds):
    window = {"since": "2026-01-01T00:00:00Z", "until": "2026-01-01T00:00:01Z"}
    with Switchboard(binary, env=client_env) as sb:
        sb.set_credentials(**creds)
        fake.seed(vapi=1)
        pid = fake.vapi_numbers()[0]["id"]
        fake.fault("status", provider="vapi", path="/call", status=400)
        error = expect("usage.refused", errors.UsageRefused, sb.get_usage, ids=[pid])
        assert isinstance(error, errors.UsageError) and error.data["numberId"] == pid
        fake.seed_calls(pid, 0, same_instant=1001, **window)
        expect("usage.tooDense", errors.UsageTooDense, sb.get_usage, ids=[pid], **window)


def test_vault_kinds(binary, client_env, tmp_path):
    shared = tmp_path / "shared-home"
    shared.mkdir()
    shared.chmod(0o777)
    with Switchboard(binary, env={**client_env, "SWITCHBOARD_HOME": str(shared)}) as sb:
        error = expect("vault.unsafe", VaultUnsafe, sb.get_credential_status)
        assert isinstance(error, VaultError) and error.data["reason"] == "writableByOthers"

    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("x\n")
    with Switchboard(binary, env={**client_env, "SWITCHBOARD_HOME": str(not_a_folder)}) as sb:
        expect("vault.unavailable", VaultUnavailable, sb.get_credential_status)

    with Switchboard(binary, env={**client_env, "SWITCHBOARD_MASTER_KEY": "not base64 at all"}) as sb:
        error = expect("vault.locked", VaultLocked, sb.get_credential_status)
        assert isinstance(error, VaultError) and error.data["reason"] == "malformedKey"

    key = base64.b64encode(bytes(range(32))).decode()
    env = {**client_env, "SWITCHBOARD_MASTER_KEY": key}
    with Switchboard(binary, env=env) as sb:
        sb.set_credentials(vapi_private_key="sk-live-0123456789abcdef")
    db = sqlite3.connect(tmp_path / "home" / "switchboard.sqlite")
    (box,) = db.execute("SELECT box FROM credentials WHERE profile='default' AND field='vapiPrivateKey'").fetchone()
    damaged = bytearray(box)
    damaged[-1] ^= 1
    db.execute("UPDATE credentials SET box=? WHERE profile='default' AND field='vapiPrivateKey'", (bytes(damaged),))
    db.commit()
    db.close()
    with Switchboard(binary, env=env) as sb:
        error = expect("vault.corrupt", VaultCorrupt, sb.list_numbers)
        assert error.data["fields"] == ["vapiPrivateKey"]


def test_every_documented_kind_was_raised():
    """Runs after the tests above (file order): a kind added to the server needs a case here."""
    assert set(SEEN) == set(errors.KIND_CODES), f"kinds never raised: {set(errors.KIND_CODES) - set(SEEN)}"
    for kind, error in SEEN.items():
        assert type(error) is errors.KIND_CLASSES[kind]


def test_protocol_errors(client):
    with pytest.raises(MethodNotFound) as info:
        client.call("noSuchMethod")
    assert info.value.code == -32601 and info.value.kind is None and info.value.data["method"] == "noSuchMethod"
    with pytest.raises(InvalidParams) as info:
        client.create_number(area_code="41")
    assert info.value.message == "Valid 3-digit area code is required" and info.value.data["field"] == "/areaCode"


def test_async_errors_are_the_same_classes(async_client_factory):
    async def main():
        sb = await async_client_factory()
        try:
            with pytest.raises(CredentialsMissing) as info:
                await sb.list_numbers()
            assert info.value.data["provider"] == "vapi"
            with pytest.raises(InvalidParams):
                await sb.get_number(id="not-a-uuid")
        finally:
            await sb.close()

    asyncio.run(main())


def test_unknown_kind_falls_back_to_its_family_then_domain_error():
    error = errors.error_from({"code": 1099, "message": "m", "data": {"kind": "upstream.somethingNew"}})
    assert type(error) is UpstreamError and error.code == 1099
    error = errors.error_from({"code": 1098, "message": "m", "data": {"kind": "brandNew"}})
    assert type(error) is DomainError and error.kind == "brandNew"
