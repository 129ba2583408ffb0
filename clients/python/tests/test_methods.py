"""Every RPC method through its generated snake_case method, against the real binary and the fake upstream."""
from __future__ import annotations

import asyncio
import os

from switchboard_client import METHODS, UNSET, InvalidRequest, Switchboard


def test_every_method_once(binary, client_env, fake, creds):
    fake.seed(vapi=3, twilio=6, twilio_non_voice_every=0)
    called = set()

    def use(name, value):
        called.add(name)
        return value

    with Switchboard(binary, env=client_env) as sb:
        init = use("initialize", sb.initialize(client_info={"name": "pytest"}, process_id=os.getpid()))
        assert init["serverInfo"]["name"] == "switchboard" and "protocolVersion" in init
        use("initialized", sb.initialized())
        assert use("ping", sb.ping()) == {}
        doc = use("rpc.discover", sb.rpc_discover())
        assert {m["name"] for m in doc["methods"]} >= set(METHODS)

        status = use("setCredentials", sb.set_credentials(**creds))
        assert status["vapi"]["configured"] and status["twilio"]["configured"]
        assert use("getCredentialStatus", sb.get_credential_status())["fields"]["twilioAccountSid"]["hint"].startswith("AC…")
        check = use("verifyCredentials", sb.verify_credentials())
        assert check["vapi"]["ok"] and check["twilio"]["ok"]
        assert [p["name"] for p in use("listProfiles", sb.list_profiles())["profiles"]] == ["default"]

        listed = use("listNumbers", sb.list_numbers())
        assert listed["count"] == 3 and len(listed["numbers"]) == 3
        twilio = use("listTwilio", sb.list_twilio(include_non_voice=True))
        assert twilio["count"] == 6 and not any(n["imported"] for n in twilio["numbers"])
        sids = [n["sid"] for n in twilio["numbers"]]

        one = use("importNumber", sb.import_number(sid=sids[0], name="Main line", idempotency_key="imp-1"))
        assert one["provider"] == "twilio" and one["name"] == "Main line" and one["smsEnabled"] is False
        many = use("importNumbers", sb.import_numbers(sids=sids[1:3], name_prefix="Acme "))
        assert many["imported"] == 2 and many["failed"] == 0
        assert all(r["number"]["name"].startswith("Acme ") for r in many["results"])

        bulk = use("deleteNumbers", sb.delete_numbers(ids=[one["id"]], confirm="release 1 numbers"))
        assert bulk["released"] == 1 and bulk["results"][0]["id"] == one["id"]
        created = use("createNumber", sb.create_number(area_code="415", name="Sales"))
        assert created["provider"] == "vapi" and created["fallbackDestination"]["number"] == "+14155550100"
        assert use("getNumber", sb.get_number(id=created["id"]))["id"] == created["id"]
        usage = use("getUsage", sb.get_usage(ids=[created["id"]]))
        assert usage["usage"][0]["id"] == created["id"] and usage["usage"][0]["calls"] == 0
        # None is JSON null (clears the fallback); UNSET leaves a param out.
        updated = use("updateNumber", sb.update_number(id=created["id"], name="Sales (West)", fallback_number=None,
                                                       assistant_id=UNSET))
        assert updated["name"] == "Sales (West)" and "fallbackDestination" not in updated
        released = use("deleteNumber", sb.delete_number(id=created["id"], confirm=created["number"]))
        assert released["id"] == created["id"]
        operations = use("listOperations", sb.list_operations(limit=10))["operations"]
        assert [o["method"] for o in operations][:2] == ["deleteNumber", "updateNumber"]

        cleared = use("clearCredentials", sb.clear_credentials())
        assert not cleared["vapi"]["configured"]
        assert use("deleteProfile", sb.delete_profile(profile="default")) == {"profile": "default", "deleted": True}

        assert use("shutdown", sb.shutdown()) is None
        try:
            sb.ping()
            raise AssertionError("a request after shutdown must fail")
        except InvalidRequest as error:
            assert error.code == -32600
        use("exit", sb.exit())
        assert sb.close() == 0
    assert called == set(METHODS), f"methods not exercised: {set(METHODS) - called}"


def test_generated_table_matches_the_live_server(client):
    doc = client.call("rpc.discover")
    served = {m["name"]: m for m in doc["methods"] if not m["name"].startswith("$/") and not m.get("x-test-only")}
    assert set(served) == set(METHODS)
    for name, spec in METHODS.items():
        assert [p["name"] for p in spec["params"]] == [p["name"] for p in served[name].get("params", [])]


def test_call_by_name_and_snake_case_params(connected, fake):
    fake.seed(vapi=2)
    assert connected.call("listNumbers", {"profile": "default"})["count"] == 2
    assert connected.list_numbers(profile="default")["count"] == 2
    assert connected.call("test/echo", {"value": {"a": [1, "é"]}}) == {"a": [1, "é"]}


def test_async_client_has_the_same_methods(async_client_factory, fake, creds):
    fake.seed(vapi=2, twilio=2, twilio_non_voice_every=0)

    async def main():
        sb = await async_client_factory()
        try:
            assert await sb.ping() == {}
            await sb.set_credentials(**creds)
            assert (await sb.list_numbers())["count"] == 2
            twilio = await sb.list_twilio()
            number = await sb.import_number(phone_number=twilio["numbers"][0]["phoneNumber"])
            assert (await sb.get_number(id=number["id"]))["number"] == twilio["numbers"][0]["phoneNumber"]
            assert (await sb.call("listProfiles"))["profiles"][0]["name"] == "default"
        finally:
            assert await sb.close() == 0

    asyncio.run(main())


def test_unknown_param_is_refused_by_the_server(client):
    from switchboard_client import InvalidParams
    try:
        client.call("ping", {"bogus": 1})
    except InvalidParams as error:
        assert error.data["field"] == "/bogus"
    else:
        raise AssertionError("expected InvalidParams")


def test_ids_are_not_reused(client):
    calls = [client.request("ping") for _ in range(3)]
    assert len({c.id for c in calls}) == 3 and all(c.result(10) == {} for c in calls)
