"""The generated client files (Python and Node) match the live server's rpc.discover, and a change to
the server's contract alone is caught."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GENERATOR = ROOT / "scripts" / "generate_clients.py"
GENERATED = ["clients/python/switchboard_client/_generated_types.py",
             "clients/python/switchboard_client/_generated_methods.py",
             "clients/python/switchboard_client/_generated_errors.py",
             "clients/node/generated.js", "clients/node/generated.d.ts"]


def generate(*args):
    return subprocess.run([sys.executable, str(GENERATOR), *args], capture_output=True, text=True, timeout=120)


def live_document(client) -> dict:
    doc = client.call("rpc.discover")
    # The client fixture runs with test hooks on; the generator asks a server without them.
    doc["methods"] = [m for m in doc["methods"] if not m.get("x-test-only")]
    return doc


def test_committed_clients_match_the_live_server(binary):
    done = generate("--check", "--binary", binary)
    assert done.returncode == 0, f"generated clients are stale:\n{done.stdout[-4000:]}\n{done.stderr}"


def test_generation_is_deterministic(client, tmp_path):
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(live_document(client)))
    for out in ("a", "b"):
        assert generate("--document", str(path), "--out-root", str(tmp_path / out)).returncode == 0
    for rel in GENERATED:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes() == (ROOT / rel).read_bytes()


def test_a_param_or_method_added_to_the_server_alone_fails_the_check(client, tmp_path):
    doc = live_document(client)
    changed = copy.deepcopy(doc)
    listing = next(m for m in changed["methods"] if m["name"] == "listNumbers")
    listing["params"].append({"name": "areaCodeFilter", "schema": {"type": "string"}})
    added = copy.deepcopy(next(m for m in changed["methods"] if m["name"] == "getNumber"))
    added["name"] = "archiveNumber"
    changed["methods"].append(added)
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed))

    done = generate("--check", "--document", str(path))
    assert done.returncode == 1
    assert "generated client file(s) differ" in done.stderr
    for rel in ("_generated_methods.py", "generated.js", "generated.d.ts"):
        assert rel in done.stderr
    added_lines = [line for line in done.stdout.splitlines() if line.startswith("+")]
    assert any("area_code_filter" in line for line in added_lines)          # Python keyword argument
    assert any("def archive_number" in line for line in added_lines)        # Python method
    assert any("areaCodeFilter?: string" in line for line in added_lines)   # TypeScript param
    assert any("archiveNumber(params" in line for line in added_lines)      # TypeScript method

    # A param only removed is caught as well.
    removed = copy.deepcopy(doc)
    next(m for m in removed["methods"] if m["name"] == "listTwilio")["params"].pop(1)
    path.write_text(json.dumps(removed))
    assert generate("--check", "--document", str(path)).returncode == 1

    # The unchanged document passes, so the failures above come from the changes alone.
    path.write_text(json.dumps(doc))
    assert generate("--check", "--document", str(path)).returncode == 0


def test_generated_python_client_gains_the_new_method(client, tmp_path):
    changed = live_document(client)
    added = copy.deepcopy(next(m for m in changed["methods"] if m["name"] == "ping"))
    added["name"] = "pingTwice"
    changed["methods"].append(added)
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(changed))
    assert generate("--document", str(path), "--out-root", str(tmp_path / "out")).returncode == 0
    text = (tmp_path / "out" / "clients/python/switchboard_client/_generated_methods.py").read_text()
    assert "def ping_twice(self" in text and "async def ping_twice(self" in text
    node = (tmp_path / "out" / "clients/node/generated.js").read_text()
    assert '"pingTwice": {' in node
