"""importNumbers: several SIDs in order, one result each, failures never stop the rest."""
import time

from test_numbers_support import call, error_of, posts, upstream_requests, vapi_list_requests, wait_until


def voice_sids(fake, n):
    return [t["sid"] for t in fake.twilio_numbers() if t["capabilities"]["voice"]][:n]


def test_results_in_order_with_failures_that_do_not_stop_the_rest(connected, fake):
    fake.seed(twilio=10)
    a, b, c = voice_sids(fake, 3)
    call(connected, "importNumber", {"sid": b})
    fake.clear_requests()
    unknown = "PN" + "e" * 32
    out = call(connected, "importNumbers", {"sids": [a, b, unknown, c], "namePrefix": "Acme "})
    assert [r["sid"] for r in out["results"]] == [a, b, unknown, c]
    assert [r["ok"] for r in out["results"]] == [True, False, False, True]
    assert out["results"][1]["error"]["data"]["kind"] == "conflict"
    assert out["results"][2]["error"]["code"] == 1007
    assert (out["imported"], out["failed"]) == (2, 2)
    by_sid = {t["sid"]: t for t in fake.twilio_numbers()}
    assert out["results"][0]["number"]["name"] == ("Acme " + by_sid[a]["friendly_name"])[:40]
    assert len(posts(fake)) == 2
    assert len(vapi_list_requests(fake)) == 1, "the Vapi list is fetched once for the whole batch"
    ops = call(connected, "listOperations")["operations"]
    assert [o["outcome"] for o in ops[:4]] == ["succeeded", "failed", "failed", "succeeded"]


def test_validation_before_any_call(connected, fake):
    fake.seed(twilio=3)
    a = voice_sids(fake, 1)[0]
    fake.clear_requests()
    for params, field in [({"sids": []}, "/sids"), ({"sids": [a, "PN12"]}, "/sids/1"), ({"sids": [a, a]}, "/sids/1"),
                          ({}, "/sids"), ({"sids": [a], "namePrefix": "x" * 40}, "/namePrefix")]:
        err = error_of(connected, "importNumbers", params)
        assert err["code"] == -32602 and err["data"]["field"] == field, (params, err)
    assert upstream_requests(fake) == []


def test_progress_and_partial_results(connected, fake):
    fake.seed(twilio=6)
    sids = voice_sids(fake, 3)
    rid = connected.start_request("importNumbers", {"sids": sids, "workDoneToken": "w", "partialResultToken": "p"})
    reply = connected.response(rid)["result"]
    assert reply["results"] == [] and reply["imported"] == 3
    kinds = [v["kind"] for v in connected.progress("w")]
    assert kinds[0] == "begin" and kinds[-1] == "end" and kinds.count("end") == 1
    streamed = [item for page in connected.progress("p") for item in page]
    assert [i["sid"] for i in streamed] == sids and all(i["ok"] for i in streamed)


def test_cancel_reports_what_was_done_and_what_was_not(connected, fake):
    fake.seed(twilio=8)
    sids = voice_sids(fake, 4)
    fake.fault("delay", provider="vapi", method="POST", delayMs=1500, skip=1)
    rid = connected.start_request("importNumbers", {"sids": sids})
    wait_until(lambda: len(posts(fake)) == 2)
    connected.notify("$/cancelRequest", {"id": rid})
    err = connected.response(rid)["error"]
    assert err["code"] == -32800
    assert [r["sid"] for r in err["data"]["completed"]] == sids[:1]
    assert err["data"]["interrupted"] == sids[1:2]  # its POST was in flight: outcome unknown
    assert err["data"]["notAttempted"] == sids[2:]
    time.sleep(0.3)
    assert len(posts(fake)) == 2, "nothing is sent after the cancel"


def test_batch_idempotency_key_makes_a_retry_safe(spawn, connected, fake, upstream_env):
    fake.seed(twilio=6)
    sids = voice_sids(fake, 3)
    first = call(connected, "importNumbers", {"sids": sids, "idempotencyKey": "batch-1"})
    connected.stop()
    again = spawn(env=upstream_env)
    second = call(again, "importNumbers", {"sids": sids, "idempotencyKey": "batch-1"})
    assert second == first and len(posts(fake)) == 3
