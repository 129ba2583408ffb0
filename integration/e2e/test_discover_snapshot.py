"""rpc.discover is published exactly as reviewed: the document (members in order, every schema,
summary and example) must equal the committed snapshot, so a change to a method's declaration that
changes what hosts are told shows up in review instead of slipping through.

After an intended change: SWITCHBOARD_UPDATE_SNAPSHOTS=1 python3 -m pytest integration/e2e/test_discover_snapshot.py
and commit the snapshot with protocol.md and the regenerated clients."""
import json
import os
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "snapshots" / "rpc-discover.json"


def render(document):
    # Python keeps member order and text as sent, so this is the reply's own content, laid out for diffs.
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def test_discover_matches_the_committed_snapshot(spawn):
    document = spawn(test_hooks=False).call("rpc.discover")
    if os.environ.get("SWITCHBOARD_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(render(document), encoding="utf-8")
    assert render(document) == SNAPSHOT.read_text(encoding="utf-8"), (
        "rpc.discover changed; if intended, rerun with SWITCHBOARD_UPDATE_SNAPSHOTS=1 and commit the snapshot"
    )
