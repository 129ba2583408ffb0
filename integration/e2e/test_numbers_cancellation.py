"""$/cancelRequest during listNumbers / listTwilio: -32800 promptly, and no page is requested after
the cancel (checked in the fake's recorded requests once the delayed page would have finished)."""
from __future__ import annotations

import time

from test_numbers_support import call, twilio_list_requests, vapi_list_requests, wait_until

DELAY_MS = 1500
TWILIO_LIST = "/IncomingPhoneNumbers.json"


def cancel_and_time(sb, rid):
    started = time.monotonic()
    sb.notify("$/cancelRequest", {"id": rid})
    reply = sb.response(rid, timeout=10)
    return reply, time.monotonic() - started


def test_cancel_list_numbers_during_page_2(connected, fake):
    fake.seed(vapi=3500)
    fake.fault("delay", provider="vapi", method="GET", pathRegex=r"[?&]page=2(&|$)", delayMs=DELAY_MS)
    rid = connected.start_request("listNumbers", {"workDoneToken": "c-nums", "partialResultToken": "c-part"})
    wait_until(lambda: any(r["query"].get("page") == "2" for r in vapi_list_requests(fake)))
    reply, elapsed = cancel_and_time(connected, rid)
    assert reply["error"]["code"] == -32800
    assert elapsed < 1.0, f"cancel took {elapsed:.2f} s"
    kinds = [v["kind"] for v in connected.progress("c-nums")]
    assert kinds.count("begin") == 1 and kinds[-1] == "end" and kinds.count("end") == 1
    partial = connected.progress("c-part")
    assert len(partial) == 1 and len(partial[0]) == 1000, "only page 1 was streamed"
    time.sleep(DELAY_MS / 1000 + 0.5)
    pages = [r["query"]["page"] for r in vapi_list_requests(fake)]
    assert pages == ["1", "2"], f"pages requested after the cancel: {pages}"
    connected.drain(0.2)
    assert connected.progress("c-nums") == [] and connected.progress("c-part") == []
    # the process is fine afterwards
    assert call(connected, "listNumbers")["count"] == 3500


def test_cancel_list_twilio_during_page_2(connected, fake):
    fake.seed(twilio=3500, vapi=10)
    fake.fault("delay", provider="twilio", method="GET", path=f"/2010-04-01/Accounts/{fake.account_sid}/",
               pathRegex=r"PageToken=", delayMs=DELAY_MS)
    rid = connected.start_request("listTwilio", {"workDoneToken": "c-tw"})
    wait_until(lambda: len(twilio_list_requests(fake)) >= 2)
    reply, elapsed = cancel_and_time(connected, rid)
    assert reply["error"]["code"] == -32800
    assert elapsed < 1.0, f"cancel took {elapsed:.2f} s"
    kinds = [v["kind"] for v in connected.progress("c-tw")]
    assert kinds.count("begin") == 1 and kinds[-1] == "end" and kinds.count("end") == 1
    time.sleep(DELAY_MS / 1000 + 0.5)
    assert len(twilio_list_requests(fake)) == 2, "a page was requested after the cancel"
    assert call(connected, "listTwilio")["count"] > 3000


def test_cancel_list_twilio_while_vapi_index_is_loading(connected, fake):
    """The concurrent Vapi walk of listTwilio stops too."""
    fake.seed(twilio=100, vapi=3500)
    fake.fault("delay", provider="vapi", method="GET", pathRegex=r"[?&]page=2(&|$)", delayMs=DELAY_MS)
    rid = connected.start_request("listTwilio")
    wait_until(lambda: any(r["query"].get("page") == "2" for r in vapi_list_requests(fake)))
    reply, elapsed = cancel_and_time(connected, rid)
    assert reply["error"]["code"] == -32800 and elapsed < 1.0
    time.sleep(DELAY_MS / 1000 + 0.5)
    assert [r["query"]["page"] for r in vapi_list_requests(fake)] == ["1", "2"]


def test_cancel_before_the_request_arrives(connected, fake):
    fake.seed(vapi=10)
    connected.notify("$/cancelRequest", {"id": "early-list"})
    connected.start_request("listNumbers", id="early-list")
    reply = connected.response("early-list", timeout=5)
    assert reply["error"]["code"] == -32800
    assert vapi_list_requests(fake) == []


def test_cancel_one_listing_leaves_the_other_running(connected, fake):
    fake.seed(vapi=2500)
    fake.fault("delay", provider="vapi", method="GET", pathRegex=r"[?&]page=2(&|$)", delayMs=800, times=2)
    a = connected.start_request("listNumbers")
    b = connected.start_request("listNumbers")
    wait_until(lambda: sum(r["query"].get("page") == "2" for r in vapi_list_requests(fake)) >= 2)
    connected.notify("$/cancelRequest", {"id": a})
    assert connected.response(a)["error"]["code"] == -32800
    assert connected.response(b, timeout=20)["result"]["count"] == 2500
