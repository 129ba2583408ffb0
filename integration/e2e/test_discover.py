"""rpc.discover: a valid OpenRPC 1.3 document that matches the router and protocol.md."""
import json
import re
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
# The shared copy is authoritative; a vendored copy of the same public meta-schema keeps the test
# runnable in a checkout without ../shared.
SCHEMA_CANDIDATES = [SHARED / "reference" / "openrpc-1.3.schema.json", Path(__file__).parent / "openrpc-1.3.schema.json"]


@pytest.fixture
def document(spawn):
    sb = spawn(test_hooks=False)
    return sb.call("rpc.discover")


def test_validates_against_openrpc_meta_schema(document):
    schema_path = next((p for p in SCHEMA_CANDIDATES if p.exists()), None)
    if schema_path is None:
        pytest.fail("the OpenRPC meta-schema is missing")
    meta = json.loads(schema_path.read_text())
    jsonschema.Draft7Validator(meta).validate(document)
    assert document["openrpc"].startswith("1.3")


def test_every_method_has_params_result_and_by_name(document):
    for method in document["methods"]:
        assert method["paramStructure"] == "by-name"
        assert isinstance(method["params"], list)
        if not method.get("x-notification"):
            assert "result" in method, method["name"]
        for schema in [p["schema"] for p in method["params"]] + ([method["result"]["schema"]] if "result" in method else []):
            jsonschema.Draft7Validator.check_schema(schema)


def _resolve(schema, components):
    """Inline `#/components/schemas/X` references so plain draft-07 validation works."""
    if isinstance(schema, dict):
        if "$ref" in schema and schema["$ref"].startswith("#/components/schemas/"):
            return _resolve(components[schema["$ref"].split("/")[-1]], components)
        return {k: _resolve(v, components) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_resolve(v, components) for v in schema]
    return schema


def test_examples_match_their_schemas(document):
    components = document.get("components", {}).get("schemas", {})
    for method in document["methods"]:
        params = {p["name"]: p for p in method["params"]}
        for example in method.get("examples", []):
            for param in example["params"]:
                assert param["name"] in params, (method["name"], param["name"])
                jsonschema.validate(param["value"], _resolve(params[param["name"]]["schema"], components))
            required = {name for name, p in params.items() if p.get("required")}
            assert required <= {p["name"] for p in example["params"]}, method["name"]
            if "result" in example:
                jsonschema.validate(example["result"]["value"], _resolve(method["result"]["schema"], components))


def test_errors_are_unique_and_outside_reserved_ranges_for_domain_codes(document):
    for method in document["methods"]:
        codes = [e["code"] for e in method.get("errors", [])]
        assert len(codes) == len(set(codes)), method["name"]
        for code in codes:
            assert code in (-32600, -32602, -32800, -32802) or not (-32768 <= code <= -32000), (method["name"], code)


def test_discover_lists_exactly_the_methods_served(spawn):
    sb = spawn(test_hooks=False)
    names = [m["name"] for m in sb.call("rpc.discover")["methods"]]
    assert len(names) == len(set(names))
    for name in names:
        if name in ("exit", "initialized", "$/cancelRequest"):
            continue
        reply = sb.request(name, {"__probe__": 1})
        assert reply.get("error", {}).get("code") != -32601, f"{name} is listed but not served"
    assert sb.request("test/sleep", {"ms": 1})["error"]["code"] == -32601  # hooks off: not served, not listed
    assert "test/sleep" not in names


def test_protocol_md_documents_every_method_and_nothing_else(document):
    text = (ROOT / "protocol.md").read_text()
    documented = set(re.findall(r"^### `([^`]+)`", text, flags=re.M))
    listed = {m["name"] for m in document["methods"]}
    assert listed - documented == set(), f"missing from protocol.md: {sorted(listed - documented)}"
    assert documented - listed == set(), f"documented but not served: {sorted(documented - listed)}"


def test_protocol_md_lists_every_error_code(document):
    text = (ROOT / "protocol.md").read_text()
    table_codes = {int(c) for c in re.findall(r"^\| `(-?\d+)` \|", text, flags=re.M)}
    for method in document["methods"]:
        for error in method.get("errors", []):
            assert error["code"] in table_codes, (method["name"], error["code"])
