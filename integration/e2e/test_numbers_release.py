"""deleteNumbers: the typed confirmation, per-id results in order, failures that do not stop the
rest, progress, cancellation that says what was released and what was not, the ledger, no Twilio."""
from __future__ import annotations

import time

from test_numbers_support import call, error_of, expected_number, upstream_requests, wait_until


def deletes(fake):
    return fake.requests(provider="vapi", method="DELETE")


def ids_of(fake, n):
    return [v["id"] for v in fake.vapi_numbers()[:n]]


def test_wrong_confirm_sends_nothing(connected, fake):
    fake.seed(vapi=5)
    ids = ids_of(fake, 3)
    fake.clear_requests()
    for confirm in ("release 2 numbers", "Release 3 numbers", "release 3 numbers ", "release three numbers", "yes", ""):
        err = error_of(connected, "deleteNumbers", {"ids": ids, "confirm": confirm})
        assert err["code"] == -32602 and err["data"]["field"] == "/confirm", confirm
        assert err["data"]["reason"] == 'must be exactly "release 3 numbers"'
    for params, field in [({"ids": [], "confirm": "release 0 numbers"}, "/ids"), ({"ids": ids[:1] * 2, "confirm": "release 2 numbers"}, "/ids/1"),
                          ({"ids": ["nope"], "confirm": "release 1 numbers"}, "/ids/0"), ({"ids": ids}, "/confirm")]:
        err = error_of(connected, "deleteNumbers", params)
        assert err["code"] == -32602 and err["data"]["field"] == field, (params, err)
    assert upstream_requests(fake) == [], "nothing was sent"
    assert len(fake.vapi_numbers()) == 5


def test_a_failure_in_the_middle_never_stops_the_rest(connected, fake):
    fake.seed(twilio=4, imported_fraction=1.0)
    fake.seed(vapi=4)
    state = fake.vapi_numbers()
    twilio_before = fake.twilio_numbers()
    a, b, c = state[0]["id"], state[1]["id"], state[2]["id"]
    gone = "0b7d3c1e-9a4f-4c55-8e21-2f6d9b3a7c40"
    fake.fault("status", provider="vapi", method="DELETE", path=f"/phone-number/{c}", status=500)
    by_id = {v["id"]: v for v in state}
    fake.clear_requests()
    out = call(connected, "deleteNumbers", {"ids": [a, gone, c, b], "confirm": "release 4 numbers"})
    assert [r["id"] for r in out["results"]] == [a, gone, c, b]
    assert [r["ok"] for r in out["results"]] == [True, False, False, True]
    assert out["results"][0]["number"] == expected_number(by_id[a])
    assert out["results"][1]["error"]["data"]["kind"] == "notFound"
    assert out["results"][2]["error"]["data"]["kind"] == "upstream.outcomeUnknown"
    assert (out["released"], out["failed"]) == (2, 2)
    assert [r["path"] for r in deletes(fake)] == [f"/phone-number/{x}" for x in (a, gone, c, b)], "one DELETE each, no retry"
    assert all(r["provider"] == "vapi" for r in upstream_requests(fake)), "Twilio is never called"
    assert fake.twilio_numbers() == twilio_before
    left = {v["id"] for v in fake.vapi_numbers()}
    assert a not in left and b not in left and c in left
    ops = call(connected, "listOperations")["operations"][:4]
    assert [o["method"] for o in ops] == ["deleteNumbers"] * 4
    assert [o["outcome"] for o in reversed(ops)] == ["succeeded", "failed", "unknown", "succeeded"]
    assert ops[-1]["target"] == by_id[a]["number"]


def test_progress_and_partial_results(connected, fake):
    fake.seed(vapi=4)
    ids = ids_of(fake, 3)
    rid = connected.start_request("deleteNumbers", {"ids": ids, "confirm": "release 3 numbers", "workDoneToken": "w",
                                                    "partialResultToken": "p"})
    reply = connected.response(rid)["result"]
    assert reply == {"results": [], "released": 3, "failed": 0}
    assert [i["id"] for page in connected.progress("p") for i in page] == ids
    kinds = [v["kind"] for v in connected.progress("w")]
    assert kinds[0] == "begin" and kinds[-1] == "end" and kinds.count("end") == 1


def test_cancel_says_what_was_released_and_what_was_not(connected, fake):
    fake.seed(vapi=6)
    ids = ids_of(fake, 5)
    fake.fault("delay", provider="vapi", method="DELETE", delayMs=1500, skip=2)
    rid = connected.start_request("deleteNumbers", {"ids": ids, "confirm": "release 5 numbers"})
    wait_until(lambda: len(deletes(fake)) == 3)
    connected.notify("$/cancelRequest", {"id": rid})
    err = connected.response(rid)["error"]
    assert err["code"] == -32800
    assert err["data"]["released"] == ids[:2]
    assert [r["id"] for r in err["data"]["completed"]] == ids[:2]
    assert err["data"]["interrupted"] == ids[2:3]
    assert err["data"]["notAttempted"] == ids[3:]
    time.sleep(1.8)
    assert len(deletes(fake)) == 3, "nothing is sent after the cancel"
    left = {v["id"] for v in fake.vapi_numbers()}
    assert set(ids[3:]) <= left and not (set(ids[:2]) & left)
    ops = call(connected, "listOperations")["operations"]
    assert [o["outcome"] for o in ops[:3]] == ["unknown", "succeeded", "succeeded"]
    assert ops[0]["errorKind"] == "cancelled"
