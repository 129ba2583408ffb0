"""The module rules (docs/contributing/modules.md), checked against what Package.swift declares.

Data flows one way: JSON → JSONRPC (the engine, which knows nothing of telephony) and JSON → Telephony
(which knows nothing of JSON-RPC) → Switchboard (the service) → the faces (SwitchboardMCP, the
executable). A dependency edge the rules do not allow fails here, before it spreads.
"""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# target -> the targets and products it may depend on
ALLOWED = {
    "JSON": set(),
    "JSONRPC": {"JSON"},
    "Telephony": {"JSON", "AsyncHTTPClient", "NIOCore", "NIOPosix", "NIOHTTP1", "NIOSSL", "NIOFoundationCompat",
                  "Logging"},
    "Vault": {"GRDB", "Crypto"},
    "Switchboard": {"JSON", "JSONRPC", "Telephony", "Vault", "Logging"},
    "SwitchboardMCP": {"Switchboard", "JSON", "JSONRPC", "Logging"},
    # Vault directly only for `credentials reset`, which must work on a store the service cannot open.
    "switchboard-cli": {"Switchboard", "SwitchboardMCP", "JSON", "JSONRPC", "Vault", "ArgumentParser", "Logging"},
}


# a test target named otherwise than <Target>Tests
TESTED = {"SwitchboardCLITests": "switchboard-cli"}


def closure(target):
    seen, todo = set(), [target]
    while todo:
        for dep in ALLOWED.get(todo.pop(), ()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


@pytest.fixture(scope="module")
def package():
    if shutil.which("swift") is None:
        pytest.fail("swift is needed to read Package.swift (swift package dump-package)")
    out = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def edges(target):
    for dep in target["dependencies"]:
        (kind, value), = dep.items()
        yield value[0]


def test_every_target_is_governed_by_a_rule(package):
    targets = {t["name"] for t in package["targets"] if t["type"] != "test"}
    assert targets == set(ALLOWED), f"targets without a rule: {targets - set(ALLOWED)}; rules without a target: " \
                                    f"{set(ALLOWED) - targets}"


def test_dependency_edges_follow_the_module_rules(package):
    bad = []
    for target in package["targets"]:
        name = target["name"]
        if target["type"] == "test":
            subject = TESTED.get(name, name.removesuffix("Tests"))
            allowed = {subject} | closure(subject)
        else:
            allowed = ALLOWED[name]
        bad += [f"{name} -> {dep}" for dep in edges(target) if dep not in allowed]
    assert not bad, "edges the module rules do not allow: " + ", ".join(bad)


def test_only_the_executable_reads_the_environment():
    """Configuration is read once, in the executable (EnvironmentConfiguration), and handed down: no
    library reads the process environment or a SWITCHBOARD_* variable (Telephony parses the proxy
    variables out of the dictionary it is handed)."""
    readers = []
    for path in (ROOT / "Sources").rglob("*.swift"):
        if path.parts[-3] == "switchboard-cli" or "switchboard-cli" in path.parts:
            continue
        text = path.read_text()
        if "ProcessInfo.processInfo.environment" in text or "getenv(" in text or re.search(r'\[\s*"SWITCHBOARD_', text):
            readers.append(str(path.relative_to(ROOT)))
    assert not readers, f"read the environment outside the executable: {readers}"


def test_the_engine_and_telephony_know_nothing_of_each_other(package):
    assert "Telephony" not in closure("JSONRPC") and "JSONRPC" not in closure("Telephony")
    for folder, forbidden in (("JSONRPC", "Telephony"), ("Telephony", "JSONRPC"), ("JSON", "JSONRPC")):
        for path in (ROOT / "Sources" / folder).rglob("*.swift"):
            assert f"import {forbidden}\n" not in path.read_text(), f"{path.relative_to(ROOT)} imports {forbidden}"
