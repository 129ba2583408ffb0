"""tools/call through the official MCP Python SDK against the fake upstream: each read-only tool,
createNumber and importNumber (exact upstream requests), and errors as `isError` results."""
from __future__ import annotations

import jsonschema
import pytest
from mcp import MCPError

from mcp_harness import credentials

pytestmark = pytest.mark.anyio

# the e2e suite's helpers (integration/e2e is on sys.path through conftest)
from test_numbers_support import expected_number, expected_twilio, posts, vapi_by_id  # noqa: E402

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def server(mcp_server, fake):
    """A `switchboard mcp` whose default profile holds the fake's credentials, set the way a person
    sets them: with `switchboard credentials set` in a terminal."""
    server = mcp_server()
    server.set_credentials(credentials(fake))
    return server


async def call_ok(session, schemas, name, arguments=None, **kwargs):
    """Calls a tool that must succeed; checks its structured content against its outputSchema."""
    result = await session.call_tool(name, arguments or {}, **kwargs)
    assert not result.is_error, f"{name} failed: {result.content}"
    assert result.content and result.content[0].type == "text" and result.content[0].text.strip()
    jsonschema.validate(result.structured_content, schemas[name])
    return result


async def output_schemas(session):
    return {t.name: t.output_schema for t in (await session.list_tools()).tools}


async def test_read_only_tools(server, fake):
    fake.seed(vapi=30, twilio=12, imported_fraction=0.3)
    state = fake.state()
    async with server.session() as session:
        schemas = await output_schemas(session)

        listed = await call_ok(session, schemas, "listNumbers")
        assert listed.structured_content["count"] == len(state["vapi"])
        assert listed.structured_content["numbers"] == [expected_number(v) for v in state["vapi"]]
        assert listed.content[0].text.startswith(f"{len(state['vapi'])} numbers in Vapi")

        twilio = await call_ok(session, schemas, "listTwilio")
        assert twilio.structured_content["numbers"] == expected_twilio(fake)
        assert twilio.structured_content["vapiChecked"] is True

        first = state["vapi"][0]
        got = await call_ok(session, schemas, "getNumber", {"id": first["id"]})
        assert got.structured_content == expected_number(first)
        assert first["id"] in got.content[0].text

        verified = await call_ok(session, schemas, "verifyCredentials")
        assert verified.structured_content == {"vapi": {"configured": True, "ok": True},
                                               "twilio": {"configured": True, "ok": True}}

        status = await call_ok(session, schemas, "getCredentialStatus")
        assert status.structured_content["profile"] == "default"
        assert status.structured_content["vapi"] == {"configured": True}
        assert all(f["set"] for f in status.structured_content["fields"].values())

        profiles = await call_ok(session, schemas, "listProfiles")
        assert [p["name"] for p in profiles.structured_content["profiles"]] == ["default"]

        operations = await call_ok(session, schemas, "listOperations")
        assert operations.structured_content == {"operations": []}
    # the read-only tools changed nothing upstream
    assert not [r for r in fake.requests() if r["method"] != "GET"]


async def test_tools_return_what_the_json_rpc_methods_return(server, fake, spawn, upstream_env):
    """Same service code, same answers: the MCP structured content equals the JSON-RPC result."""
    fake.seed(vapi=8, twilio=6, imported_fraction=0.5)
    rpc = spawn(env=upstream_env)
    async with server.session() as session:
        for name, args in [("listNumbers", {}), ("listTwilio", {"includeNonVoice": True}), ("getCredentialStatus", {}),
                           ("listProfiles", {}), ("verifyCredentials", {}),
                           ("getNumber", {"id": fake.state()["vapi"][3]["id"]})]:
            result = await session.call_tool(name, args)
            assert result.structured_content == rpc.call(name, args), name


async def test_create_number_posts_the_exact_body_and_reuses_the_idempotency_key(server, fake):
    async with server.session() as session:
        schemas = await output_schemas(session)
        args = {"areaCode": "415", "name": "Sales", "idempotencyKey": "mcp-create-1"}
        created = await call_ok(session, schemas, "createNumber", args)
        [post] = posts(fake)
        assert post["json"] == {"provider": "vapi", "numberDesiredAreaCode": "415", "name": "Sales",
                                "fallbackDestination": {"type": "number", "number": "+14155550100"}}
        assert post["headers"]["authorization"] == f"Bearer {fake.vapi_key}"
        number = created.structured_content
        assert number == expected_number(vapi_by_id(fake)[number["id"]])
        assert created.content[0].text.startswith("Created +1415")

        # an assistant retrying with the same key gets the same number, and nothing is bought twice
        again = await call_ok(session, schemas, "createNumber", args)
        assert again.structured_content["id"] == number["id"]
        assert len(posts(fake)) == 1

        ops = await call_ok(session, schemas, "listOperations")
        [op] = ops.structured_content["operations"]
        assert (op["method"], op["target"], op["outcome"], op["numberId"]) == (
            "createNumber", number["number"], "succeeded", number["id"])


async def test_import_number_posts_the_exact_body(server, fake):
    fake.seed(twilio=10)
    target = next(t for t in fake.twilio_numbers() if t["capabilities"]["voice"])
    async with server.session() as session:
        schemas = await output_schemas(session)
        imported = await call_ok(session, schemas, "importNumber",
                                 {"sid": target["sid"], "name": "Front desk", "idempotencyKey": "mcp-import-1"})
    [post] = posts(fake)
    assert post["json"] == {"provider": "twilio", "number": target["phone_number"], "twilioAccountSid": fake.account_sid,
                            "twilioAuthToken": fake.auth_token, "smsEnabled": False, "name": "Front desk"}
    number = imported.structured_content
    assert number == expected_number(vapi_by_id(fake)[number["id"]])
    assert number["provider"] == "twilio" and "twilioAuthToken" not in number
    assert imported.content[0].text.startswith(f"Imported {target['phone_number']}")


async def test_domain_errors_are_tool_errors_with_the_same_message(server, fake, spawn, upstream_env):
    fake.seed(vapi=3)
    rpc = spawn(env=upstream_env)
    rpc_error = rpc.request("getNumber", {"id": UNKNOWN_ID})["error"]
    async with server.session() as session:
        missing = await session.call_tool("getNumber", {"id": UNKNOWN_ID})
        assert missing.is_error is True and missing.structured_content is None
        assert missing.content[0].text == rpc_error["message"]
        assert missing.meta["switchboard/error"] == {"code": rpc_error["code"], "kind": "notFound"}

        # an argument the method refuses: a tool error the assistant can correct
        bad = await session.call_tool("createNumber", {"areaCode": "41"})
        assert bad.is_error is True and bad.content[0].text == "Valid 3-digit area code is required"

        # deleteNumber still requires `confirm` to match, and deletes nothing otherwise
        victim = fake.state()["vapi"][0]
        wrong = await session.call_tool("deleteNumber", {"id": victim["id"], "confirm": "+19999999999"})
        assert wrong.is_error is True and "/confirm" in wrong.content[0].text
        unconfirmed = await session.call_tool("deleteNumber", {"id": victim["id"]})
        assert unconfirmed.is_error is True and "confirm" in unconfirmed.content[0].text
        assert not fake.requests(method="DELETE")
        released = await session.call_tool("deleteNumber", {"id": victim["id"], "confirm": victim["number"]})
        assert not released.is_error and released.structured_content["id"] == victim["id"]
        assert victim["id"] not in vapi_by_id(fake)

        # upstream failures keep the service's message
        fake.fault("status", status=500, provider="vapi", times=None)
        failed = await session.call_tool("listNumbers", {})
        assert failed.is_error is True and failed.meta["switchboard/error"]["kind"].startswith("upstream.")
        fake.clear_faults()

        # protocol errors stay JSON-RPC errors
        with pytest.raises(MCPError) as unknown:
            await session.call_tool("setCredentials", {"vapiPrivateKey": "sk-nope-nope-nope"})
        assert unknown.value.error.code == -32602


async def test_missing_credentials_name_the_command_to_run(mcp_server, fake):
    server = mcp_server()
    server.set_credentials({"vapiPrivateKey": fake.vapi_key}, profile="work")
    async with server.session() as session:
        result = await session.call_tool("listNumbers", {})
        assert result.is_error is True
        assert "Vapi API key not configured" in result.content[0].text
        assert "`switchboard credentials set --profile default`" in result.content[0].text
        result = await session.call_tool("listTwilio", {"profile": "work"})
        assert result.is_error is True and "Twilio credentials not configured" in result.content[0].text
        assert "`switchboard credentials set --profile work`" in result.content[0].text
        assert result.meta["switchboard/error"]["kind"] == "credentials.missing"
        # verifying is not an error: it reports what is configured
        verified = await session.call_tool("verifyCredentials", {"profile": "work"})
        assert verified.structured_content["vapi"] == {"configured": True, "ok": True}
        assert verified.structured_content["twilio"]["configured"] is False
    assert not fake.requests(provider="twilio")


async def test_arguments_and_results_arrive_byte_exact(server, fake):
    """Strings shaped like `data:` URLs (which the SDK's `Value` turns into bytes) and non-ASCII text
    pass through unchanged, both ways."""
    fake.seed(vapi=2)
    victim = fake.state()["vapi"][0]
    name = "data:,Caf\u00e9 \u2014 line"
    async with server.session() as session:
        updated = await session.call_tool("updateNumber", {"id": victim["id"], "name": name})
        assert not updated.is_error, updated.content
        got = await session.call_tool("getNumber", {"id": victim["id"]})
    [patch] = fake.requests(method="PATCH")
    assert patch["json"] == {"name": name}
    assert updated.structured_content["name"] == name and got.structured_content["name"] == name
    assert updated.content[0].text.startswith("Updated ")


async def test_get_usage_counts_the_fakes_calls_and_reuses_the_cache(server, fake):
    fake.seed(vapi=3)
    a, b = fake.state()["vapi"][:2]
    fake.seed_calls(a["id"], 7, since="2026-10-01T00:00:00Z", until="2026-10-31T00:00:00Z")
    fake.seed_calls(b["id"], 3, since="2026-10-01T00:00:00Z", until="2026-10-31T00:00:00Z")
    window = {"since": "2026-10-01T00:00:00Z", "until": "2026-11-01T00:00:00Z"}
    async with server.session() as session:
        schemas = await output_schemas(session)
        fake.clear_requests()
        got = await call_ok(session, schemas, "getUsage", {"ids": [a["id"], b["id"]], **window})
        usage = got.structured_content["usage"]
        assert [u["id"] for u in usage] == [a["id"], b["id"]]
        assert [u["calls"] for u in usage] == [7, 3]
        assert all(u["inbound"] + u["outbound"] == u["calls"] for u in usage)
        assert got.content[0].text.startswith("Usage of 2 numbers")
        calls = fake.requests(provider="vapi", method="GET", path="/call")
        assert len(calls) == got.structured_content["requests"] >= 2

        # with progress, the streamed items still come back whole (partial results member "usage")
        fake.clear_requests()
        updates = []

        async def on_progress(progress, total, message):
            updates.append(progress)

        cached = await call_ok(session, schemas, "getUsage", {"ids": [a["id"], b["id"]], "maxAgeSeconds": 3600,
                                                              **window}, progress_callback=on_progress)
        assert updates, "progress notifications from getUsage"
        assert sorted(u["id"] for u in cached.structured_content["usage"]) == sorted([a["id"], b["id"]])
        assert all(u["fromCache"] for u in cached.structured_content["usage"])
        assert not [r for r in fake.requests() if r["path"].startswith("/call")], "maxAgeSeconds: no request"


async def test_delete_numbers_needs_the_exact_text_and_sends_one_delete_per_id(server, fake):
    fake.seed(vapi=4)
    ids = [v["id"] for v in fake.state()["vapi"][:3]]
    async with server.session() as session:
        schemas = await output_schemas(session)
        fake.clear_requests()
        wrong = await session.call_tool("deleteNumbers", {"ids": ids, "confirm": "release 2 numbers"})
        assert wrong.is_error and "release 3 numbers" in wrong.content[0].text
        assert fake.requests(method="DELETE") == [], "nothing sent on a wrong confirmation"

        done = await call_ok(session, schemas, "deleteNumbers",
                             {"ids": [*ids, UNKNOWN_ID], "confirm": "release 4 numbers"})
        result = done.structured_content
        assert (result["released"], result["failed"]) == (3, 1)
        assert [r["ok"] for r in result["results"]] == [True, True, True, False]
        assert result["results"][3]["error"]["data"]["kind"] == "notFound"
        assert done.content[0].text.startswith("Released 3, failed 1")
        deletes = fake.requests(method="DELETE")
        assert [d["path"] for d in deletes] == [f"/phone-number/{i}" for i in [*ids, UNKNOWN_ID]]
        assert not {v["id"] for v in fake.vapi_numbers()} & set(ids)
