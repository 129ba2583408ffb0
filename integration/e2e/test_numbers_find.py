"""getNumber {number} (exact match among Vapi's partial `search` results) and listNumbers filters
(`search` upstream, the others locally), against the fake."""
from __future__ import annotations

from test_numbers_support import (VAPI_LIST, call, check_number_shape, error_of, expected_number, upstream_requests,
                                  vapi_list_requests)

TARGET = "+14155550123"
NEAR = [
    {"number": "+141555501234", "name": "longer"},          # the digits, then one more
    {"number": "+14155550124", "name": "neighbour"},        # one digit off: not a search hit
    {"number": "+16505550199", "name": "ops 14155550123"},  # the digits in its name
    {"number": "+34155550123", "name": "other country"},    # a suffix of the digits
]


def seed_near_matches(fake):
    fake.seed(vapi=[{"number": TARGET, "name": "target"}, *NEAR])
    fake.seed(vapi=40)


def test_get_number_by_e164_keeps_only_the_exact_match(connected, fake):
    seed_near_matches(fake)
    target = next(v for v in fake.vapi_numbers() if v["number"] == TARGET)
    fake.clear_requests()
    got = call(connected, "getNumber", {"number": TARGET})
    check_number_shape(got)
    assert got == expected_number(target)
    reqs = upstream_requests(fake)
    assert len(reqs) == 1 and reqs[0]["path"] == VAPI_LIST
    assert reqs[0]["query"]["search"] == "14155550123", "searched on the digits, without +"
    # The same search answered more than one number: the others were near matches, not results.
    assert sum(1 for v in fake.vapi_numbers() if "14155550123" in (v.get("number") or "") + (v.get("name") or "")) == 3


def test_get_number_by_e164_not_found_among_near_matches(connected, fake):
    seed_near_matches(fake)
    for number in ("+1415555012", "+14155550125"):
        err = error_of(connected, "getNumber", {"number": number})
        assert err["code"] == 1007 and err["data"]["kind"] == "notFound" and err["data"]["resource"] == "phoneNumber"
        assert number not in err["message"]


def test_get_number_by_e164_walks_pages_until_found(connected, fake):
    # 1200 numbers all containing the digits in their name; the exact one is the oldest.
    fake.seed(vapi=[{"name": f"x 14155550123 {i}"} for i in range(1200)])
    fake.seed(vapi=[{"number": TARGET, "name": "exact"}])  # later seeds are older
    assert fake.vapi_numbers()[-1]["number"] == TARGET
    fake.clear_requests()
    got = call(connected, "getNumber", {"number": TARGET})
    assert got["number"] == TARGET
    assert [r["query"]["page"] for r in vapi_list_requests(fake)] == ["1", "2"]


def test_get_number_params(connected, fake):
    fake.seed(vapi=2)
    fake.clear_requests()
    uuid = fake.vapi_numbers()[0]["id"]
    for params, field in [({}, "/id"), ({"id": uuid, "number": TARGET}, ""), ({"number": "4155550123"}, "/number"),
                          ({"number": "+0123"}, "/number"), ({"id": "nope"}, "/id")]:
        err = error_of(connected, "getNumber", params)
        assert err["code"] == -32602 and err["data"]["field"] == field, (params, err)
    assert upstream_requests(fake) == []
    assert call(connected, "getNumber", {"id": uuid})["id"] == uuid


FILTER_SEED = [
    {"provider": "vapi", "number": "+14155550001", "name": "Sales", "status": "active", "assistantId": "asst-1"},
    {"provider": "vapi", "number": "+16285550002", "name": "Support", "status": "activating", "assistantId": "asst-2"},
    {"provider": "vapi", "name": "Pending SF", "status": "activating", "numberDesiredAreaCode": "415", "number": None},
    {"provider": "vapi", "number": "+12125550004", "name": "NY desk", "status": "blocked", "assistantId": "asst-1"},
    {"provider": "vapi", "number": "+14155550005", "sipUri": "sip:sales-west@sip.vapi.ai", "status": "active"},
]


def listed(sb, **params):
    return call(sb, "listNumbers", params)


def matching(fake, pred):
    return [expected_number(v) for v in fake.vapi_numbers() if pred(v)]


def test_each_filter(connected, fake):
    fake.seed(vapi=FILTER_SEED)
    fake.seed(twilio=6, imported_fraction=1.0)
    assert any(v["provider"] == "twilio" for v in fake.vapi_numbers())
    cases = [
        ({"search": "sales"}, lambda v: "sales" in " ".join(str(v.get(k) or "") for k in ("name", "number", "sipUri")).lower()),
        ({"provider": "twilio"}, lambda v: v["provider"] == "twilio"),
        ({"provider": "vonage"}, lambda v: False),
        ({"status": "activating"}, lambda v: v.get("status") == "activating"),
        ({"assistantId": "asst-1"}, lambda v: v.get("assistantId") == "asst-1"),
        ({"areaCode": "415"}, lambda v: (v.get("number") or "").startswith("+1415")
            or (not v.get("number") and v.get("numberDesiredAreaCode") == "415")),
        ({"areaCode": "415", "status": "active", "provider": "vapi"},
            lambda v: (v.get("number") or "").startswith("+1415") and v.get("status") == "active" and v["provider"] == "vapi"),
    ]
    for params, pred in cases:
        fake.clear_requests()
        out = listed(connected, **params)
        want = matching(fake, pred)
        assert out["numbers"] == want and out["count"] == len(want), params
        reqs = vapi_list_requests(fake)
        assert len(reqs) == 1
        if "search" in params:
            assert reqs[0]["query"]["search"] == params["search"], "search runs upstream"
        else:
            assert "search" not in reqs[0]["query"], "local filters are not sent"
    assert len(listed(connected, areaCode="415")["numbers"]) >= 3


def test_filters_with_progress_and_partial_results_over_pages(connected, fake):
    fake.seed(vapi=2300)
    twilio_like = [v for v in fake.vapi_numbers() if (v.get("number") or "").startswith("+1415")]
    rid = connected.start_request("listNumbers", {"areaCode": "415", "workDoneToken": "w", "partialResultToken": "p"})
    reply = connected.response(rid, timeout=30)["result"]
    assert reply["numbers"] == [] and reply["count"] == len(twilio_like)
    streamed = [n for page in connected.progress("p") for n in page]
    assert [n["id"] for n in streamed] == [v["id"] for v in twilio_like]
    work = connected.progress("w")
    assert work[0]["kind"] == "begin" and work[-1]["kind"] == "end"
    assert any("match" in (v.get("message") or "") for v in work if v["kind"] == "report")


def test_filter_params_rejected_before_any_call(connected, fake):
    fake.clear_requests()
    for params, field in [({"search": ""}, "/search"), ({"search": "x" * 101}, "/search"), ({"provider": "plivo"}, "/provider"),
                          ({"areaCode": "123"}, "/areaCode"), ({"status": "gone"}, "/status"), ({"assistantId": ""}, "/assistantId")]:
        err = error_of(connected, "listNumbers", params)
        assert err["code"] == -32602 and err["data"]["field"] == field, (params, err)
    assert upstream_requests(fake) == []


def test_import_conflict_check_is_one_exact_lookup_not_a_full_listing(connected, fake):
    fake.seed(vapi=2500, twilio=10, imported_fraction=0.5)
    in_vapi = {v.get("number") for v in fake.vapi_numbers()}
    voice = [t for t in fake.twilio_numbers() if t["capabilities"]["voice"]]
    imported = next(t for t in voice if t["phone_number"] in in_vapi)
    fresh = next(t for t in voice if t["phone_number"] not in in_vapi)
    fake.clear_requests()
    err = error_of(connected, "importNumber", {"sid": imported["sid"]})
    assert err["code"] == 1008 and err["data"]["vapiId"]
    reqs = vapi_list_requests(fake)
    assert len(reqs) == 1 and reqs[0]["query"]["search"] == imported["phone_number"].lstrip("+")
    fake.clear_requests()
    assert call(connected, "importNumber", {"sid": fresh["sid"]})["number"] == fresh["phone_number"]
    assert [r["query"].get("search") for r in vapi_list_requests(fake)] == [fresh["phone_number"].lstrip("+")]
