"""Runs a command on pipes of its own and relays its stdin/stdout/stderr, keeping a copy of every
byte it writes (test helper).

    python3 stdio_tap.py <folder> -- <command> [args...]

The MCP client spawns this tap as its server; the tap spawns `switchboard mcp`, so the server
still talks over real pipes while the test can read what the client sent (`<folder>/stdin.bin`)
and scan everything the server wrote (`stdout.bin`, `stderr.bin`). Exits with the command's status.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading


def relay(source, sink, copy_path: str | None, close_sink: bool):
    copy = open(copy_path, "ab", buffering=0) if copy_path else None
    try:
        while True:
            chunk = os.read(source.fileno(), 65536)
            if not chunk:
                break
            if copy:
                copy.write(chunk)
            try:
                sink.write(chunk)
                sink.flush()
            except (BrokenPipeError, ValueError):
                pass
    finally:
        if copy:
            copy.close()
        if close_sink:
            try:
                sink.close()
            except OSError:
                pass


def main() -> int:
    folder, separator, *command = sys.argv[1:]
    assert separator == "--" and command, __doc__
    stdin_copy, stdout_copy, stderr_copy = (os.path.join(folder, f"{name}.bin") for name in ("stdin", "stdout", "stderr"))
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    threads = [
        threading.Thread(target=relay, args=(sys.stdin.buffer, child.stdin, stdin_copy, True), daemon=True),
        threading.Thread(target=relay, args=(child.stdout, sys.stdout.buffer, stdout_copy, False)),
        threading.Thread(target=relay, args=(child.stderr, sys.stderr.buffer, stderr_copy, False)),
    ]
    for thread in threads:
        thread.start()
    code = child.wait()
    for thread in threads[1:]:
        thread.join()
    return code


if __name__ == "__main__":
    sys.exit(main())
