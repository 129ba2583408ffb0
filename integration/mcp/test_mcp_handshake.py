"""`switchboard mcp` under the official MCP Python SDK: initialize, version negotiation, tools/list
(every tool, self-contained object schemas from the same definitions as rpc.discover, annotations)."""
from __future__ import annotations

import json

import jsonschema
import pytest

from mcp_harness import READ_ONLY, TOOLS

pytestmark = pytest.mark.anyio

MONEY = {"createNumber", "importNumber", "importNumbers"}


async def test_initialize_negotiates_and_describes_the_server(mcp_server):
    server = mcp_server()
    async with server.session() as session:
        init = session.initialize_result
        # The SDK client asks for its latest handshake version; switchboard supports it and echoes it.
        assert init.protocol_version == "2025-11-25"
        assert init.server_info.name == "switchboard" and init.server_info.version
        assert init.capabilities.tools is not None
        assert init.capabilities.resources is None and init.capabilities.prompts is None
        assert "switchboard credentials set" in init.instructions
        await session.send_ping()
    frames = server.frames()
    assert frames[0]["id"] is not None and frames[0]["result"]["protocolVersion"] == "2025-11-25"


@pytest.mark.parametrize("requested, answered", [
    ("2025-06-18", "2025-06-18"),
    ("2025-11-25", "2025-11-25"),
    ("2024-11-05", "2025-11-25"),  # older than structured tool output: answered with the latest supported
    ("2025-03-26", "2025-11-25"),
    ("1999-01-01", "2025-11-25"),
])
def test_version_negotiation_on_the_wire(spawn, requested, answered):
    sb = spawn(args=["mcp"])
    reply = sb.call("initialize", {"protocolVersion": requested, "capabilities": {},
                                   "clientInfo": {"name": "raw", "version": "0"}})
    assert reply["protocolVersion"] == answered
    sb.notify("notifications/initialized")
    assert len(sb.call("tools/list")["tools"]) == len(TOOLS)
    sb.close_stdin()
    assert sb.wait() == 0  # end of input ends the process cleanly


def test_requests_before_initialize_are_refused(spawn):
    sb = spawn(args=["mcp"])
    reply = sb.request("tools/list")
    assert reply["error"]["code"] == -32600


def test_protocol_errors_on_the_wire(spawn):
    """ping at any time, initialize once, -32601 for what MCP methods switchboard does not serve,
    -32700 for a line that is not JSON, no batches; every line on stdout is a JSON-RPC frame."""
    sb = spawn(args=["mcp"])
    assert sb.call("ping") == {}
    assert sb.request("tools/call", {"name": "listProfiles", "arguments": {}})["error"]["code"] == -32600
    assert sb.call("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                  "clientInfo": {"name": "raw", "version": "0"}})["protocolVersion"] == "2025-06-18"
    sb.notify("notifications/initialized")
    assert sb.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}})["error"]["code"] == -32600
    for method in ("resources/list", "prompts/list", "rpc.discover", "listNumbers"):
        reply = sb.request(method)
        assert reply["error"]["code"] == -32601, method
    unknown_tool = sb.request("tools/call", {"name": "setCredentials", "arguments": {}})
    assert unknown_tool["error"]["code"] == -32602
    sb.write_raw(b"{not json\n")
    assert sb.wait_for(lambda m: m.get("id") is None and "error" in m)["error"]["code"] == -32700
    sb.write_raw(b'[{"jsonrpc":"2.0","id":99,"method":"ping"}]\n')
    assert sb.wait_for(lambda m: m.get("id") is None and "error" in m)["error"]["code"] == -32600
    assert sb.call("ping") == {}
    sb.close_stdin()
    assert sb.wait() == 0
    for line in sb.stdout_bytes.splitlines():
        assert json.loads(line)["jsonrpc"] == "2.0"


def resolve(schema, components):
    """Inline `#/components/schemas/...` references (as the MCP face must)."""
    if isinstance(schema, list):
        return [resolve(item, components) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        target = dict(resolve(components[schema["$ref"].rsplit("/", 1)[1]], components))
        target.update({k: resolve(v, components) for k, v in schema.items() if k != "$ref"})
        return target
    return {k: resolve(v, components) for k, v in schema.items()}


async def test_tools_list_matches_the_openrpc_document(mcp_server, spawn):
    discover = spawn().call("rpc.discover")
    components = discover["components"]["schemas"]
    methods = {m["name"]: m for m in discover["methods"]}

    async with mcp_server().session() as session:
        listed = await session.list_tools()
    tools = {t.name: t.model_dump(by_alias=True, exclude_none=True) for t in listed.tools}
    assert set(tools) == TOOLS, "one tool per number and credential-status method, named as the method"
    assert not {"setCredentials", "clearCredentials", "deleteProfile", "ping"} & set(tools), "no secret-writing tool"

    for name, tool in tools.items():
        method = methods[name]
        text = json.dumps(tool)
        assert "$ref" not in text, f"{name}: schemas must be self-contained"
        for key in ("inputSchema", "outputSchema"):
            assert tool[key]["type"] == "object", f"{name}.{key} must be an object schema"
            jsonschema.Draft7Validator.check_schema(tool[key])
        assert tool["description"].startswith(method["summary"])
        assert tool["title"]

        # inputSchema: the method's by-name params (without the JSON-RPC progress tokens)
        params = [p for p in method["params"] if p["name"] not in ("workDoneToken", "partialResultToken")]
        expected_properties = {}
        for p in params:
            schema = resolve(p["schema"], components)
            if "summary" in p and "description" not in schema:
                schema = {**schema, "description": p["summary"]}
            expected_properties[p["name"]] = schema
        assert tool["inputSchema"]["properties"] == expected_properties, name
        assert sorted(tool["inputSchema"].get("required", [])) == sorted(p["name"] for p in params if p.get("required"))
        assert tool["inputSchema"]["additionalProperties"] is False
        # outputSchema: the method's result schema
        assert tool["outputSchema"] == resolve(method["result"]["schema"], components), name

        hints = tool["annotations"]
        if name in READ_ONLY:
            assert hints["readOnlyHint"] is True, name
        else:
            assert hints["readOnlyHint"] is False, name
        if name in MONEY:
            assert "cost money" in tool["description"] and "idempotencyKey" in tool["description"]
            assert "idempotencyKey" in tool["inputSchema"]["properties"]
            assert hints["destructiveHint"] is False and hints["idempotentHint"] is False

    delete = tools["deleteNumber"]
    assert delete["annotations"]["destructiveHint"] is True
    assert "confirm" in delete["inputSchema"]["required"]
    assert "credentials set" in tools["getCredentialStatus"]["description"]

    bulk = tools["deleteNumbers"]
    assert (bulk["annotations"]["destructiveHint"], bulk["annotations"]["idempotentHint"]) == (True, False)
    assert "Irreversible" in bulk["description"] and "release N numbers" in bulk["description"]
    assert sorted(bulk["inputSchema"]["required"]) == ["confirm", "ids"]
    usage = tools["getUsage"]
    assert usage["annotations"]["readOnlyHint"] is True and usage["annotations"]["openWorldHint"] is True
    assert "maxAgeSeconds" in usage["description"] and "maxAgeSeconds" in usage["inputSchema"]["properties"]
    assert "E.164" in tools["getNumber"]["description"] and "number" in tools["getNumber"]["inputSchema"]["properties"]
