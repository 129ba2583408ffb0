"""MCP progress (`notifications/progress` on the request's progressToken) and cancellation
(`notifications/cancelled`), mapped onto the service's own progress and cancellation."""
from __future__ import annotations

import time

import anyio
import pytest

from mcp_harness import credentials

pytestmark = pytest.mark.anyio

from test_numbers_support import expected_number, expected_twilio, vapi_list_requests, wait_until  # noqa: E402

DELAY_MS = 1500


@pytest.fixture
def server(mcp_server, fake):
    server = mcp_server()
    server.set_credentials(credentials(fake))
    return server


def check_progress(updates):
    values = [p for p, _, _ in updates]
    assert values, "no notifications/progress arrived"
    assert all(b > a for a, b in zip(values, values[1:])), f"progress must increase: {values}"
    assert values[-1] == 100 and all(total == 100 for _, total, _ in updates)


async def test_list_numbers_reports_progress_and_still_returns_every_number(server, fake):
    fake.seed(vapi=2500)
    updates = []

    async def on_progress(progress, total, message):
        updates.append((progress, total, message))

    async with server.session() as session:
        result = await session.call_tool("listNumbers", {}, progress_callback=on_progress)
        # without a progress token: no notification, same result
        plain = await session.call_tool("listNumbers", {})
    check_progress(updates)
    assert any(m and "numbers" in m for _, _, m in updates)
    # the pages the service streamed are put back into the one result
    expected = [expected_number(v) for v in fake.state()["vapi"]]
    assert result.structured_content == {"numbers": expected, "count": 2500}
    assert plain.structured_content == result.structured_content

    frames = server.frames()
    tokens = {f["params"]["progressToken"] for f in frames if f.get("method") == "notifications/progress"}
    assert len(tokens) == 1, "progress goes out on the one request's token only"
    # every notification precedes the reply of its request
    call_ids = [f["id"] for f in frames if "result" in f and "structuredContent" in f["result"]]
    reply_at = next(i for i, f in enumerate(frames) if f.get("id") == call_ids[0])
    assert all(i < reply_at for i, f in enumerate(frames) if f.get("method") == "notifications/progress")


async def test_list_twilio_with_progress_returns_the_same_listing(server, fake):
    fake.seed(twilio=2200, vapi=1200, imported_fraction=0.1)
    updates = []

    async def on_progress(progress, total, message):
        updates.append((progress, total, message))

    async with server.session() as session:
        result = await session.call_tool("listTwilio", {}, progress_callback=on_progress)
    check_progress(updates)
    assert result.structured_content["numbers"] == expected_twilio(fake)
    assert result.structured_content["count"] == len(expected_twilio(fake))


async def test_import_numbers_reports_progress_per_number(server, fake):
    fake.seed(twilio=12)
    sids = [t["sid"] for t in fake.twilio_numbers() if t["capabilities"]["voice"]][:4]
    updates = []

    async def on_progress(progress, total, message):
        updates.append((progress, total, message))

    async with server.session() as session:
        result = await session.call_tool("importNumbers", {"sids": sids, "idempotencyKey": "mcp-batch"},
                                         progress_callback=on_progress)
    check_progress(updates)
    assert [m for _, _, m in updates if m and " of " in m][-1] == "4 of 4"
    assert result.structured_content["imported"] == 4
    assert [r["sid"] for r in result.structured_content["results"]] == sids
    assert result.content[0].text.startswith("Imported 4, failed 0")


async def test_cancelled_call_stops_the_listing_and_gets_no_reply(server, fake):
    fake.seed(vapi=3500)
    fake.fault("delay", provider="vapi", method="GET", pathRegex=r"[?&]page=2(&|$)", delayMs=DELAY_MS)
    async with server.session() as session:
        outcome = {}

        async def listing():
            outcome["result"] = await session.call_tool("listNumbers", {})

        async with anyio.create_task_group() as group:
            group.start_soon(listing)
            await anyio.to_thread.run_sync(
                lambda: wait_until(lambda: any(r["query"].get("page") == "2" for r in vapi_list_requests(fake))))
            # the SDK sends notifications/cancelled for a call its caller abandons
            group.cancel_scope.cancel()
        assert "result" not in outcome

        await anyio.sleep(DELAY_MS / 1000 + 0.5)
        pages = [r["query"]["page"] for r in vapi_list_requests(fake)]
        assert pages == ["1", "2"], f"pages requested after the cancel: {pages}"
        # the server is fine afterwards
        after = await session.call_tool("listNumbers", {})
        assert after.structured_content["count"] == 3500

    sent = server.sent()
    first_call, second_call = [f["id"] for f in sent if f.get("method") == "tools/call"]
    [cancelled] = [f for f in sent if f.get("method") == "notifications/cancelled"]
    assert cancelled["params"]["requestId"] == first_call
    replied = {f["id"] for f in server.frames() if "id" in f and ("result" in f or "error" in f)}
    assert second_call in replied and first_call not in replied, "a cancelled call gets no reply (MCP)"
