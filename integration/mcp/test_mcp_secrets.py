"""No secret in anything `switchboard mcp` writes: every tool (and its failures) at trace logging,
then every byte of its stdout and stderr, and its store, scanned in every encoding a leak takes."""
from __future__ import annotations

import pytest

from mcp_harness import TOOLS, credentials

pytestmark = pytest.mark.anyio

from secrets_scan import assert_no_secrets, self_check  # noqa: E402


async def test_no_secret_in_anything_the_mcp_process_writes(mcp_server, fake, upstream_env, home):
    self_check()
    fake.seed(vapi=5, twilio=8, imported_fraction=0.25)
    server = mcp_server(env={**upstream_env, "SWITCHBOARD_LOG_LEVEL": "trace"})
    server.set_credentials(credentials(fake))
    free = [t for t in fake.twilio_numbers() if t["capabilities"]["voice"]
            and t["phone_number"] not in {v.get("number") for v in fake.state()["vapi"]}]
    some = fake.state()["vapi"][0]
    called = set()
    async with server.session() as session:
        async def run(name, arguments):
            called.add(name)
            return await session.call_tool(name, arguments)

        await session.list_tools()
        await run("listNumbers", {})
        await run("listTwilio", {"includeNonVoice": True})
        await run("getNumber", {"id": some["id"]})
        await run("verifyCredentials", {})
        await run("getCredentialStatus", {})
        await run("listProfiles", {})
        imported = await run("importNumber", {"sid": free[0]["sid"]})  # Vapi's reply echoes the auth token
        assert not imported.is_error
        await run("importNumbers", {"sids": [free[1]["sid"], free[0]["sid"]]})  # one succeeds, one conflicts
        created = await run("createNumber", {"areaCode": "415", "idempotencyKey": "scan-1"})
        await run("updateNumber", {"id": created.structured_content["id"], "name": "Renamed"})
        await run("deleteNumber", {"id": created.structured_content["id"], "confirm": created.structured_content["id"]})
        await run("getUsage", {"ids": [some["id"]]})
        doomed = [v["id"] for v in fake.state()["vapi"][1:3]]
        await run("deleteNumbers", {"ids": doomed, "confirm": "release 2 numbers"})
        await run("listOperations", {})
        # failures: rejected credentials (the upstream 401 bodies) and server errors
        fake.fault("status", status=401, provider="vapi", times=None)
        fake.fault("status", status=401, provider="twilio", times=None)
        assert (await run("listNumbers", {})).is_error
        assert (await run("listTwilio", {})).is_error
        await run("verifyCredentials", {})
    assert called == TOOLS
    secrets = {"vapi key": fake.vapi_key, "auth token": fake.auth_token, "account sid": fake.account_sid}
    assert server.stderr_bytes(), "trace logging should have written something to scan"
    assert_no_secrets(secrets, blobs={"mcp stdout": server.stdout_bytes(), "mcp stderr": server.stderr_bytes()},
                      paths=[home])
