"""getNumber, updateNumber (rename, re-route, clear) and deleteNumber (with confirmation)."""
from test_numbers_support import call, error_of, expected_number, upstream_requests, vapi_by_id


def seeded(fake, connected, **kwargs):
    created = call(connected, "createNumber", {"areaCode": "415", "name": "Sales", **kwargs})
    return created


def test_get_number_matches_upstream_and_never_forwards_raw_fields(connected, fake):
    fake.seed(twilio=3, imported=[t["sid"] for t in fake.twilio_numbers()[:0]])
    created = seeded(fake, connected)
    got = call(connected, "getNumber", {"id": created["id"]})
    assert got == expected_number(vapi_by_id(fake)[created["id"]])


def test_get_number_unknown_and_malformed_ids(connected, fake):
    err = error_of(connected, "getNumber", {"id": "00000000-0000-4000-8000-000000000000"})
    assert err["code"] == 1007 and err["data"]["kind"] == "notFound"
    before = len(upstream_requests(fake))
    err = error_of(connected, "getNumber", {"id": "not-a-uuid"})
    assert err["code"] == -32602 and err["data"]["field"] == "/id"
    assert error_of(connected, "getNumber", {})["data"] == {"field": "/id", "reason": "required"}
    assert len(upstream_requests(fake)) == before


def test_update_number_renames_reroutes_and_clears(connected, fake):
    created = seeded(fake, connected, fallbackNumber="+14155550111")
    updated = call(connected, "updateNumber", {"id": created["id"], "name": "Sales West", "assistantId": "asst-1"})
    assert updated["name"] == "Sales West" and updated["assistantId"] == "asst-1"
    patch = [r for r in upstream_requests(fake) if r["method"] == "PATCH"][-1]
    assert patch["json"] == {"name": "Sales West", "assistantId": "asst-1"}
    cleared = call(connected, "updateNumber", {"id": created["id"], "fallbackNumber": None, "assistantId": None})
    patch = [r for r in upstream_requests(fake) if r["method"] == "PATCH"][-1]
    assert patch["json"] == {"fallbackDestination": None, "assistantId": None}
    assert "fallbackDestination" not in cleared and "assistantId" not in cleared
    rerouted = call(connected, "updateNumber", {"id": created["id"], "fallbackNumber": "+14155550122"})
    assert rerouted["fallbackDestination"] == {"type": "number", "number": "+14155550122"}
    ops = call(connected, "listOperations")["operations"]
    assert [o["method"] for o in ops[:3]] == ["updateNumber"] * 3


def test_update_number_validation_before_any_call(connected, fake):
    created = seeded(fake, connected)
    before = len(upstream_requests(fake))
    for params, field in [({"id": created["id"]}, ""), ({"id": created["id"], "name": "x" * 41}, "/name"),
                          ({"id": created["id"], "fallbackNumber": "555"}, "/fallbackNumber"),
                          ({"id": created["id"], "name": "ok", "color": "red"}, "/color")]:
        err = error_of(connected, "updateNumber", params)
        assert err["code"] == -32602 and err["data"]["field"] == field, (params, err)
    assert len(upstream_requests(fake)) == before


def test_delete_number_requires_confirmation(connected, fake):
    created = seeded(fake, connected)
    err = error_of(connected, "deleteNumber", {"id": created["id"], "confirm": "+10000000000"})
    assert err["code"] == -32602 and err["data"]["field"] == "/confirm"
    assert created["id"] in vapi_by_id(fake)
    assert not [r for r in upstream_requests(fake) if r["method"] == "DELETE"]
    released = call(connected, "deleteNumber", {"id": created["id"], "confirm": created["number"]})
    assert released["id"] == created["id"]
    assert created["id"] not in vapi_by_id(fake)
    ops = call(connected, "listOperations")["operations"]
    assert ops[0]["method"] == "deleteNumber" and ops[0]["outcome"] == "succeeded"
    assert ops[0]["target"] == created["number"]
    other = seeded(fake, connected)
    assert call(connected, "deleteNumber", {"id": other["id"], "confirm": other["id"]})["id"] == other["id"]


def test_delete_unknown_number_is_not_found(connected, fake):
    err = error_of(connected, "deleteNumber", {"id": "00000000-0000-4000-8000-000000000000", "confirm": "x"})
    assert err["code"] == 1007
