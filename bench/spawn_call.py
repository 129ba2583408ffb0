"""Timing one whole process: spawn → the reply to one request (or → exit), with its rusage.

Shared by benchmarks_vault.py and benchmarks_numbers.py. Standard library only.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Sequence

from harness import PAGE, Proc, now_ns, proc_status_kib


def timed_call(argv: Sequence[str], env: dict, request: bytes, stderr_path: Path,
               bufsize: int = PAGE) -> dict:
    """Spawns `argv`, writes `request` (one line) at once and reads until the first complete
    line. Returns:

    - `wall_ns`: Popen → the reply line complete (what a host waits for);
    - `first_byte_ns`: Popen → the first byte of the reply (so `wall_ns - first_byte_ns` is the
      time the reply took to come through the pipe: the writing, as the reader sees it);
    - `exit_ns`: closing stdin → exit (informational, not part of `wall_ns`);
    - `reply`: the line (without the newline);
    - `vmhwm_kib`: the child's peak resident memory (VmHWM from /proc/<pid>/status, read after the
      reply arrived, before stdin is closed);
    - `cpu_s`: user+system CPU of the child, from wait4;
    - `maxrss_kib`: wait4's ru_maxrss, kept for reference only: Linux carries the *parent's* peak
      RSS over fork+exec into it, so for a child of this (large) Python process it is at least the
      harness's own peak and says little about the child.
    """
    with open(stderr_path, "ab") as err:
        t0 = now_ns()
        p = Proc.start(argv, env=env, stderr=err, stderr_path=stderr_path)
        try:
            os.write(p.in_fd, request)
            chunks, first, fd = [], None, p.out_fd
            while True:
                chunk = os.read(fd, bufsize)
                if not chunk:
                    raise EOFError(f"{argv[0]} closed stdout before replying; stderr: {p.stderr_tail()!r}")
                if first is None:
                    first = now_ns()
                chunks.append(chunk)
                if b"\n" in chunk:
                    break
            t1 = now_ns()
            hwm = proc_status_kib(p.pid, "VmHWM")
            p.close_stdin()
            t2 = now_ns()
            p.wait_blocking()
            t3 = now_ns()
        finally:
            p.close()
    data = b"".join(chunks)
    line = data[:data.index(b"\n")]
    ru = p.rusage
    return {"wall_ns": t1 - t0, "first_byte_ns": first - t0, "exit_ns": t3 - t2, "reply": line, "vmhwm_kib": hwm,
            "maxrss_kib": ru.ru_maxrss, "cpu_s": ru.ru_utime + ru.ru_stime, "exit_code": p.popen.returncode}


def timed_run(argv: Sequence[str], env: dict | None, stderr_path: Path, stdin=subprocess.DEVNULL,
              until_line: bool = False) -> dict:
    """Spawns `argv` and waits for it to exit (or, with `until_line`, for its first stdout line).
    Returns `wall_ns` (Popen → exit, or → the line), `total_ns` (Popen → exit), `stdout` (all of
    it), `cpu_s`, `exit_code` and `maxrss_kib` (wait4's, polluted by the harness's own peak: see
    `timed_call`; a child that matters reports its own VmHWM instead)."""
    with open(stderr_path, "ab") as err:
        t0 = now_ns()
        p = Proc.start(argv, env=env, stdin=stdin, stderr=err, stderr_path=stderr_path)
        try:
            t_line = None
            if until_line:
                line = p.read_line()
                t_line = now_ns()
                rest = p.read_to_eof()
                out = line + b"\n" + rest
            else:
                out = p.read_to_eof()
            p.wait_blocking()
            t1 = now_ns()
        finally:
            p.close()
    ru = p.rusage
    return {"wall_ns": (t_line or t1) - t0, "total_ns": t1 - t0, "stdout": out, "maxrss_kib": ru.ru_maxrss,
            "cpu_s": ru.ru_utime + ru.ru_stime, "exit_code": p.popen.returncode}


def mount_of(path: Path) -> str:
    """`fstype device` of the mount holding `path` (from /proc/self/mounts), e.g. `ext4 /dev/vda`."""
    best, found = "", "unknown"
    try:
        target = os.path.realpath(path)
        with open("/proc/self/mounts") as f:
            for line in f:
                dev, mnt, fstype = line.split()[:3]
                mnt = mnt.replace("\\040", " ")
                if (target == mnt or target.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
                    best, found = mnt, f"{fstype} {dev}"
    except OSError:
        pass
    return found
