"""Money: one number per idempotency key, whatever upstream does after the POST was sent.

Every test drives the real binary against the fake upstream, which counts POSTs and holds the numbers
it created. The rule (protocol.md, "Upstream behaviour"): only a readable 2xx is success, only a
readable 4xx (not 408/429), a 429 or a connection never made is a refusal; everything else is an
unknown outcome, kept pending under its key and reconciled against the Vapi list before any new POST.
"""
from __future__ import annotations

import signal
import time

import pytest

from test_numbers_support import call, creds, error_of, posts, wait_until

DEADLINE_MS = 1000
SETTLE_MS = 1500  # the service never uses less than the deadline + 1 s: 2 s here


@pytest.fixture
def money_env(fake):
    return {
        "SWITCHBOARD_VAPI_BASE_URL": fake.base_url,
        "SWITCHBOARD_TWILIO_BASE_URL": fake.base_url,
        "SWITCHBOARD_HTTP_BACKOFF_MS": "20",
        "SWITCHBOARD_HTTP_TIMEOUT_MS": str(DEADLINE_MS),
        "SWITCHBOARD_IDEMPOTENCY_SETTLE_MS": str(SETTLE_MS),
    }


@pytest.fixture
def money(spawn, fake, money_env):
    sb = spawn(env=money_env)
    call(sb, "setCredentials", creds(fake))
    return sb


def voice_twilio(fake, count=1):
    numbers = [t for t in fake.twilio_numbers() if t["capabilities"]["voice"]]
    return numbers[:count]


def vapi_numbers(fake, number=None, area=None):
    out = fake.state()["vapi"]
    if number is not None:
        out = [v for v in out if v.get("number") == number]
    if area is not None:
        out = [v for v in out if v.get("numberDesiredAreaCode") == area]
    return out


def operation_for(sb, number_id):
    return [o for o in call(sb, "listOperations")["operations"] if o.get("numberId") == number_id]


# Faults after which Vapi HAS created the number but the reply proves nothing.
AFTER_COMMIT = {
    "500": {"kind": "status", "status": 500, "perform": True},
    "503": {"kind": "status", "status": 503, "perform": True},
    "502 html": {"kind": "status", "status": 502, "perform": True, "body": "<html>Bad Gateway</html>",
                 "contentType": "text/html"},
    "reset after commit": {"kind": "reset", "perform": True},
    "truncated reply": {"kind": "truncate", "perform": True},
    "non-HTTP reply": {"kind": "raw", "perform": True},
    "garbage 2xx": {"kind": "garbage", "perform": True},
}


def start_operation(kind, fake, sb, key):
    """Returns (method, params, what identifies the created number in the fake)."""
    if kind == "import":
        [twilio] = voice_twilio(fake)
        return "importNumber", {"sid": twilio["sid"], "idempotencyKey": key}, {"number": twilio["phone_number"]}
    return "createNumber", {"areaCode": "415", "name": "Key " + key, "idempotencyKey": key}, {"area": "415"}


@pytest.mark.parametrize("fault", sorted(AFTER_COMMIT))
@pytest.mark.parametrize("kind", ["create", "import"])
def test_fault_after_commit_then_same_key_and_new_key(kind, fault, money, fake):
    fake.seed(twilio=3, twilioNonVoiceEvery=0)
    method, params, where = start_operation(kind, fake, money, "k-" + fault.replace(" ", "-"))
    fake.add_faults([{**AFTER_COMMIT[fault], "provider": "vapi", "method": "POST"}])

    err = error_of(money, method, params)
    assert err["code"] == 1006 and err["data"]["kind"] == "upstream.outcomeUnknown", err
    assert len(posts(fake)) == 1
    [created] = vapi_numbers(fake, **where)
    [unknown] = call(money, "listOperations")["operations"]
    assert unknown["outcome"] == "unknown" and unknown["method"] == method, unknown

    # The same key: reconciled against the Vapi list, no second POST, and the ledger learns the truth.
    number = call(money, method, params)
    assert number["id"] == created["id"]
    assert len(posts(fake)) == 1
    assert call(money, method, params) == number
    assert len(posts(fake)) == 1
    [row] = call(money, "listOperations")["operations"]
    assert row["id"] == unknown["id"], "the unknown row is rewritten, not duplicated"
    assert row["outcome"] == "succeeded" and row["numberId"] == created["id"]

    # A new key is a new purchase (create) or a conflict (import: the number is already in Vapi).
    if kind == "create":
        other = call(money, method, {**params, "idempotencyKey": params["idempotencyKey"] + "-b"})
        assert other["id"] != number["id"]
        assert len(posts(fake)) == 2 and len(vapi_numbers(fake, area="415")) == 2
    else:
        err = error_of(money, method, {**params, "idempotencyKey": params["idempotencyKey"] + "-b"})
        assert err["data"]["kind"] == "conflict"
        assert len(posts(fake)) == 1 and len(vapi_numbers(fake, **where)) == 1


@pytest.mark.parametrize("status", [500, 503, 504])
def test_fault_before_commit_waits_the_settle_window_then_buys_once(status, money, fake):
    params = {"areaCode": "628", "idempotencyKey": f"before-{status}"}
    fake.fault("status", status=status, provider="vapi", method="POST", perform=False)
    assert error_of(money, "createNumber", params)["code"] == 1006
    assert vapi_numbers(fake, area="628") == []

    # Inside the window: nothing found, nothing sent, the caller is told when to come back.
    err = error_of(money, "createNumber", params)
    assert err["code"] == 1006 and 0 < err["data"]["retryAfterMs"] <= 2000 + DEADLINE_MS
    assert len(posts(fake)) == 1

    time.sleep(err["data"]["retryAfterMs"] / 1000 + 0.05)
    number = call(money, "createNumber", params)
    assert len(posts(fake)) == 2 and [v["id"] for v in vapi_numbers(fake, area="628")] == [number["id"]]
    ops = call(money, "listOperations")["operations"]
    assert [o["outcome"] for o in ops] == ["succeeded", "failed"], ops
    assert ops[1]["detail"].startswith("Not created"), ops[1]


def test_slow_post_past_the_deadline_then_an_immediate_same_key_retry(money, fake):
    """The reported route: Vapi answers after the deadline, the host retries at once as told."""
    params = {"areaCode": "212", "idempotencyKey": "slow-1"}
    fake.fault("delay", delayMs=DEADLINE_MS + 700, provider="vapi", method="POST")  # creates at 1.7 s
    err = error_of(money, "createNumber", params)
    assert err["code"] == 1006 and err["data"]["reason"] == "timed out", err

    # Immediately: Vapi has not created it yet, and the window keeps a second POST from going out.
    err = error_of(money, "createNumber", params)
    assert err["code"] == 1006 and err["data"]["retryAfterMs"] > 0
    assert len(posts(fake)) == 1

    wait_until(lambda: len(vapi_numbers(fake, area="212")) == 1, timeout=5)
    number = call(money, "createNumber", params)
    [created] = vapi_numbers(fake, area="212")
    assert number["id"] == created["id"] and len(posts(fake)) == 1


def test_kill_9_while_the_post_is_in_flight(spawn, money, fake, money_env):
    params = {"areaCode": "303", "idempotencyKey": "kill-inflight"}
    fake.fault("delay", delayMs=1500, provider="vapi", method="POST")
    money.start_request("createNumber", params)
    wait_until(lambda: len(posts(fake)) == 1, timeout=5)
    money.proc.send_signal(signal.SIGKILL)
    money.proc.wait(5)

    sb = spawn(env=money_env)
    # The dead attempt ended at the latest a deadline after sending: no POST before its window ends.
    err = error_of(sb, "createNumber", params)
    assert err["code"] == 1006, err
    assert len(posts(fake)) == 1
    wait_until(lambda: len(vapi_numbers(fake, area="303")) == 1, timeout=5)
    number = call(sb, "createNumber", params)
    assert number["id"] == vapi_numbers(fake, area="303")[0]["id"] and len(posts(fake)) == 1
    assert operation_for(sb, number_id=number["id"])[0]["outcome"] == "succeeded"


def test_kill_9_after_an_unknown_outcome(spawn, money, fake, money_env):
    fake.seed(twilio=2, twilioNonVoiceEvery=0)
    [twilio] = voice_twilio(fake)
    params = {"phoneNumber": twilio["phone_number"], "idempotencyKey": "kill-after"}
    fake.fault("lose_reply", provider="vapi", method="POST")
    assert error_of(money, "importNumber", params)["code"] == 1006
    money.proc.send_signal(signal.SIGKILL)
    money.proc.wait(5)

    sb = spawn(env=money_env)
    number = call(sb, "importNumber", params)
    assert number["number"] == twilio["phone_number"] and len(posts(fake)) == 1
    ops = call(sb, "listOperations")["operations"]
    assert [(o["outcome"], o.get("numberId")) for o in ops] == [("succeeded", number["id"])]


def test_cancel_after_send_is_recorded_unknown_then_reconciled(money, fake):
    fake.seed(twilio=2, twilioNonVoiceEvery=0)
    [twilio] = voice_twilio(fake)
    params = {"sid": twilio["sid"], "idempotencyKey": "cancel-1"}
    fake.fault("delay", delayMs=600, provider="vapi", method="POST")
    rid = money.start_request("importNumber", params)
    wait_until(lambda: len(posts(fake)) == 1, timeout=5)
    money.notify("$/cancelRequest", {"id": rid})
    assert money.response(rid)["error"]["code"] == -32800
    [row] = call(money, "listOperations")["operations"]
    assert row["outcome"] == "unknown" and row["errorKind"] == "cancelled", row

    wait_until(lambda: len(vapi_numbers(fake, number=twilio["phone_number"])) == 1, timeout=5)
    number = call(money, "importNumber", params)
    [row2] = call(money, "listOperations")["operations"]
    assert row2["id"] == row["id"] and row2["outcome"] == "succeeded" and row2["numberId"] == number["id"]
    assert len(posts(fake)) == 1


def test_cancel_before_send_is_a_failure_and_frees_the_key(money, fake):
    fake.seed(twilio=2, twilioNonVoiceEvery=0)
    [twilio] = voice_twilio(fake)
    params = {"sid": twilio["sid"], "idempotencyKey": "cancel-early"}
    fake.fault("delay", delayMs=800, provider="twilio", method="GET")  # the Twilio lookup is slow
    rid = money.start_request("importNumber", params)
    time.sleep(0.2)
    money.notify("$/cancelRequest", {"id": rid})
    assert money.response(rid)["error"]["code"] == -32800
    assert posts(fake) == []
    [row] = call(money, "listOperations")["operations"]
    assert row["outcome"] == "failed" and row["errorKind"] == "cancelled"
    number = call(money, "importNumber", params)
    assert number["number"] == twilio["phone_number"] and len(posts(fake)) == 1


def test_non_voice_numbers_are_refused_before_anything_is_sent(money, fake):
    fake.seed(twilio=12, twilioNonVoiceEvery=3)
    non_voice = [t for t in fake.twilio_numbers() if not t["capabilities"]["voice"]]
    assert non_voice
    target = non_voice[0]
    for params in ({"sid": target["sid"]}, {"phoneNumber": target["phone_number"]}):
        err = error_of(money, "importNumber", params)
        assert err["code"] == 1013 and err["data"]["kind"] == "notVoiceCapable", err
        assert err["data"]["phoneNumber"] == target["phone_number"]
        assert err["data"]["capabilities"]["voice"] is False
        assert target["phone_number"] in err["message"]
    voice = voice_twilio(fake)[0]
    result = call(money, "importNumbers", {"sids": [target["sid"], voice["sid"]]})
    assert [r["ok"] for r in result["results"]] == [False, True]
    assert result["results"][0]["error"]["data"]["kind"] == "notVoiceCapable"
    assert len(posts(fake)) == 1


def test_create_with_fallback_null_has_no_fallback(money, fake):
    absent = call(money, "createNumber", {"areaCode": "415"})
    cleared = call(money, "createNumber", {"areaCode": "415", "fallbackNumber": None})
    bodies = [p["json"] for p in posts(fake)]
    assert bodies[0]["fallbackDestination"] == {"type": "number", "number": "+14155550100"}
    assert "fallbackDestination" not in bodies[1]
    assert "fallbackDestination" in absent and "fallbackDestination" not in cleared


@pytest.mark.parametrize("code", ["123", "011", "199", "41", "4155", "4a5"])
def test_area_codes_follow_nanp(money, fake, code):
    err = error_of(money, "createNumber", {"areaCode": code})
    assert err["code"] == -32602 and err["message"] == "Valid 3-digit area code is required"
    assert err["data"]["field"] == "/areaCode"
    assert posts(fake) == []


def test_update_rows_name_the_fields_changed(money, fake):
    number = call(money, "createNumber", {"areaCode": "415", "name": "Front"})
    call(money, "updateNumber", {"id": number["id"], "name": "Back desk", "fallbackNumber": None})
    row = call(money, "listOperations")["operations"][0]
    assert row["method"] == "updateNumber" and row["outcome"] == "succeeded"
    assert row["detail"] == "Set name; cleared fallbackNumber"
    assert "Back desk" not in row["detail"]


def test_kill_9_before_the_post_was_sent(spawn, money, fake, money_env):
    """The key is stored, the Twilio lookup is still running, nothing was posted: a new process takes
    the dead owner's key over and imports at once (there is nothing to reconcile)."""
    fake.seed(twilio=2, twilioNonVoiceEvery=0)
    [twilio] = voice_twilio(fake)
    params = {"sid": twilio["sid"], "idempotencyKey": "kill-before"}
    fake.fault("delay", delayMs=1500, provider="twilio", method="GET")
    money.start_request("importNumber", params)
    wait_until(lambda: any(r["provider"] == "twilio" for r in fake.requests()), timeout=5)
    money.proc.send_signal(signal.SIGKILL)
    money.proc.wait(5)
    assert posts(fake) == []

    sb = spawn(env=money_env)
    number = call(sb, "importNumber", params)
    assert number["number"] == twilio["phone_number"] and len(posts(fake)) == 1
    assert call(sb, "importNumber", params) == number and len(posts(fake)) == 1
