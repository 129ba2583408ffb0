"""Shared helpers for the Switchboard benchmarks (Python 3.11 standard library only).

Everything here measures WHOLE PROCESSES: the real `switchboard` binary is spawned over pipes,
exactly as a host would run it. Benchmark modules (`bench/benchmarks_*.py`) import this module,
define small functions `fn(ctx) -> Result` and register them in their module-level
`BENCHMARKS` list with the `benchmark(...)` decorator:

    from harness import Context, Result, benchmark

    SECTION = "Vault"              # the `## Vault` heading in BENCHMARKS.md
    BENCHMARKS = []

    @benchmark(BENCHMARKS, "vault_cold_start", "Cold start with a credential store")
    def vault_cold_start(ctx: Context) -> Result:
        home = ctx.new_home()
        ...
        result = Result()
        result.table(["Measure", "Value"], [["median", fmt_ms(...)]])
        result.target("cold start median", value, "≤ 20 ms", value <= 20)
        return result

`bench/run.py` discovers the modules, runs the registered functions and renders the results.
"""
from __future__ import annotations

import dataclasses
import gc
import json
import math
import os
import platform
import re
import resource
import shutil
import sys
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
DEFAULT_BINARY = ROOT / ".build" / "release" / "switchboard"

now_ns = time.perf_counter_ns
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = 1 << 20  # read size for pipes: 1 MiB


# ---------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Benchmark:
    name: str                      # used by --only and as the key in results.json
    title: str                     # the `###` heading in BENCHMARKS.md
    fn: Callable[["Context"], "Result"]
    section: str | None = None     # defaults to the module's SECTION
    module: str | None = None


def benchmark(registry: list, name: str, title: str, section: str | None = None):
    """Decorator: appends the function to `registry` (a module's BENCHMARKS list)."""
    def register(fn):
        registry.append(Benchmark(name=name, title=title, fn=fn, section=section, module=fn.__module__))
        return fn
    return register


@dataclasses.dataclass
class Result:
    """What one benchmark hands back. Everything must be JSON-serialisable: BENCHMARKS.md is
    rendered from the JSON form only (so earlier results can be re-rendered and merged)."""
    description: str = ""                              # paragraph under the heading (markdown)
    tables: list = dataclasses.field(default_factory=list)   # [{"title", "headers", "rows"}]
    targets: list = dataclasses.field(default_factory=list)  # [{"measure","value","target","meets"}]
    notes: list = dataclasses.field(default_factory=list)    # bullet points under the tables
    data: dict = dataclasses.field(default_factory=dict)     # raw figures for results.json

    def table(self, headers: Sequence[str], rows: Iterable[Sequence], title: str | None = None):
        self.tables.append({"title": title, "headers": list(headers),
                            "rows": [[str(c) for c in row] for row in rows]})

    def target(self, measure: str, value: str, target: str, meets: bool | None):
        self.targets.append({"measure": measure, "value": value, "target": target,
                             "meets": None if meets is None else bool(meets)})

    def note(self, text: str):
        self.notes.append(text)


def meets_cell(meets: bool | None) -> str:
    return "—" if meets is None else ("✅ yes" if meets else "❌ no")


# ---------------------------------------------------------------------------------------------
# Context handed to each benchmark
# ---------------------------------------------------------------------------------------------
class Context:
    def __init__(self, binary: Path, quick: bool, out_dir: Path, verbose: bool = True,
                 baseline: Path | None = None):
        self.binary = Path(binary)
        # An earlier build measured beside `binary` in the same run (`--baseline`), or None.
        self.baseline = Path(baseline) if baseline else None
        self.quick = quick
        self.out_dir = out_dir
        self.verbose = verbose
        self._tmp = Path(tempfile.mkdtemp(prefix="switchboard-bench-"))
        self.shared: dict = {}     # lets one benchmark reuse figures measured by another

    def pick(self, full, quick):
        """`full` normally, `quick` with --quick."""
        return quick if self.quick else full

    def new_home(self) -> Path:
        """A fresh, empty SWITCHBOARD_HOME directory (removed at the end of the run)."""
        return Path(tempfile.mkdtemp(prefix="home-", dir=self._tmp))

    def tmp_path(self, name: str) -> Path:
        return self._tmp / name

    def log(self, message: str):
        if self.verbose:
            print(f"    {message}", flush=True)

    def env(self, home: Path, extra: dict | None = None) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SWITCHBOARD_")}
        env["SWITCHBOARD_HOME"] = str(home)
        env.update(extra or {})
        return env

    def spawn(self, home: Path | None = None, args: Sequence[str] = (), env: dict | None = None,
              stdin=subprocess.PIPE, stdout=subprocess.PIPE, binary: Path | None = None) -> "Proc":
        """Starts the switchboard binary, or `binary` (e.g. the `--baseline` build); stderr goes to a
        file next to the home."""
        home = home or self.new_home()
        return Proc.start([str(binary or self.binary), *args], env=self.env(home, env), home=home,
                          stdin=stdin, stdout=stdout, stderr_path=home.with_suffix(".stderr"))

    def cleanup(self):
        shutil.rmtree(self._tmp, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------------
class Proc:
    """A child process over raw pipe file descriptors (no Python buffering on either side).

    `send` writes bytes; `read_line` / `read_lines` return complete lines (without the newline)
    from an internal buffer filled with large `os.read` calls."""

    def __init__(self, popen: subprocess.Popen, home: Path | None, stderr_path: Path | None):
        self.popen = popen
        self.pid = popen.pid
        self.home = home
        self.stderr_path = stderr_path
        self.in_fd = popen.stdin.fileno() if popen.stdin else None
        self.out_fd = popen.stdout.fileno() if popen.stdout else None
        self._buf = bytearray()
        self.rusage = None

    @classmethod
    def start(cls, argv: Sequence[str], env: dict | None = None, home: Path | None = None,
              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr_path: Path | None = None,
              stderr=None) -> "Proc":
        """`stderr_path`: a file to receive stderr; or pass an already open `stderr` (file object
        or fd), e.g. when the open() must stay outside a timed region; default /dev/null."""
        own = None
        if stderr is None:
            own = open(stderr_path, "wb") if stderr_path else None
            stderr = own if own else subprocess.DEVNULL
        try:
            popen = subprocess.Popen(list(argv), stdin=stdin, stdout=stdout, stderr=stderr, env=env, bufsize=0)
        finally:
            if own:
                own.close()
        return cls(popen, home, stderr_path)

    # -- writing -----------------------------------------------------------------------------
    def send(self, data: bytes):
        view = memoryview(data)
        while view:
            written = os.write(self.in_fd, view[:PAGE])
            view = view[written:]

    def close_stdin(self):
        if self.popen.stdin and not self.popen.stdin.closed:
            try:
                self.popen.stdin.close()
            except BrokenPipeError:
                pass

    # -- reading -----------------------------------------------------------------------------
    def read_line(self, bufsize: int = 65536) -> bytes:
        """Blocks for the next complete line. Raises EOFError if stdout closes first."""
        while True:
            nl = self._buf.find(b"\n")
            if nl >= 0:
                line = bytes(self._buf[:nl])
                del self._buf[:nl + 1]
                return line
            chunk = os.read(self.out_fd, bufsize)
            if not chunk:
                raise EOFError(f"process {self.pid} closed stdout; stderr: {self.stderr_tail()!r}")
            self._buf += chunk

    def read_lines(self, count: int) -> list[bytes]:
        return [self.read_line() for _ in range(count)]

    def read_to_eof(self) -> bytes:
        chunks = [bytes(self._buf)]
        self._buf.clear()
        while True:
            chunk = os.read(self.out_fd, PAGE)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)

    # -- ending ------------------------------------------------------------------------------
    def wait(self, timeout: float = 30.0) -> int:
        """Waits for exit and records the child's rusage (ru_maxrss, CPU times)."""
        deadline = time.monotonic() + timeout
        while True:
            pid, status, rusage = os.wait4(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.rusage = rusage
                self.popen.returncode = os.waitstatus_to_exitcode(status)
                return self.popen.returncode
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.popen.args, timeout)
            time.sleep(0.0005)

    def wait_blocking(self) -> int:
        """Waits for exit without polling (for timing the exit itself)."""
        _, status, rusage = os.wait4(self.pid, 0)
        self.rusage = rusage
        self.popen.returncode = os.waitstatus_to_exitcode(status)
        return self.popen.returncode

    def stop(self, timeout: float = 10.0) -> int:
        """Closes stdin (the polite way to end the server) and waits; kills after `timeout`."""
        if self.popen.returncode is not None:
            return self.popen.returncode
        self.close_stdin()
        try:
            return self.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.popen.returncode

    def kill(self):
        if self.popen.returncode is None:
            try:
                self.popen.kill()
            except ProcessLookupError:
                pass
            self.wait_blocking()

    def close(self):
        """Idempotent clean-up for `finally:` blocks: ends the process and closes our fds."""
        try:
            self.stop(timeout=5)
        finally:
            for stream in (self.popen.stdin, self.popen.stdout):
                if stream:
                    try:
                        stream.close()
                    except OSError:
                        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def stderr_tail(self, limit: int = 2000) -> str:
        if not self.stderr_path or not self.stderr_path.exists():
            return ""
        return self.stderr_path.read_bytes()[-limit:].decode(errors="replace")

    # -- /proc -------------------------------------------------------------------------------
    def status_kib(self, field: str = "VmRSS") -> int:
        return proc_status_kib(self.pid, field)

    def cpu_seconds(self) -> float:
        return proc_cpu_seconds(self.pid)


def proc_status_kib(pid: int, field: str = "VmRSS") -> int:
    """A `kB` field of /proc/<pid>/status: VmRSS (resident now) or VmHWM (peak resident)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def proc_cpu_seconds(pid: int) -> float:
    """utime + stime of a live process (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def own_cpu_seconds() -> float:
    """CPU time of this Python process (all threads), user + system, from getrusage (µs
    resolution, unlike the 10 ms ticks of os.times())."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def system_busy_seconds() -> float:
    """CPU seconds spent busy by the whole machine (all CPUs, all processes), from /proc/stat.
    Busy minus the server's and the harness's own CPU = interference from other processes."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)   # idle + iowait
    return (sum(fields[:8]) - idle) / CLK_TCK                   # guest time is already in user


def background_cores(window: float = 1.0) -> float:
    """How many CPUs the rest of the machine keeps busy, averaged over `window` seconds."""
    busy0, own0, t0 = system_busy_seconds(), own_cpu_seconds(), time.monotonic()
    time.sleep(window)
    elapsed = time.monotonic() - t0
    return max(0.0, system_busy_seconds() - busy0 - (own_cpu_seconds() - own0)) / elapsed


def wait_for_quiet(max_wait: float, threshold: float = 0.1, quiet_windows: int = 3,
                   log: Callable[[str], None] = print) -> float:
    """Waits (up to `max_wait` s) until other processes use < `threshold` CPUs for
    `quiet_windows` consecutive 1 s windows. Returns the last measured background load."""
    deadline, streak, load = time.monotonic() + max_wait, 0, background_cores()
    while True:
        streak = streak + 1 if load < threshold else 0
        if streak >= quiet_windows:
            return load
        if time.monotonic() >= deadline:
            log(f"machine still busy ({load:.2f} CPUs used by other processes); measuring anyway")
            return load
        load = background_cores()


class CpuLoad:
    """A deliberate, reproducible load: `count` busy-loop processes (default: one per CPU) for as long
    as the `with` block runs. For figures the issues ask for "on a loaded machine" as well as a quiet one."""

    def __init__(self, count: int | None = None):
        self.count = count if count is not None else (os.cpu_count() or 1)
        self.procs: list[subprocess.Popen] = []

    def __enter__(self):
        for _ in range(self.count):
            self.procs.append(subprocess.Popen([sys.executable, "-c", "while True: pass"],
                                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL))
        time.sleep(0.5)  # let them reach full speed
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.kill()
        for p in self.procs:
            p.wait()
        self.procs.clear()


class RssSampler:
    """Samples VmRSS of a pid every `interval` seconds in a background thread."""

    def __init__(self, pid: int, interval: float = 0.01):
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[int, int]] = []  # (perf_counter_ns, KiB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.samples.append((now_ns(), proc_status_kib(self.pid)))
            except (FileNotFoundError, ProcessLookupError, KeyError):
                return
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def max_kib(self) -> int:
        return max((kib for _, kib in self.samples), default=0)


# ---------------------------------------------------------------------------------------------
# JSON-RPC
# ---------------------------------------------------------------------------------------------
def encode_request(id, method: str, params=None) -> bytes:
    msg = {"jsonrpc": "2.0", "id": id, "method": method}
    if params is not None:
        msg["params"] = params
    return json.dumps(msg, separators=(",", ":")).encode() + b"\n"


def ping_batch(first_id: int, count: int) -> bytes:
    """`count` ping requests with ids first_id.., pre-encoded as one bytes object."""
    return b"".join(b'{"jsonrpc":"2.0","id":%d,"method":"ping"}\n' % i
                    for i in range(first_id, first_id + count))


class RpcClient:
    """A small synchronous JSON-RPC client over a Proc, for benchmarks that are not about the
    client's own speed. Replies may come out of order; they are matched by id."""

    def __init__(self, proc: Proc):
        self.proc = proc
        self.next_id = 0
        self.unmatched: dict = {}
        self.notifications: list = []

    def _next_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def start(self, method: str, params=None) -> int:
        id = self._next_id()
        self.proc.send(encode_request(id, method, params))
        return id

    def reply(self, id) -> dict:
        while id not in self.unmatched:
            msg = json.loads(self.proc.read_line())
            if "id" in msg and "method" not in msg:
                self.unmatched[msg["id"]] = msg
            else:
                self.notifications.append(msg)
        return self.unmatched.pop(id)

    def request(self, method: str, params=None) -> dict:
        return self.reply(self.start(method, params))

    def call(self, method: str, params=None):
        reply = self.request(method, params)
        if "error" in reply:
            raise RuntimeError(f"{method} failed: {reply['error']}")
        return reply["result"]

    def request_many(self, calls: Sequence[tuple[str, object]]) -> list[dict]:
        """Sends all requests at once, then collects every reply (in request order)."""
        ids = [self._next_id() for _ in calls]
        self.proc.send(b"".join(encode_request(i, m, p) for i, (m, p) in zip(ids, calls)))
        return [self.reply(i) for i in ids]


# ---------------------------------------------------------------------------------------------
# Statistics and formatting
# ---------------------------------------------------------------------------------------------
def percentile(values: Sequence[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default 'linear' method)."""
    if not values:
        return math.nan
    s = sorted(values)
    k = (len(s) - 1) * (p / 100.0)
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summarize(values: Sequence[float]) -> dict:
    return {"n": len(values), "min": min(values), "median": percentile(values, 50),
            "p90": percentile(values, 90), "p99": percentile(values, 99), "max": max(values),
            "mean": sum(values) / len(values)}


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson correlation coefficient (nan when undefined)."""
    n = len(xs)
    if n < 3:
        return math.nan
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else math.nan


def fmt(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}"


def fmt_int(value: float) -> str:
    return f"{round(value):,}"


def kib_to_mib(kib: float) -> float:
    return kib / 1024.0


def fmt_mib(kib: float) -> str:
    return f"{kib / 1024.0:.1f}"


def ns_to_ms(ns: float) -> float:
    return ns / 1e6


def ns_to_us(ns: float) -> float:
    return ns / 1e3


# ---------------------------------------------------------------------------------------------
# Machine facts
# ---------------------------------------------------------------------------------------------
def _run(argv: Sequence[str]) -> str:
    try:
        return subprocess.run(list(argv), capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def machine_facts(binary: Path) -> dict:
    cpu_model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    swift_line = next((l for l in _run(["swift", "--version"]).splitlines() if l.strip()), "unavailable")
    ldd = _run(["ldd", str(binary)])
    dynamic_libs = sorted(set(re.findall(r"(libswift\w*\.so)", ldd)))
    try:
        mem_total_kib = proc_status_like("/proc/meminfo", "MemTotal")
    except (OSError, KeyError):
        mem_total_kib = 0
    stat = binary.stat()
    return {
        "date_utc": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "mem_total_gib": round(mem_total_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "loadavg_at_start": os.getloadavg()[0],
        "python": platform.python_version(),
        "swift_version": swift_line.strip(),
        "binary": str(binary),
        "binary_size_bytes": stat.st_size,
        "binary_mtime_utc": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(stat.st_mtime)),
        "static_swift_stdlib": "libswiftCore.so" not in ldd,
        "dynamic_swift_libs": dynamic_libs,
    }


def proc_status_like(path: str, field: str) -> int:
    with open(path) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


class gc_paused:
    """No Python garbage collection inside timed regions (it would show up as latency spikes)."""

    def __enter__(self):
        self.was = gc.isenabled()
        gc.collect()
        gc.disable()

    def __exit__(self, *exc):
        if self.was:
            gc.enable()
