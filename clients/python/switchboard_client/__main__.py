"""``python -m switchboard_client METHOD [JSON]``: calls one method and prints its result as JSON.

The binary is found as by :class:`Switchboard` (``--binary``, ``$SWITCHBOARD_BIN``, ``PATH``). An error
prints ``{"error": {code, kind, message, data}}`` on stderr and exits with status 1.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import List, Optional

from .client import Switchboard
from .errors import SwitchboardError


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m switchboard_client",
                                     description="Call one switchboard JSON-RPC method and print its result.")
    parser.add_argument("method", help="wire name, e.g. listNumbers or rpc.discover")
    parser.add_argument("params", nargs="?", help="params as a JSON object (default: none)")
    parser.add_argument("--binary", help="switchboard executable (default $SWITCHBOARD_BIN, else PATH)")
    parser.add_argument("--timeout", type=float, help="seconds before the call is cancelled")
    parser.add_argument("--progress", action="store_true", help="print $/progress values on stderr")
    parser.add_argument("--compact", action="store_true", help="one-line JSON output")
    args = parser.parse_args(argv)
    try:
        params = json.loads(args.params) if args.params else None
    except json.JSONDecodeError as exc:
        parser.error(f"params is not JSON: {exc}")
    if params is not None and not isinstance(params, dict):
        parser.error("params must be a JSON object (switchboard takes params by name)")

    def show(value: object) -> None:
        print(json.dumps(value, ensure_ascii=False), file=sys.stderr, flush=True)

    try:
        with Switchboard(args.binary) as sb:
            result = sb.call(args.method, params, timeout=args.timeout,
                             on_progress=show if args.progress else None)
    except SwitchboardError as exc:
        error = {"code": exc.code, "kind": exc.kind, "message": exc.message, "data": exc.data}
        print(json.dumps({"error": error}, ensure_ascii=False), file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=None if args.compact else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
