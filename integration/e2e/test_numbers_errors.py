"""Domain errors of the Numbers methods: credentials.missing before any network call,
upstream.unauthorized, upstream.error, upstream.unavailable, upstream.rateLimited,
upstream.outcomeUnknown, with verifyCredentials reporting each provider separately."""
from __future__ import annotations

import time

import pytest

from test_numbers_support import (
    TWILIO_MESSAGE, VAPI_MESSAGE, call, creds, error_of, posts, twilio_list_requests, vapi_by_id,
    vapi_list_requests,
)

PN = "PN" + "1" * 32

ALL_CALLS = [
    ("listNumbers", {}),
    ("listTwilio", {}),
    ("listTwilio", {"includeNonVoice": True}),
    ("importNumber", {"sid": PN}),
    ("importNumber", {"phoneNumber": "+14155550123", "name": "x", "idempotencyKey": "k-missing"}),
    ("createNumber", {"areaCode": "415", "idempotencyKey": "k-missing-2"}),
]


def assert_missing(err, provider, missing):
    assert err["code"] == 1001
    assert err["data"]["kind"] == "credentials.missing"
    assert err["data"]["provider"] == provider
    assert err["data"]["missing"] == missing
    assert err["message"] == (VAPI_MESSAGE if provider == "vapi" else TWILIO_MESSAGE)


# ---------------------------------------------------------------------------------------------
# 1001 credentials.missing: checked before any network call


def test_nothing_configured(spawn, fake, upstream_env):
    sb = spawn(env=upstream_env)
    expected = {
        "listNumbers": ("vapi", ["vapiPrivateKey"]),
        "listTwilio": ("twilio", ["twilioAccountSid", "twilioAuthToken"]),
        "createNumber": ("vapi", ["vapiPrivateKey"]),
    }
    for method, params in ALL_CALLS:
        err = error_of(sb, method, params)
        if method in expected:
            assert_missing(err, *expected[method])
        else:  # importNumber needs both: either provider may be named first
            assert err["code"] == 1001 and err["data"]["kind"] == "credentials.missing"
            assert err["data"]["provider"] in ("vapi", "twilio")
    verify = call(sb, "verifyCredentials")
    assert verify == {
        "vapi": {"configured": False, "ok": False, "error": {"kind": "credentials.missing", "message": VAPI_MESSAGE}},
        "twilio": {"configured": False, "ok": False,
                   "error": {"kind": "credentials.missing", "message": TWILIO_MESSAGE}},
    }
    assert fake.requests() == [], "credentials are checked before any network call"
    # failures before anything was attempted upstream still leave the ledger consistent
    for op in call(sb, "listOperations")["operations"]:
        assert op["outcome"] == "failed" and op.get("errorKind") == "credentials.missing"


def test_only_vapi_configured(spawn, fake, upstream_env):
    sb = spawn(env=upstream_env)
    call(sb, "setCredentials", {"vapiPrivateKey": fake.vapi_key})
    for method, params in ALL_CALLS:
        if method in ("listNumbers", "createNumber"):
            continue
        assert_missing(error_of(sb, method, params), "twilio", ["twilioAccountSid", "twilioAuthToken"])
    assert fake.requests() == []
    verify = call(sb, "verifyCredentials")
    assert verify["vapi"] == {"configured": True, "ok": True}
    assert verify["twilio"]["configured"] is False and verify["twilio"]["error"]["kind"] == "credentials.missing"


def test_twilio_sid_without_token(spawn, fake, upstream_env):
    sb = spawn(env=upstream_env)
    call(sb, "setCredentials", {"vapiPrivateKey": fake.vapi_key, "twilioAccountSid": fake.account_sid})
    assert_missing(error_of(sb, "listTwilio"), "twilio", ["twilioAuthToken"])
    assert_missing(error_of(sb, "importNumber", {"sid": PN}), "twilio", ["twilioAuthToken"])
    call(sb, "setCredentials", {"twilioAccountSid": None, "twilioAuthToken": fake.auth_token})
    assert_missing(error_of(sb, "listTwilio"), "twilio", ["twilioAccountSid"])
    assert fake.requests(provider="twilio") == []


def test_only_twilio_configured(spawn, fake, upstream_env):
    sb = spawn(env=upstream_env)
    call(sb, "setCredentials", {"twilioAccountSid": fake.account_sid, "twilioAuthToken": fake.auth_token})
    assert_missing(error_of(sb, "listNumbers"), "vapi", ["vapiPrivateKey"])
    assert_missing(error_of(sb, "createNumber", {"areaCode": "415"}), "vapi", ["vapiPrivateKey"])
    assert_missing(error_of(sb, "importNumber", {"sid": PN}), "vapi", ["vapiPrivateKey"])
    assert fake.requests() == []


def test_cleared_credentials_are_missing_again(connected, fake):
    call(connected, "clearCredentials")
    assert_missing(error_of(connected, "listNumbers"), "vapi", ["vapiPrivateKey"])
    assert fake.requests() == []


def test_other_profile_has_its_own_credentials(connected, fake):
    assert_missing(error_of(connected, "listNumbers", {"profile": "client-a"}), "vapi", ["vapiPrivateKey"])
    assert_missing(error_of(connected, "listTwilio", {"profile": "client-a"}), "twilio",
                   ["twilioAccountSid", "twilioAuthToken"])
    assert fake.requests() == []


# ---------------------------------------------------------------------------------------------
# 1002 upstream.unauthorized


def test_wrong_vapi_key(connected, fake):
    fake.seed(twilio=5)
    call(connected, "setCredentials", {"vapiPrivateKey": "sk-definitely-not-the-key-0123456789"})
    err = error_of(connected, "listNumbers")
    assert err["code"] == 1002
    assert err["data"]["kind"] == "upstream.unauthorized" and err["data"]["provider"] == "vapi"
    assert err["data"]["status"] == 401
    assert len(vapi_list_requests(fake)) == 1, "401 is not retried"
    err = error_of(connected, "createNumber", {"areaCode": "415"})
    assert err["code"] == 1002 and err["data"]["provider"] == "vapi"
    assert vapi_by_id(fake) == {}
    err = error_of(connected, "listTwilio")
    assert err["code"] == 1002 and err["data"]["provider"] == "vapi"
    verify = call(connected, "verifyCredentials")
    assert verify["vapi"]["configured"] is True and verify["vapi"]["ok"] is False
    assert verify["vapi"]["error"]["kind"] == "upstream.unauthorized"
    assert verify["twilio"] == {"configured": True, "ok": True}
    assert "sk-definitely-not-the-key-0123456789" not in bytes(connected.stdout_bytes).decode()


def test_wrong_twilio_token(connected, fake):
    fake.seed(twilio=5)
    wrong = "0123456789abcdef0123456789abcdef"
    call(connected, "setCredentials", {"twilioAuthToken": wrong})
    err = error_of(connected, "listTwilio")
    assert err["code"] == 1002
    assert err["data"]["kind"] == "upstream.unauthorized" and err["data"]["provider"] == "twilio"
    assert err["data"]["status"] == 401
    assert len(twilio_list_requests(fake)) == 1, "401 is not retried"
    err = error_of(connected, "importNumber", {"sid": fake.twilio_numbers()[0]["sid"]})
    assert err["code"] == 1002 and err["data"]["provider"] == "twilio"
    assert posts(fake) == []
    verify = call(connected, "verifyCredentials")
    assert verify["vapi"] == {"configured": True, "ok": True}
    assert verify["twilio"]["ok"] is False and verify["twilio"]["error"]["kind"] == "upstream.unauthorized"
    text = bytes(connected.stdout_bytes).decode()
    assert wrong not in text and fake.account_sid not in text


def test_forbidden_is_unauthorized(connected, fake):
    fake.fault("status", provider="vapi", status=403, times=None)
    err = error_of(connected, "listNumbers")
    assert err["code"] == 1002 and err["data"]["status"] == 403
    assert len(vapi_list_requests(fake)) == 1


def test_verify_credentials_suspended_twilio_account(connected, fake):
    fake.configure(accountStatus="suspended")
    verify = call(connected, "verifyCredentials")
    assert verify["vapi"] == {"configured": True, "ok": True}
    assert verify["twilio"]["configured"] is True and verify["twilio"]["ok"] is False
    assert verify["twilio"]["error"]["kind"] in ("upstream.error", "upstream.unauthorized")
    assert "suspended" in verify["twilio"]["error"]["message"]


def test_verify_credentials_checks_both_concurrently(connected, fake):
    fake.fault("delay", provider="vapi", delayMs=700)
    fake.fault("delay", provider="twilio", delayMs=700)
    started = time.monotonic()
    verify = call(connected, "verifyCredentials")
    assert verify == {"vapi": {"configured": True, "ok": True}, "twilio": {"configured": True, "ok": True}}
    assert time.monotonic() - started < 1.3, "the two checks should run at the same time"
    assert len(fake.requests(provider="vapi")) == 1 and len(fake.requests(provider="twilio")) == 1


# ---------------------------------------------------------------------------------------------
# 1003 upstream.error


def test_twilio_error_message_is_masked(connected, fake):
    sid, token = fake.account_sid, fake.auth_token
    fake.fault("status", provider="twilio", status=400, times=None,
               body={"code": 20001, "message": f"Bad request for {sid} using {token}", "more_info": "x",
                     "status": 400})
    err = error_of(connected, "listTwilio")
    assert err["code"] == 1003 and err["data"]["kind"] == "upstream.error"
    assert err["data"]["provider"] == "twilio" and err["data"]["status"] == 400
    assert err["data"]["upstreamCode"] == "20001"
    assert err["message"].startswith("Twilio API error: 400 - ")
    assert sid not in str(err) and token not in str(err)
    assert sid[2:] not in str(err)


def test_vapi_error_message_is_masked(connected, fake):
    key = fake.vapi_key
    fake.fault("status", provider="vapi", method="GET", status=422, times=None,
               body={"message": [f"key {key} is weird"], "error": "Unprocessable Entity", "statusCode": 422})
    err = error_of(connected, "listNumbers")
    assert err["code"] == 1003 and err["data"]["status"] == 422
    assert err["data"]["upstreamCode"] == "Unprocessable Entity"
    assert err["message"].startswith("Vapi API error: 422 - ")
    assert key not in str(err)


def test_post_500_is_an_unknown_outcome_and_not_retried(connected, fake):
    """A 500 says nothing about whether Vapi created the number (protocol.md's write rule)."""
    fake.fault("status", provider="vapi", method="POST", status=500, times=None)
    err = error_of(connected, "createNumber", {"areaCode": "415"})
    assert err["code"] == 1006, err
    assert err["data"]["provider"] == "vapi" and err["data"]["status"] == 500
    assert err["message"].startswith("Vapi API error: 500")
    assert len(posts(fake)) == 1


# ---------------------------------------------------------------------------------------------
# 1004 upstream.unavailable (reads, after retries)


@pytest.mark.parametrize("kind, extra", [
    ("reset", {}),
    ("garbage", {}),
    ("truncate", {}),
    ("status", {"status": 503}),
    ("status", {"status": 500}),
])
def test_vapi_read_unavailable_after_retries(connected, fake, kind, extra):
    fake.seed(vapi=3)
    fake.fault(kind, provider="vapi", method="GET", times=None, **extra)
    err = error_of(connected, "listNumbers")
    assert err["code"] == 1004
    assert err["data"]["kind"] == "upstream.unavailable" and err["data"]["provider"] == "vapi"
    if kind == "status":
        assert err["data"]["status"] == extra["status"]
    else:
        assert err["data"].get("reason")
    assert len(vapi_list_requests(fake)) == 4, "1 attempt + 3 retries"


def test_twilio_read_unavailable_after_retries(connected, fake):
    fake.seed(twilio=1500)
    fake.fault("reset", provider="twilio", method="GET", times=None, skip=1)   # page 2 never answers
    err = error_of(connected, "listTwilio")
    assert err["code"] == 1004 and err["data"]["provider"] == "twilio"
    # page 1, then page 2 tried 1 + 3 times by switchboard, and nothing else: the HTTP client never
    # re-sends a request by itself (libcurl used to, on a reset keep-alive connection).
    assert len(twilio_list_requests(fake)) == 1 + 4


def test_import_sid_lookup_unavailable(connected, fake):
    fake.seed(twilio=3)
    fake.fault("garbage", provider="twilio", method="GET", times=None)
    err = error_of(connected, "importNumber", {"sid": fake.twilio_numbers()[0]["sid"]})
    assert err["code"] == 1004 and err["data"]["provider"] == "twilio"
    assert posts(fake) == []


# ---------------------------------------------------------------------------------------------
# 1005 upstream.rateLimited


def test_rate_limited_after_retries(connected, fake):
    fake.fault("status", provider="vapi", method="GET", status=429, retryAfter="0", times=None)
    err = error_of(connected, "listNumbers")
    assert err["code"] == 1005
    assert err["data"]["kind"] == "upstream.rateLimited" and err["data"]["provider"] == "vapi"
    assert err["data"].get("retryAfterMs", 0) == 0
    assert len(vapi_list_requests(fake)) == 4


def test_rate_limited_with_long_retry_after_fails_at_once(connected, fake):
    fake.fault("status", provider="twilio", method="GET", status=429, retryAfter="120", times=None)
    started = time.monotonic()
    err = error_of(connected, "listTwilio")
    assert time.monotonic() - started < 3
    assert err["code"] == 1005 and err["data"]["provider"] == "twilio"
    assert err["data"]["retryAfterMs"] == 120000
    assert len(twilio_list_requests(fake)) == 1


def test_rate_limited_retry_after_ms_reported(spawn, fake, upstream_env):
    sb = spawn(env={**upstream_env, "SWITCHBOARD_HTTP_MAX_RETRIES": "0"})
    call(sb, "setCredentials", creds(fake))
    fake.fault("status", provider="vapi", status=429, retryAfter="2", times=None)
    err = error_of(sb, "createNumber", {"areaCode": "415"})
    assert err["code"] == 1005 and err["data"]["retryAfterMs"] == 2000
    assert len(posts(fake)) == 1 and vapi_by_id(fake) == {}


# ---------------------------------------------------------------------------------------------
# 1006 upstream.outcomeUnknown


def test_lost_reply_on_create_is_outcome_unknown_and_not_retried(connected, fake):
    fake.fault("lose_reply", provider="vapi", method="POST")
    err = error_of(connected, "createNumber", {"areaCode": "415", "name": "Lost"})
    assert err["code"] == 1006
    assert err["data"]["kind"] == "upstream.outcomeUnknown" and err["data"]["provider"] == "vapi"
    assert err["data"].get("reason")
    assert len(posts(fake)) == 1, "a POST whose reply was lost must not be re-sent"
    created = list(vapi_by_id(fake).values())
    assert len(created) == 1 and created[0]["name"] == "Lost"
    [op] = call(connected, "listOperations")["operations"]
    assert op["outcome"] == "unknown" and op["errorKind"] == "upstream.outcomeUnknown"
    assert op["method"] == "createNumber"


def test_lost_reply_on_import_is_outcome_unknown(connected, fake):
    fake.seed(twilio=3)
    target = next(t for t in fake.twilio_numbers() if t["capabilities"]["voice"])
    fake.fault("lose_reply", provider="vapi", method="POST")
    err = error_of(connected, "importNumber", {"sid": target["sid"]})
    assert err["code"] == 1006 and err["data"]["provider"] == "vapi"
    assert len(posts(fake)) == 1
    # the number did get imported: a second attempt sees it in the list
    again = error_of(connected, "importNumber", {"sid": target["sid"]})
    assert again["code"] == 1008 and again["data"]["vapiId"] == next(iter(vapi_by_id(fake)))
    assert len(posts(fake)) == 1


@pytest.mark.parametrize("status", [502, 504])
def test_gateway_error_on_post_is_outcome_unknown(connected, fake, status):
    fake.fault("status", provider="vapi", method="POST", status=status)
    err = error_of(connected, "createNumber", {"areaCode": "415"})
    assert err["code"] == 1006 and err["data"]["status"] == status
    assert len(posts(fake)) == 1


def test_reset_on_post_is_outcome_unknown(connected, fake):
    fake.fault("reset", provider="vapi", method="POST")
    err = error_of(connected, "createNumber", {"areaCode": "415"})
    assert err["code"] == 1006
    assert len(posts(fake)) == 1


def test_unreadable_post_reply_is_outcome_unknown(connected, fake):
    fake.fault("garbage", provider="vapi", method="POST", perform=True)
    err = error_of(connected, "createNumber", {"areaCode": "415"})
    assert err["code"] == 1006
    assert len(posts(fake)) == 1 and len(vapi_by_id(fake)) == 1
