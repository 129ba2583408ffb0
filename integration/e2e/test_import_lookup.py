"""importNumber checks for a conflict with Vapi's search (`/v2/phone-number?search=<digits>`), one
request however large the account, and the check stays exact: a partial match is no conflict."""
from __future__ import annotations

from test_numbers_support import call, error_of, posts, vapi_list_requests


def voice_numbers(fake, imported: bool):
    in_vapi = {v.get("number") for v in fake.state()["vapi"]}
    return [t for t in fake.twilio_numbers() if t["capabilities"]["voice"] and (t["phone_number"] in in_vapi) == imported]


def test_import_on_a_large_account_takes_one_vapi_request_before_the_post(connected, fake):
    fake.seed(vapi=2500, twilio=20, imported_fraction=0.5)
    target = voice_numbers(fake, imported=False)[0]
    digits = target["phone_number"].lstrip("+")
    # A number whose *name* holds the target's digits: found by the search, but not a conflict.
    fake.seed(vapi=[{"name": f"Old line {digits}", "number": "+15005550006"}])

    number = call(connected, "importNumber", {"sid": target["sid"]})
    assert number["number"] == target["phone_number"]
    [lookup] = vapi_list_requests(fake)
    assert lookup["query"]["search"] == digits
    assert len(posts(fake)) == 1


def test_import_conflict_is_found_by_the_search_without_a_post(connected, fake):
    fake.seed(vapi=2500, twilio=20, imported_fraction=0.5)
    target = voice_numbers(fake, imported=True)[0]
    vapi_id = next(v["id"] for v in fake.state()["vapi"] if v.get("number") == target["phone_number"])
    err = error_of(connected, "importNumber", {"phoneNumber": target["phone_number"]})
    assert err["code"] == 1008 and err["data"]["kind"] == "conflict" and err["data"]["vapiId"] == vapi_id
    assert len(vapi_list_requests(fake)) == 1
    assert posts(fake) == []


def test_bulk_import_still_reads_the_list_once(connected, fake):
    fake.seed(vapi=1500, twilio=30, imported_fraction=0.2)
    fresh = voice_numbers(fake, imported=False)[:12]
    result = call(connected, "importNumbers", {"sids": [t["sid"] for t in fresh]})
    assert result["imported"] == 12 and result["failed"] == 0
    lookups = vapi_list_requests(fake)
    assert [r for r in lookups if "search" in r["query"]] == []
    assert len(lookups) == 2, "the whole list once (1,500+ numbers: 2 pages), not a search per number"
    assert len(posts(fake)) == 12
