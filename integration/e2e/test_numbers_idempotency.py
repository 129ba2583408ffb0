"""idempotencyKey on createNumber / importNumber: the same key returns the first outcome (in the same
process, after a restart, after a lost reply) and never buys twice."""
from __future__ import annotations

import time

from test_numbers_support import call, create_directly, creds, error_of, expected_number, posts, vapi_by_id, wait_until


def restart(spawn, sb, env):
    """Stops `sb` and starts a new process on the same home."""
    sb.stop()
    assert sb.proc.returncode == 0
    return spawn(env=env)


def voice_number(fake):
    return next(t for t in fake.twilio_numbers() if t["capabilities"]["voice"])


def test_same_key_twice_returns_the_same_number_without_a_second_post(connected, fake):
    params = {"areaCode": "415", "name": "Sales", "idempotencyKey": "create-415-a"}
    first = call(connected, "createNumber", params)
    second = call(connected, "createNumber", params)
    assert second == first
    assert len(posts(fake)) == 1 and list(vapi_by_id(fake)) == [first["id"]]
    # a different key is a different purchase
    third = call(connected, "createNumber", {**params, "idempotencyKey": "create-415-b"})
    assert third["id"] != first["id"] and len(posts(fake)) == 2


def test_same_key_with_different_params_is_invalid(connected, fake):
    call(connected, "createNumber", {"areaCode": "415", "name": "Sales", "idempotencyKey": "k-diff"})
    for params in ({"areaCode": "628", "name": "Sales"}, {"areaCode": "415", "name": "Support"},
                   {"areaCode": "415"}, {"areaCode": "415", "name": "Sales", "fallbackNumber": "+14155550111"}):
        err = error_of(connected, "createNumber", {**params, "idempotencyKey": "k-diff"})
        assert err["code"] == -32602, (params, err)
        assert err["data"]["field"] == "/idempotencyKey"
    # the key belongs to createNumber: importNumber with it is a different operation
    fake.seed(twilio=2)
    err = error_of(connected, "importNumber", {"sid": voice_number(fake)["sid"], "idempotencyKey": "k-diff"})
    assert err["code"] == -32602 and err["data"]["field"] == "/idempotencyKey"
    assert len(posts(fake)) == 1


def test_same_key_after_restart(spawn, connected, fake, upstream_env):
    params = {"areaCode": "510", "idempotencyKey": "restart-key"}
    first = call(connected, "createNumber", params)
    sb = restart(spawn, connected, upstream_env)
    assert call(sb, "createNumber", params) == first
    err = error_of(sb, "createNumber", {"areaCode": "511", "idempotencyKey": "restart-key"})
    assert err["code"] == -32602 and err["data"]["field"] == "/idempotencyKey"
    assert len(posts(fake)) == 1


def test_lost_reply_then_retry_in_a_new_process_reconciles(spawn, connected, fake, upstream_env):
    fake.seed(vapi=1500)   # the reconciling walk has to go past page 1
    params = {"areaCode": "415", "name": "Front desk", "idempotencyKey": "lost-1"}
    fake.fault("lose_reply", provider="vapi", method="POST")
    err = error_of(connected, "createNumber", params)
    assert err["code"] == 1006
    [post] = posts(fake)
    created = [v for v in fake.state()["vapi"] if v.get("name") == "Front desk"]
    assert len(created) == 1, "the fake did create the number before losing the reply"

    sb = restart(spawn, connected, upstream_env)
    number = call(sb, "createNumber", params)
    assert number == expected_number(created[0])
    assert len(posts(fake)) == 1, "the retry must not buy a second number"
    assert call(sb, "createNumber", params) == number
    assert len(posts(fake)) == 1
    ops = call(sb, "listOperations")["operations"]
    assert ops[0]["outcome"] == "succeeded" and ops[0]["numberId"] == number["id"]


def test_lost_reply_then_retry_in_the_same_process_reconciles(connected, fake):
    params = {"areaCode": "628", "idempotencyKey": "lost-same"}
    fake.fault("lose_reply", provider="vapi", method="POST")
    assert error_of(connected, "createNumber", params)["code"] == 1006
    [created] = fake.state()["vapi"]
    number = call(connected, "createNumber", params)
    assert number["id"] == created["id"]
    assert len(posts(fake)) == 1


def test_lost_reply_reconcile_does_not_claim_another_keys_number(spawn, connected, fake, upstream_env):
    """Two purchases in the same area code, no name: the retried key must get the number IT bought,
    not the one bought a moment earlier under another key."""
    other = call(connected, "createNumber", {"areaCode": "415", "idempotencyKey": "other-key"})
    time.sleep(0.05)
    fake.fault("lose_reply", provider="vapi", method="POST")
    assert error_of(connected, "createNumber", {"areaCode": "415", "idempotencyKey": "mine"})["code"] == 1006
    mine = [v for v in fake.state()["vapi"] if v["id"] != other["id"]]
    assert len(mine) == 1
    sb = restart(spawn, connected, upstream_env)
    number = call(sb, "createNumber", {"areaCode": "415", "idempotencyKey": "mine"})
    assert number["id"] == mine[0]["id"], (
        f"reconciliation returned {number['id']} (bought under 'other-key') instead of {mine[0]['id']}")
    assert len(posts(fake)) == 2


def test_lost_reply_reconcile_ignores_a_number_bought_by_another_client(spawn, connected, fake, upstream_env):
    """Someone else (the dashboard, another machine) bought a number in the same area code a moment
    before: the retried key must still get the number it bought itself."""
    outside = create_directly(fake, "415")
    time.sleep(0.05)
    fake.fault("lose_reply", provider="vapi", method="POST")
    assert error_of(connected, "createNumber", {"areaCode": "415", "idempotencyKey": "mine-2"})["code"] == 1006
    mine = [v for v in fake.state()["vapi"] if v["id"] != outside["id"]]
    assert len(mine) == 1
    sb = restart(spawn, connected, upstream_env)
    number = call(sb, "createNumber", {"areaCode": "415", "idempotencyKey": "mine-2"})
    assert number["id"] == mine[0]["id"], (
        f"reconciliation returned {number['id']} (bought by another client before this attempt) "
        f"instead of {mine[0]['id']}")


def settled_process(spawn, fake, upstream_env):
    """A process with the shortest settle window: asked for 0, it is still the deadline (1 s) + 1 s."""
    sb = spawn(env={**upstream_env, "SWITCHBOARD_IDEMPOTENCY_SETTLE_MS": "0", "SWITCHBOARD_HTTP_TIMEOUT_MS": "1000"})
    sb.call("setCredentials", creds(fake))
    return sb


def test_lost_reply_then_nothing_found_buys_once_more(spawn, fake, upstream_env):
    """The POST never got processed (reset without performing): once the settle window has passed,
    the retry with the key posts again, once."""
    sb = settled_process(spawn, fake, upstream_env)
    params = {"areaCode": "650", "idempotencyKey": "not-processed"}
    fake.fault("reset", provider="vapi", method="POST")
    assert error_of(sb, "createNumber", params)["code"] == 1006
    assert vapi_by_id(fake) == {}
    early = error_of(sb, "createNumber", params)
    assert early["code"] == 1006 and 1000 < early["data"]["retryAfterMs"] <= 2000, early
    assert len(posts(fake)) == 1
    time.sleep(early["data"]["retryAfterMs"] / 1000 + 0.05)
    number = call(sb, "createNumber", params)
    assert len(posts(fake)) == 2 and list(vapi_by_id(fake)) == [number["id"]]
    assert call(sb, "createNumber", params) == number
    assert len(posts(fake)) == 2


def test_unresolved_write_is_not_resent_within_the_settle_window(connected, fake):
    """Right after a lost POST that left nothing visible, a retry does not post again (Vapi may still
    be processing the first one): it answers upstream.outcomeUnknown with retryAfterMs."""
    params = {"areaCode": "650", "idempotencyKey": "settling"}
    fake.fault("reset", provider="vapi", method="POST")
    assert error_of(connected, "createNumber", params)["code"] == 1006
    err = error_of(connected, "createNumber", params)
    assert err["code"] == 1006 and err["data"]["kind"] == "upstream.outcomeUnknown"
    # The default window: 60 s from the end of the attempt.
    assert 55000 < err["data"]["retryAfterMs"] <= 60000
    assert len(posts(fake)) == 1


def test_crash_mid_post_then_retry_returns_the_number_without_a_second_post(spawn, connected, fake, upstream_env):
    """The process is killed while its POST is in flight (Vapi creates the number a moment later):
    a new process retrying the key at once is told to wait (the dead owner is detected, nothing is
    re-sent); once the number exists, the retry returns it. Exactly one POST in all."""
    params = {"areaCode": "628", "name": "Crash", "idempotencyKey": "crash-1"}
    fake.fault("delay", provider="vapi", method="POST", delayMs=1500)
    connected.start_request("createNumber", params)
    assert wait_until(lambda: len(posts(fake)) == 1)
    connected.proc.kill()
    connected.proc.wait()
    sb = spawn(env=upstream_env)
    early = error_of(sb, "createNumber", params)
    assert early["code"] == 1006 and early["data"]["retryAfterMs"] > 0, early
    assert wait_until(lambda: len(vapi_by_id(fake)) == 1, timeout=10)
    number = call(sb, "createNumber", params)
    assert number["id"] == next(iter(vapi_by_id(fake))) and number["name"] == "Crash"
    assert call(sb, "createNumber", params) == number
    assert len(posts(fake)) == 1
    ops = call(sb, "listOperations")["operations"]
    assert ops[0]["outcome"] == "succeeded" and ops[0]["numberId"] == number["id"]


def test_key_held_by_a_live_process_is_in_progress_for_another(spawn, connected, fake, upstream_env):
    """Two processes on one store: while the first is still posting, the second gets conflict/inProgress."""
    params = {"areaCode": "415", "idempotencyKey": "shared-key"}
    fake.fault("delay", provider="vapi", method="POST", delayMs=1500)
    rid = connected.start_request("createNumber", params)
    assert wait_until(lambda: len(posts(fake)) == 1)
    other = spawn(env=upstream_env)
    err = error_of(other, "createNumber", params)
    assert err["code"] == 1008 and err["data"]["reason"] == "inProgress"
    first = connected.response(rid)["result"]
    assert call(other, "createNumber", params) == first
    assert len(posts(fake)) == 1


def test_stored_failure_is_replayed(spawn, connected, fake, upstream_env):
    params = {"areaCode": "999", "idempotencyKey": "bad-area"}
    first = error_of(connected, "createNumber", params)
    assert first["code"] == 1003
    assert error_of(connected, "createNumber", params) == first
    sb = restart(spawn, connected, upstream_env)
    assert error_of(sb, "createNumber", params) == first
    assert len(posts(fake)) == 1


def test_rate_limited_failure_releases_the_key(connected, fake):
    fake.fault("status", provider="vapi", method="POST", status=429, retryAfter="0", times=4)
    params = {"areaCode": "415", "idempotencyKey": "after-429"}
    assert error_of(connected, "createNumber", params)["code"] == 1005
    number = call(connected, "createNumber", params)
    assert list(vapi_by_id(fake)) == [number["id"]]


def test_concurrent_use_of_a_key_in_progress_is_conflict(connected, fake):
    fake.fault("delay", provider="vapi", method="POST", delayMs=800)
    params = {"areaCode": "415", "idempotencyKey": "busy"}
    first = connected.start_request("createNumber", params)
    time.sleep(0.3)
    err = error_of(connected, "createNumber", params)
    assert err["code"] == 1008
    assert err["data"]["kind"] == "conflict" and err["data"].get("resource") == "idempotencyKey"
    assert "result" in connected.response(first)
    assert len(posts(fake)) == 1


def test_import_with_key_twice_returns_the_import_not_a_conflict(spawn, connected, fake, upstream_env):
    fake.seed(twilio=4)
    params = {"sid": voice_number(fake)["sid"], "name": "Main", "idempotencyKey": "imp-1"}
    first = call(connected, "importNumber", params)
    assert call(connected, "importNumber", params) == first
    sb = restart(spawn, connected, upstream_env)
    assert call(sb, "importNumber", params) == first
    assert len(posts(fake)) == 1
    # without the key, the same import is a conflict
    err = error_of(sb, "importNumber", {"sid": params["sid"]})
    assert err["code"] == 1008 and err["data"]["vapiId"] == first["id"]


def test_import_lost_reply_then_retry_with_key_reconciles(spawn, connected, fake, upstream_env):
    fake.seed(twilio=4, vapi=20)
    target = voice_number(fake)
    params = {"phoneNumber": target["phone_number"], "idempotencyKey": "imp-lost"}
    fake.fault("lose_reply", provider="vapi", method="POST")
    assert error_of(connected, "importNumber", params)["code"] == 1006
    sb = restart(spawn, connected, upstream_env)
    number = call(sb, "importNumber", params)
    assert number["number"] == target["phone_number"] and number["provider"] == "twilio"
    assert len(posts(fake)) == 1
    assert "twilioAuthToken" not in number


def test_keys_are_per_profile(connected, fake):
    call(connected, "setCredentials", {"profile": "second", **creds(fake)})
    a = call(connected, "createNumber", {"areaCode": "415", "idempotencyKey": "shared"})
    b = call(connected, "createNumber", {"profile": "second", "areaCode": "415", "idempotencyKey": "shared"})
    assert a["id"] != b["id"] and len(posts(fake)) == 2
    assert call(connected, "deleteProfile", {"profile": "second"})["deleted"] is True
    call(connected, "setCredentials", {"profile": "second", **creds(fake)})
    c = call(connected, "createNumber", {"profile": "second", "areaCode": "415", "idempotencyKey": "shared"})
    assert c["id"] not in (a["id"], b["id"]), "deleteProfile removes the profile's idempotency records"
    assert len(posts(fake)) == 3
