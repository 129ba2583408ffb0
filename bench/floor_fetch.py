#!/usr/bin/env python3
"""The HTTP floor for the listing benchmarks: the same page URLs fetched by a bare HTTP client.

- `twilio_page_urls` / `vapi_page_urls` walk a listing once (keep-alive `http.client`) and return
  every page's URL (Twilio's `next_page_uri` carries an opaque `PageToken`, so the URLs can only
  be learnt by one preliminary walk), the item count and the body bytes.
- `write_curl_config` writes a `curl -K` file: one `url`/`output = /dev/null` pair per page and
  the credentials (kept off the command line). `curl -K FILE` then fetches every page over one
  keep-alive connection and parses nothing: that is the floor.
- Run as a script, it is the fallback floor when `curl` is missing:
  `python3 floor_fetch.py URL_FILE [HEADER ...]` GETs each URL of URL_FILE (one a line) over one
  keep-alive connection, reads each body fully without parsing it, and prints
  `<status> <bytes>` per URL.

Standard library only.
"""
from __future__ import annotations

import base64
import http.client
import json
import sys
from urllib.parse import urlsplit


def _connection(base_url: str) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(base_url)
    return http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60), base_url.rstrip("/")


def _get(conn: http.client.HTTPConnection, target: str, headers: dict) -> bytes:
    conn.request("GET", target, headers=headers)
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {target.split('?')[0]} -> {response.status}: {body[:300]!r}")
    return body


def twilio_auth_header(account_sid: str, auth_token: str) -> str:
    return "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()


def twilio_page_urls(base_url: str, account_sid: str, auth_token: str, page_size: int = 1000) -> dict:
    """Follows `next_page_uri` from `IncomingPhoneNumbers.json?PageSize=…` to the end."""
    conn, base = _connection(base_url)
    headers = {"Authorization": twilio_auth_header(account_sid, auth_token), "Accept": "application/json"}
    target = f"/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers.json?PageSize={page_size}"
    urls, items, voice, size = [], 0, 0, 0
    try:
        while target:
            urls.append(base + target)
            body = _get(conn, target, headers)
            size += len(body)
            page = json.loads(body)
            numbers = page["incoming_phone_numbers"]
            items += len(numbers)
            voice += sum(1 for n in numbers if n.get("capabilities", {}).get("voice"))
            target = page.get("next_page_uri")
            if len(urls) > 10_000:
                raise RuntimeError("Twilio paging did not end")
    finally:
        conn.close()
    return {"urls": urls, "items": items, "voice": voice, "bytes": size}


def vapi_page_urls(base_url: str, vapi_key: str, limit: int = 1000) -> dict:
    """`/v2/phone-number?page=N&limit=…&sortOrder=DESC&sortBy=createdAt` for N = 1..totalPages."""
    conn, base = _connection(base_url)
    headers = {"Authorization": f"Bearer {vapi_key}", "Accept": "application/json"}
    urls, items, size, page_no, total_pages = [], 0, 0, 1, 1
    try:
        while page_no <= total_pages:
            target = f"/v2/phone-number?page={page_no}&limit={limit}&sortOrder=DESC&sortBy=createdAt"
            urls.append(base + target)
            body = _get(conn, target, headers)
            size += len(body)
            page = json.loads(body)
            items += len(page["results"])
            total_pages = page["metadata"]["totalPages"]
            page_no += 1
    finally:
        conn.close()
    return {"urls": urls, "items": items, "bytes": size}


def write_curl_config(path, urls: list[str], user: str | None = None, headers: list[str] = ()) -> None:
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = []
    if user:
        lines.append(f"user = {q(user)}")
    for h in headers:
        lines.append(f"header = {q(h)}")
    for url in urls:
        lines += [f"url = {q(url)}", 'output = "/dev/null"']
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def curl_argv(curl: str, config_path) -> list[str]:
    """Fetch every URL of the config over one keep-alive connection; one `-w` line per URL."""
    return [curl, "-sS", "--http1.1", "-K", str(config_path),
            "-w", "%{http_code} %{num_connects} %{size_download}\\n"]


def main(argv: list[str]) -> int:
    """Fallback floor: GET every URL of argv[0] (one a line), headers from argv[1:] ("Name: value")."""
    with open(argv[0]) as f:
        urls = [line.strip() for line in f if line.strip()]
    headers = dict(h.split(": ", 1) for h in argv[1:])
    conn, _ = _connection(urls[0])
    out = []
    for url in urls:
        parts = urlsplit(url)
        conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""), headers=headers)
        response = conn.getresponse()
        body = response.read()          # read fully, never parsed
        out.append(f"{response.status} {len(body)}")
    conn.close()
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
