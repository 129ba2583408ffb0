"""Where a switchboard process spends its CPU: `perf record -g` one run, then sort every sample
into a category by the first frame (leaf → root) that matches one of the category patterns.

Optional: used only when `perf` is installed and allowed (kernel.perf_event_paranoid ≤ 2 for a
process of our own); otherwise `available()` says why and the benchmarks print that instead.
Sampling at 2 kHz costs a few per cent of speed, so the profiled run is never one of the timed
runs. Standard library only.
"""
from __future__ import annotations

import collections
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Sequence

# Category rules for the service, in priority order *per frame*: each sample is charged to the
# category of the innermost frame that matches any rule (so a `swift_release` called from the
# result encoder counts as "encoding the result").
LISTING_RULES: list[tuple[str, str]] = [
    ("encoding the result (`JSONBytesEncoder`, `JSONArrayBuilder`, the numbers' `write(to:)`; the "
     "`JSONValueEncoder` tree in older builds)",
     r"JSONBytesEncoder|BytesEncoder|JSONArrayBuilder|JSONFragment|5write2to|"
     r"JSONValueEncoder|EncodingNode|NodeEncoder|KeyedNodeContainer|UnkeyedNodeContainer|ScalarEncoding"),
    ("writing the reply (JSON text, `JSONWriter`, output)", r"JSONWriter|OutputWriter"),
    ("reading upstream JSON (`JSONReader` and the wire models; Foundation `JSONDecoder` if any)",
     r"JSONReader|JSONKey|WireReadable|9Telephony.*reading|6Cursor|JSONDecoder|JSONScanner|JSONMap|JSONDecoderImpl"),
    ("HTTP (AsyncHTTPClient / SwiftNIO; URLSession / libcurl in older builds)",
     r"AsyncHTTPClient|NIOPosix|NIOCore|NIOHTTP1|NIOHTTP2|NIOSSL|CNIOBoringSSL|CNIOLLHTTP|NIOConcurrencyHelpers|libcurl|\bcurl_|Curl_|FoundationNetworking|URLSession|HTTPURLProtocol|InFlightRequest|libnghttp|libssl|libcrypto"),
    ("building results (filter, index, `TwilioNumber`/`Number`)",
     r"ListTwilio|ListNumbers|TwilioNumber|ImportedIndex|PartialPageStream|listIncomingPhoneNumbers|listPhoneNumbers|NumberC|6NumberV"),
    ("credential store (GRDB / SQLite / AES-GCM)", r"GRDB|sqlite3|5Vault|Crypto|BoringSSL|CCryptoBoring"),
    ("JSON-RPC engine (framing, parsing requests, scheduling)", r"7JSONRPC"),
    ("process start-up (dynamic loader, runtime init)", r"ld-linux|_dl_|dl_main|_dl_start"),
]

VAULT_RULES: list[tuple[str, str]] = [
    ("per-profile request ordering (`AccessScheduler`)", r"AccessScheduler"),
    ("SQLite / GRDB", r"GRDB|sqlite3"),
    ("decrypting (AES-GCM, swift-crypto)", r"Crypto|BoringSSL|CCryptoBoring|Sealing"),
    ("credential status / vault logic", r"5Vault|CredentialStatus|GetCredentialStatus|SetCredentials"),
    ("encoding and writing the reply",
     r"JSONBytesEncoder|BytesEncoder|JSONValueEncoder|EncodingNode|JSONWriter|OutputWriter"),
    ("JSON-RPC engine (framing, parsing, dispatch)", r"7JSONRPC"),
    ("process start-up (dynamic loader, runtime init)", r"ld-linux|_dl_|dl_main|_dl_start"),
]


def available_for(binary: str) -> tuple[bool, str]:
    """`available()`, and the binary has a symbol table: a stripped build (the README's release
    command strips) leaves every Switchboard frame nameless, so its profile would say nothing."""
    ok, why = available()
    if not ok:
        return ok, why
    try:
        sections = subprocess.run(["readelf", "-S", "--wide", binary], capture_output=True, text=True,
                                  timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return True, ""
    if ".symtab" not in sections:
        return False, ("the binary is stripped (the README's release build is): profile an unstripped build, "
                       "`swift build -c release --static-swift-stdlib --product switchboard`, passed as `--binary`")
    return True, ""


def available() -> tuple[bool, str]:
    perf = shutil.which("perf")
    if not perf:
        return False, "`perf` is not installed (e.g. `apt-get install linux-perf`)"
    try:
        paranoid = int(Path("/proc/sys/kernel/perf_event_paranoid").read_text())
    except (OSError, ValueError):
        paranoid = 2
    if paranoid > 2 and os.geteuid() != 0:
        return False, f"kernel.perf_event_paranoid is {paranoid} (> 2)"
    try:
        probe = subprocess.run([perf, "record", "-q", "-o", "/dev/null", "--", "true"],
                               capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        return False, f"`perf record` failed: {error}"
    if probe.returncode != 0:
        return False, f"`perf record` failed: {probe.stderr.decode(errors='replace').strip()[:200]}"
    return True, perf


def record(argv: Sequence[str], env: dict, data_path: Path, stdin_path: Path | None = None,
           freq: int = 2000, timeout: float = 300) -> dict:
    """Runs `perf record -g -F freq -- argv` (stdin from a file, stdout discarded)."""
    perf = shutil.which("perf")
    cmd = [perf, "record", "-q", "-g", "-F", str(freq), "-o", str(data_path), "--", *argv]
    with open(stdin_path or os.devnull, "rb") as fin, open(str(data_path) + ".stderr", "wb") as err:
        proc = subprocess.run(cmd, stdin=fin, stdout=subprocess.DEVNULL, stderr=err, env=env, timeout=timeout)
    return {"exit_code": proc.returncode}


def classify(data_path: Path, rules: list[tuple[str, str]], timeout: float = 300) -> dict:
    """Reads the samples back (`perf script`) and counts them per category. Returns
    {"samples", "categories": [(name, count, share)], "other_leaves": [(frame, count)]}."""
    perf = shutil.which("perf")
    out = subprocess.run([perf, "script", "-i", str(data_path), "-F", "comm,tid,ip,sym,dso"],
                         capture_output=True, timeout=timeout).stdout.decode(errors="replace")
    compiled = [(name, re.compile(rx)) for name, rx in rules]
    counts: collections.Counter = collections.Counter()
    other_leaves: collections.Counter = collections.Counter()
    kernel = "kernel (system calls, page faults, scheduling)"

    def charge(frames: list[str]):
        if not frames:
            return
        for frame in frames:
            for name, rx in compiled:
                if rx.search(frame):
                    counts[name] += 1
                    return
        leaf = frames[0]
        if "[kernel.kallsyms]" in leaf:
            counts[kernel] += 1
        else:
            counts["other (allocator, Swift runtime, concurrency, libc)"] += 1
            other_leaves[re.sub(r"^\s*[0-9a-f]+\s+", "", leaf)[:90]] += 1

    frames: list[str] = []
    for line in out.splitlines():
        if not line.strip():
            charge(frames)
            frames = []
        elif line[:1] in (" ", "\t") and line.strip()[:1] in "0123456789abcdef" and "(" in line:
            frames.append(line.strip())
        else:
            charge(frames)  # a header line: the previous sample (if any) ends
            frames = []
    charge(frames)
    total = sum(counts.values())
    cats = [(name, n, n / total if total else 0.0) for name, n in counts.most_common()]
    return {"samples": total, "categories": cats, "other_leaves": other_leaves.most_common(5)}
