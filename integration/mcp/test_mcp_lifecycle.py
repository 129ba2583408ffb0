"""How `switchboard mcp` ends: at end of input or on SIGTERM it stops reading, lets running calls
finish (their replies still go out) and exits 0."""
from __future__ import annotations

import signal

import pytest

from mcp_harness import credentials
from test_numbers_support import posts, wait_until  # noqa: E402

DELAY_MS = 1200


def started(spawn, env, fake):
    sb = spawn(args=["mcp"], env=env)
    sb.call("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}})
    sb.notify("notifications/initialized")
    return sb


@pytest.mark.parametrize("how", ["end of input", "SIGTERM"])
def test_a_running_call_finishes_before_the_process_exits(mcp_server, spawn, fake, upstream_env, how):
    mcp_server().set_credentials(credentials(fake))
    fake.fault("delay", provider="vapi", method="POST", path="/phone-number", delayMs=DELAY_MS)
    sb = started(spawn, upstream_env, fake)
    rid = sb.start_request("tools/call", {"name": "createNumber", "arguments": {"areaCode": "415", "idempotencyKey": "drain"}})
    wait_until(lambda: posts(fake))
    if how == "SIGTERM":
        sb.signal(signal.SIGTERM)
    else:
        sb.close_stdin()
    assert sb.wait(timeout=15) == 0
    reply = sb.response(rid, timeout=1)
    number = reply["result"]["structuredContent"]
    assert number["id"] in {v["id"] for v in fake.state()["vapi"]}
    assert len(posts(fake)) == 1


def test_a_last_message_without_newline_is_served(spawn):
    sb = spawn(args=["mcp"])
    sb.write_raw(b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",'
                 b'"capabilities":{},"clientInfo":{"name":"raw","version":"0"}}}')
    sb.close_stdin()
    assert sb.wait() == 0
    assert sb.response(1, timeout=1)["result"]["protocolVersion"] == "2025-11-25"
