"""getUsage against the fake's `/call`: totals checked against the seeded calls (schema-odd objects
included), a window that needs splitting, incremental refresh that makes only the requests it needs,
the cache, progress, cancellation and `usage.*` errors."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from test_numbers_support import call, error_of, upstream_requests, wait_until

DAY = 86_400_000


def call_requests(fake):
    return fake.requests(provider="vapi", method="GET", path="/call")


def now_ms():
    return int(time.time() * 1000)


def iso_from_ms(value: int) -> str:
    return datetime.fromtimestamp(value / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value % 1000:03d}Z"


def ms(iso):
    """Milliseconds for an ISO 8601 date-time string, or None when it is not one."""
    if not isinstance(iso, str):
        return None
    try:
        parsed = datetime.fromisoformat(iso.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return int(parsed.timestamp() * 1000 + 0.5) if parsed.microsecond % 1000 == 0 else int(parsed.timestamp() * 1000)


def expected(fake, pid, since, until):
    """The usage the rules of protocol.md give for the fake's raw call objects."""
    out = {"calls": 0, "inbound": 0, "outbound": 0, "notEnded": 0, "seconds": 0.0, "cost": 0.0, "last": None,
           "unreadable": 0}
    for c in fake.calls(pid):
        if not isinstance(c, dict) or not isinstance(c.get("id"), str) or ms(c.get("createdAt")) is None:
            out["unreadable"] += 1
            continue
        created = ms(c["createdAt"])
        if not since <= created < until:
            continue
        out["calls"] += 1
        out["inbound"] += c.get("type") == "inboundPhoneCall"
        out["outbound"] += c.get("type") == "outboundPhoneCall"
        out["notEnded"] += c.get("status") != "ended"
        started, ended = ms(c.get("startedAt")), ms(c.get("endedAt"))
        if started is not None and ended is not None:
            out["seconds"] += max(0, ended - started) / 1000
        cost = c.get("cost")
        if isinstance(cost, (int, float)) and not isinstance(cost, bool):
            out["cost"] += cost
        out["last"] = created if out["last"] is None else max(out["last"], created)
    return out


def check(item, want):
    assert item["calls"] == want["calls"]
    assert (item["inbound"], item["outbound"], item["notEnded"]) == (want["inbound"], want["outbound"], want["notEnded"])
    assert abs(item["minutes"] - want["seconds"] / 60) < 0.002
    assert abs(item["costUsd"] - want["cost"]) < 1e-5
    assert (ms(item["lastCallAt"]) if "lastCallAt" in item else None) == want["last"]


def window(days_back=30, ahead_ms=60_000):
    n = now_ms()
    return n - days_back * DAY, n + ahead_ms


def test_totals_match_the_seeded_calls_including_odd_objects(connected, fake):
    fake.seed(vapi=3)
    a, b, c = [v["id"] for v in fake.vapi_numbers()]
    since, until = window()
    fake.seed_calls(a, 300, since=iso_from_ms(since), until=iso_from_ms(now_ms()), odd_every=7)
    fake.seed_calls(b, 40, since=iso_from_ms(since - 10 * DAY), until=iso_from_ms(now_ms()))  # some before the window
    fake.clear_requests()
    out = call(connected, "getUsage", {"ids": [a, b, c], "since": iso_from_ms(since), "until": iso_from_ms(until)})
    assert [u["id"] for u in out["usage"]] == [a, b, c]
    assert ms(out["since"]) == since and ms(out["until"]) == until
    for item, pid in zip(out["usage"], (a, b, c)):
        want = expected(fake, pid, since, until)
        check(item, want)
        assert ms(item["since"]) == since and ms(item["until"]) == until and item["fromCache"] is False
    wa = expected(fake, a, since, until)
    assert wa["unreadable"] > 0 and out["usage"][0]["unreadableCalls"] == wa["unreadable"]
    assert out["usage"][2]["calls"] == 0 and "lastCallAt" not in out["usage"][2]
    assert 0 < out["usage"][1]["calls"] < 40, "calls before the window are not counted"
    reqs = call_requests(fake)
    assert len(reqs) == 3 == out["requests"]
    for r in reqs:
        assert r["query"]["limit"] == "1000" and set(r["query"]) == {"phoneNumberId", "limit", "createdAtGe", "createdAtLt"}
    assert all(r["path"] == "/call" for r in upstream_requests(fake))


def test_a_full_page_splits_the_window(connected, fake):
    fake.seed(vapi=1)
    pid = fake.vapi_numbers()[0]["id"]
    since, until = window()
    fake.seed_calls(pid, 2600, since=iso_from_ms(since), until=iso_from_ms(now_ms()), odd_every=50, same_instant=5)
    fake.clear_requests()
    out = call(connected, "getUsage", {"ids": [pid], "since": iso_from_ms(since), "until": iso_from_ms(until)}, timeout=60)
    check(out["usage"][0], expected(fake, pid, since, until))
    assert out["usage"][0]["calls"] > 2500
    reqs = call_requests(fake)
    assert out["requests"] == len(reqs) >= 5
    windows = [(ms(r["query"]["createdAtGe"]), ms(r["query"]["createdAtLt"])) for r in reqs]
    assert windows[0] == (since, until)
    mid = since + (until - since) // 2
    assert windows[1] == (since, mid), "the full window was split in two halves"


def test_incremental_refresh_makes_only_the_requests_it_needs(connected, fake):
    fake.seed(vapi=2)
    a, b = [v["id"] for v in fake.vapi_numbers()]
    since = now_ms() - 20 * DAY
    for pid in (a, b):
        fake.seed_calls(pid, 120, since=iso_from_ms(since), until=iso_from_ms(now_ms() - 1000))
    first = call(connected, "getUsage", {"ids": [a, b], "since": iso_from_ms(since)})
    first_until = ms(first["until"])
    for item, pid in zip(first["usage"], (a, b)):
        check(item, expected(fake, pid, since, first_until))
    # Upstream changes: a call of `a` that was in progress ends (with a cost), and a new call arrives on `b`.
    running = next((c for c in fake.calls(a) if c.get("status") != "ended"), None) or fake.calls(a)[5]
    end = ms(running["startedAt"]) + 600_000
    time.sleep(0.01)
    fake.update_call(running["id"], status="ended", endedAt=iso_from_ms(end), cost=3.25)
    fake.seed_calls(b, 0, calls=[{"createdAt": iso_from_ms(now_ms()), "type": "outboundPhoneCall", "cost": 1.5}])
    time.sleep(0.01)
    fake.clear_requests()
    second = call(connected, "getUsage", {"ids": [a, b], "since": iso_from_ms(since)})
    until = ms(second["until"])
    for item, pid in zip(second["usage"], (a, b)):
        check(item, expected(fake, pid, since, until))
        assert item["requests"] == 1 and item["fromCache"] is False
    assert second["usage"][1]["calls"] == first["usage"][1]["calls"] + 1
    reqs = call_requests(fake)
    assert len(reqs) == 2, "one request per number"
    for r in reqs:
        assert "updatedAtGt" in r["query"], "only calls changed since the last sync"
        assert ms(r["query"]["createdAtLt"]) == until
    # Fresh enough: nothing is asked at all, and a narrower window is answered from the cache.
    fake.clear_requests()
    cached = call(connected, "getUsage", {"ids": [a, b], "since": iso_from_ms(since), "until": iso_from_ms(until),
                                          "maxAgeSeconds": 600})
    assert call_requests(fake) == [] and cached["requests"] == 0
    assert all(u["fromCache"] for u in cached["usage"])
    assert [u["calls"] for u in cached["usage"]] == [u["calls"] for u in second["usage"]]
    narrow = (since + 5 * DAY, until - 5 * DAY)
    part = call(connected, "getUsage", {"ids": [a], "since": iso_from_ms(narrow[0]), "until": iso_from_ms(narrow[1]),
                                        "maxAgeSeconds": 600})
    assert call_requests(fake) == []
    check(part["usage"][0], expected(fake, a, *narrow))
    # A window reaching further back asks only for the part the cache lacks.
    older = since - 10 * DAY
    fake.clear_requests()
    call(connected, "getUsage", {"ids": [a], "since": iso_from_ms(older), "until": iso_from_ms(until), "maxAgeSeconds": 600})
    reqs = call_requests(fake)
    assert [(ms(r["query"]["createdAtGe"]), ms(r["query"]["createdAtLt"])) for r in reqs][0] == (older, since)


def test_max_age_spares_requests_when_the_window_ends_now(connected, fake):
    """Without `until` the window ends at each call's "now": a cache synced within `maxAgeSeconds`
    still answers (the web page reads usage this way on every refresh)."""
    fake.seed(vapi=2)
    ids = [v["id"] for v in fake.vapi_numbers()]
    first = call(connected, "getUsage", {"ids": ids, "maxAgeSeconds": 600})
    assert not any(u["fromCache"] for u in first["usage"]) and len(call_requests(fake)) == 2
    fake.clear_requests()
    again = call(connected, "getUsage", {"ids": ids, "maxAgeSeconds": 600})
    assert call_requests(fake) == [] and again["requests"] == 0
    assert all(u["fromCache"] for u in again["usage"])
    assert [u["calls"] for u in again["usage"]] == [u["calls"] for u in first["usage"]]
    # maxAgeSeconds 0: always refreshed.
    fresh = call(connected, "getUsage", {"ids": ids, "maxAgeSeconds": 0})
    assert not any(u["fromCache"] for u in fresh["usage"]) and len(call_requests(fake)) == 2


def test_every_number_of_the_account_progress_and_partial_results(connected, fake):
    fake.seed(vapi=5)
    ids = [v["id"] for v in fake.vapi_numbers()]
    since, until = window()
    for i, pid in enumerate(ids):
        fake.seed_calls(pid, 10 * (i + 1), since=iso_from_ms(since), until=iso_from_ms(now_ms()))
    rid = connected.start_request("getUsage", {"since": iso_from_ms(since), "until": iso_from_ms(until),
                                               "workDoneToken": "w", "partialResultToken": "p"})
    reply = connected.response(rid, timeout=30)["result"]
    assert reply["usage"] == [] and reply["requests"] == 5
    streamed = {u["id"]: u for page in connected.progress("p") for u in page}
    assert set(streamed) == set(ids)
    for pid in ids:
        check(streamed[pid], expected(fake, pid, since, until))
    work = connected.progress("w")
    assert work[0]["kind"] == "begin" and work[-1]["kind"] == "end" and [w["kind"] for w in work].count("end") == 1
    assert len(fake.requests(provider="vapi", path="/v2/phone-number")) == 1


def test_refused_by_upstream_is_usage_refused(connected, fake):
    fake.seed(vapi=1)
    pid = fake.vapi_numbers()[0]["id"]
    fake.fault("status", provider="vapi", path="/call", status=400, body={"message": ["property phoneNumberId should not exist"],
                                                                      "error": "Bad Request", "statusCode": 400})
    err = error_of(connected, "getUsage", {"ids": [pid]})
    assert err["code"] == 1014 and err["data"]["kind"] == "usage.refused"
    assert err["data"]["numberId"] == pid and err["data"]["status"] == 400


def test_cancel_stops_between_requests_and_keeps_what_was_done(connected, fake):
    fake.seed(vapi=8)
    ids = [v["id"] for v in fake.vapi_numbers()]
    since, until = window()
    for pid in ids:
        fake.seed_calls(pid, 5, since=iso_from_ms(since), until=iso_from_ms(now_ms()))
    fake.fault("delay", provider="vapi", path="/call", delayMs=1500, skip=4, times=None)
    rid = connected.start_request("getUsage", {"ids": ids, "since": iso_from_ms(since), "until": iso_from_ms(until),
                                               "workDoneToken": "w"})
    wait_until(lambda: len(call_requests(fake)) >= 5)
    connected.notify("$/cancelRequest", {"id": rid})
    started = time.monotonic()
    err = connected.response(rid)["error"]
    assert err["code"] == -32800 and time.monotonic() - started < 1.0
    sent = len(call_requests(fake))
    time.sleep(2)
    assert len(call_requests(fake)) == sent <= 8, "nothing is asked after the cancel"
    kinds = [w["kind"] for w in connected.progress("w")]
    assert kinds[-1] == "end" and kinds.count("end") == 1
    fake.clear_faults()
    fake.clear_requests()
    again = call(connected, "getUsage", {"ids": ids, "since": iso_from_ms(since), "until": iso_from_ms(until),
                                         "maxAgeSeconds": 600})
    assert sum(u["fromCache"] for u in again["usage"]) >= 4, "numbers finished before the cancel stayed cached"
    for item, pid in zip(again["usage"], ids):
        check(item, expected(fake, pid, since, until))


def test_params_rejected_before_any_call(connected, fake):
    fake.seed(vapi=1)
    pid = fake.vapi_numbers()[0]["id"]
    fake.clear_requests()
    for params, field in [({"ids": []}, "/ids"), ({"ids": ["x"]}, "/ids/0"), ({"ids": [pid, pid]}, "/ids/1"),
                          ({"since": "yesterday"}, "/since"), ({"until": "2026-13-01T00:00:00Z"}, "/until"),
                          ({"since": "2026-11-02T00:00:00Z", "until": "2026-11-01T00:00:00Z"}, "/until"),
                          ({"maxAgeSeconds": -1}, "/maxAgeSeconds")]:
        err = error_of(connected, "getUsage", params)
        assert err["code"] == -32602 and err["data"]["field"] == field, (params, err)
    assert upstream_requests(fake) == []
