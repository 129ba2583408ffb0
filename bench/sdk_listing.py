#!/usr/bin/env python3
"""The same listings as Switchboard's, done by the official Python SDKs (for bench/benchmarks_numbers.py).

Run in a fresh interpreter that has the SDK installed (the benchmark uses a venv under bench/out):

    python sdk_listing.py twilio BASE_URL ACCOUNT_SID AUTH_TOKEN [PAGE_SIZE]
        twilio 9.x: Client(sid, token).incoming_phone_numbers.list(page_size=1000), with the API
        domain's base URL pointed at BASE_URL (`client.api.base_url`). The SDK follows each page's
        `next_page_uri` through `Domain.absolute_url`, i.e. to the same BASE_URL.
    python sdk_listing.py vapi BASE_URL VAPI_KEY [LIMIT]
        vapi_server_sdk 3.x: Vapi(token, base_url=BASE_URL); the SDK has no auto-pager for
        `GET /v2/phone-number`, so this walks `phone_numbers.phone_number_controller_find_all_paginated
        (page=N, limit=1000, sort_order="DESC", sort_by="createdAt")` until `metadata.has_next_page`
        is false, as a caller of the SDK would.

Prints one JSON line: {"sdk", "version", "count", "voice", "pages", "import_ms", "list_ms",
"vmhwm_kib"}; every listed item is a fully built SDK object (the SDK's own result type), kept alive
until the end. `vmhwm_kib` is this process's peak RSS (VmHWM of /proc/self/status, read after the
listing), which, unlike the parent's wait4 ru_maxrss, does not include the parent's memory.
Standard library only apart from the SDK itself.
"""
from __future__ import annotations

import json
import sys
import time

T0 = time.perf_counter()


def twilio_listing(base_url: str, sid: str, token: str, page_size: int) -> dict:
    from twilio.rest import Client
    import twilio
    t_imported = time.perf_counter()
    client = Client(sid, token)
    client.api.base_url = base_url.rstrip("/")   # the Domain every v2010 request (and next page) goes to
    numbers = client.incoming_phone_numbers.list(page_size=page_size)
    t_done = time.perf_counter()
    if any(n.phone_number is None or n.sid is None for n in numbers):
        raise SystemExit("an SDK object lacks phone_number or sid")
    return {"sdk": "twilio", "version": getattr(twilio, "__version__", "?"), "count": len(numbers),
            "voice": sum(1 for n in numbers if (n.capabilities or {}).get("voice")),
            "pages": -(-len(numbers) // page_size) if numbers else 1,
            "import_ms": (t_imported - T0) * 1e3, "list_ms": (t_done - t_imported) * 1e3}


def vapi_listing(base_url: str, key: str, limit: int) -> dict:
    from vapi import Vapi
    try:
        from importlib.metadata import version
        sdk_version = version("vapi_server_sdk")
    except Exception:  # noqa: BLE001 - informational only
        sdk_version = "?"
    t_imported = time.perf_counter()
    client = Vapi(token=key, base_url=base_url.rstrip("/"))
    items, page = [], 1
    while True:
        response = client.phone_numbers.phone_number_controller_find_all_paginated(
            page=page, limit=limit, sort_order="DESC", sort_by="createdAt")
        items.extend(response.results)
        if not response.metadata.has_next_page or not response.results:
            break
        page += 1
    t_done = time.perf_counter()
    return {"sdk": "vapi_server_sdk", "version": sdk_version, "count": len(items), "voice": None,
            "pages": page, "import_ms": (t_imported - T0) * 1e3, "list_ms": (t_done - t_imported) * 1e3}


def vmhwm_kib() -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def main(argv: list[str]) -> int:
    if len(argv) >= 4 and argv[0] == "twilio":
        out = twilio_listing(argv[1], argv[2], argv[3], int(argv[4]) if len(argv) > 4 else 1000)
    elif len(argv) >= 3 and argv[0] == "vapi":
        out = vapi_listing(argv[1], argv[2], int(argv[3]) if len(argv) > 3 else 1000)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    out["vmhwm_kib"] = vmhwm_kib()
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
