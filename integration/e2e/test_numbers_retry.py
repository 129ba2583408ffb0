"""Retry policy seen from the fake's recorded requests: reads are retried after 429 (honouring
Retry-After), 5xx and resets; writes are retried after 429 only, never once they may have been processed."""
from __future__ import annotations

import time

from test_numbers_support import call, error_of, expected_twilio, posts, twilio_list_requests, vapi_by_id, vapi_list_requests


def test_get_retried_after_429_with_retry_after_zero(connected, fake):
    fake.seed(vapi=20)
    fake.fault("status", provider="vapi", method="GET", status=429, retryAfter="0", times=2)
    assert call(connected, "listNumbers")["count"] == 20
    reqs = vapi_list_requests(fake)
    assert [r["status"] for r in reqs] == [429, 429, 200]
    assert all(r["query"]["page"] == "1" for r in reqs)


def test_get_honours_retry_after_one_second(connected, fake):
    fake.seed(vapi=5)
    fake.fault("status", provider="vapi", method="GET", status=429, retryAfter="1", times=1)
    started = time.monotonic()
    assert call(connected, "listNumbers")["count"] == 5
    assert time.monotonic() - started >= 0.9
    first, second = vapi_list_requests(fake)
    assert second["time"] - first["time"] >= 0.9


def test_get_retried_after_500_then_succeeds(connected, fake):
    fake.seed(vapi=1500)
    fake.fault("status", provider="vapi", method="GET", status=500, times=2, pathRegex=r"[?&]page=2(&|$)")
    result = call(connected, "listNumbers")
    ids = [n["id"] for n in result["numbers"]]
    assert len(ids) == len(set(ids)) == 1500
    statuses = [(r["query"]["page"], r["status"]) for r in vapi_list_requests(fake)]
    assert statuses == [("1", 200), ("2", 500), ("2", 500), ("2", 200)]


def test_get_retried_after_reset_and_garbage(connected, fake):
    fake.seed(vapi=1200)
    fake.fault("reset", provider="vapi", method="GET", pathRegex=r"[?&]page=2(&|$)")
    fake.fault("garbage", provider="vapi", method="GET", pathRegex=r"[?&]page=2(&|$)")
    result = call(connected, "listNumbers")
    assert result["count"] == 1200 and len({n["id"] for n in result["numbers"]}) == 1200
    page2 = [r for r in vapi_list_requests(fake) if r["query"]["page"] == "2"]
    assert [r["fault"] for r in page2][-1] is None and page2[-1]["status"] == 200
    assert {"reset", "garbage"} <= {r["fault"] for r in page2}


def test_twilio_page_retried_after_429(connected, fake):
    fake.seed(twilio=2500, vapi=10)
    fake.fault("status", provider="twilio", method="GET", status=429, retryAfter="0", times=1, skip=1,
               path=f"/2010-04-01/Accounts/{fake.account_sid}/IncomingPhoneNumbers.json")
    result = call(connected, "listTwilio")
    assert result["numbers"] == expected_twilio(fake)
    statuses = [r["status"] for r in twilio_list_requests(fake)]
    assert statuses == [200, 429, 200, 200]
    # the retried page is the same page (same PageToken), not a skipped one
    reqs = twilio_list_requests(fake)
    assert reqs[1]["target"] == reqs[2]["target"]


def test_twilio_sid_lookup_retried_after_503(connected, fake):
    fake.seed(twilio=3)
    target = next(t for t in fake.twilio_numbers() if t["capabilities"]["voice"])
    fake.fault("status", provider="twilio", method="GET", status=503, times=1)
    number = call(connected, "importNumber", {"sid": target["sid"]})
    assert number["number"] == target["phone_number"]
    assert len(posts(fake)) == 1


def test_post_not_retried_after_lost_reply(connected, fake):
    fake.fault("lose_reply", provider="vapi", method="POST")
    err = error_of(connected, "createNumber", {"areaCode": "415"})
    assert err["code"] == 1006
    time.sleep(0.3)
    assert len(posts(fake)) == 1
    assert len(vapi_by_id(fake)) == 1


def test_post_retried_after_429(connected, fake):
    fake.fault("status", provider="vapi", method="POST", status=429, retryAfter="0", times=1)
    number = call(connected, "createNumber", {"areaCode": "415", "name": "After 429"})
    reqs = posts(fake)
    assert [r["status"] for r in reqs] == [429, 201]
    assert reqs[0]["json"] == reqs[1]["json"]
    assert list(vapi_by_id(fake)) == [number["id"]], "exactly one number bought"


def test_import_post_retried_after_429(connected, fake):
    fake.seed(twilio=3)
    target = next(t for t in fake.twilio_numbers() if t["capabilities"]["voice"])
    fake.fault("status", provider="vapi", method="POST", status=429, retryAfter="0", times=2)
    number = call(connected, "importNumber", {"phoneNumber": target["phone_number"]})
    assert [r["status"] for r in posts(fake)] == [429, 429, 201]
    assert list(vapi_by_id(fake)) == [number["id"]]


def test_post_429_exhausted_is_rate_limited(connected, fake):
    fake.fault("status", provider="vapi", method="POST", status=429, retryAfter="0", times=None)
    err = error_of(connected, "createNumber", {"areaCode": "415"})
    assert err["code"] == 1005 and err["data"]["provider"] == "vapi"
    assert len(posts(fake)) == 4
    assert vapi_by_id(fake) == {}


def test_post_not_retried_after_503(connected, fake):
    fake.fault("status", provider="vapi", method="POST", status=503, times=1)
    err = error_of(connected, "createNumber", {"areaCode": "415"})
    assert err["code"] in (1003, 1006), err
    assert len(posts(fake)) == 1
