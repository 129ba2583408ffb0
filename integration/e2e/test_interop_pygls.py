"""A real LSP-style client (pygls's JsonRPCClient, from PyPI) drives the binary over Content-Length
framing: initialize, a listing, shutdown and exit (pygls sends `"params": null` with the last two),
and the process ends with status 0."""
import asyncio
import os

from pygls.client import JsonRPCClient

from switchboard_process import binary_path


def test_pygls_client_lifecycle_and_listing(fake, upstream_env, home):
    fake.seed(vapi=3)

    async def session():
        client = JsonRPCClient()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SWITCHBOARD_")}
        env.update(upstream_env)
        env["SWITCHBOARD_HOME"] = str(home)
        await client.start_io(binary_path(), env=env)
        rpc = client.protocol
        init = await asyncio.wait_for(rpc.send_request_async(
            "initialize", {"processId": os.getpid(), "clientInfo": {"name": "pygls"}, "capabilities": {}}), 30)
        assert init.serverInfo.name == "switchboard"
        rpc.notify("initialized", {})
        await asyncio.wait_for(rpc.send_request_async("setCredentials", {
            "vapiPrivateKey": fake.vapi_key, "twilioAccountSid": fake.account_sid,
            "twilioAuthToken": fake.auth_token, "transferPhoneNumber": "+14155550100"}), 30)
        listing = await asyncio.wait_for(rpc.send_request_async("listNumbers", {"workDoneToken": "w"}), 30)
        assert listing.count == 3 and len(listing.numbers) == 3
        # shutdown and exit without params: pygls writes `"params": null`.
        assert await asyncio.wait_for(rpc.send_request_async("shutdown"), 30) is None
        rpc.notify("exit")
        server = client._server
        status = await asyncio.wait_for(server.wait(), 15)
        await client.stop()
        return status

    assert asyncio.run(session()) == 0
