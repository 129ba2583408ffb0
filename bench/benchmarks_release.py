"""The release binary itself: the shared objects it loads and its size (as built, stripped,
xz-compressed), beside a baseline build (`--baseline`)."""
from __future__ import annotations

import lzma
import shutil
import subprocess
from pathlib import Path

from harness import Context, Result, benchmark, meets_cell

SECTION = "Release binary"
BENCHMARKS = []
TARGET_SHARED_OBJECTS = 12
TARGET_STRIPPED_MIB = 80


def mib(n: int) -> str:
    return f"{n / 1048576:,.1f}"


def shared_objects(binary: Path) -> list[str]:
    """`ldd`'s list: every object the dynamic loader maps, the vDSO and the loader included."""
    out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def sizes(ctx: Context, binary: Path, name: str) -> dict:
    stripped = ctx.tmp_path(f"{name}.stripped")
    shutil.copyfile(binary, stripped)
    subprocess.run(["strip", "-o", str(stripped), str(binary)], check=True)
    data = stripped.read_bytes()
    xz = len(lzma.compress(data, preset=6))
    return {"as_built": binary.stat().st_size, "stripped": len(data), "xz": xz}


@benchmark(BENCHMARKS, "release_binary", "Shared objects and size")
def release_binary(ctx: Context) -> Result:
    subjects = {"switchboard": ctx.binary}
    if ctx.baseline:
        subjects["baseline"] = ctx.baseline
    rows, data = [], {}
    r = Result(description=(
        "`ldd` of the binary (every object the dynamic loader maps, counting the vDSO and the loader itself), and "
        "its size as built, after `strip`, and after `xz -6` of the stripped file (Python's `lzma`, preset 6). "
        "The release command in README builds it with `--static-swift-stdlib -Xlinker -s` (stripped as built)."))
    for name, binary in subjects.items():
        objects = shared_objects(binary)
        size = sizes(ctx, binary, name)
        data[name] = {"shared_objects": objects, **size}
        current = name == "switchboard"
        label = "**Switchboard**" if current else f"baseline build (`--baseline`)"
        rows.append([label, len(objects), mib(size["as_built"]), mib(size["stripped"]), mib(size["xz"]),
                     meets_cell(len(objects) <= TARGET_SHARED_OBJECTS and size["stripped"] <= TARGET_STRIPPED_MIB * 1048576)
                     if current else "—"])
        if current:
            r.target("shared objects loaded (`ldd`)", str(len(objects)), f"≤ {TARGET_SHARED_OBJECTS}",
                     len(objects) <= TARGET_SHARED_OBJECTS)
            r.target("size stripped", f"{mib(size['stripped'])} MiB", f"≤ {TARGET_STRIPPED_MIB} MiB",
                     size["stripped"] <= TARGET_STRIPPED_MIB * 1048576)
    r.table(["Binary", "Shared objects (`ldd`)", "As built MiB", "Stripped MiB", "Stripped + xz MiB",
             "Meets targets (≤ 12 objects, ≤ 80 MiB stripped)?"], rows)
    for name, d in data.items():
        r.note(f"{'Switchboard' if name == 'switchboard' else 'Baseline'}: " + ", ".join(
            f"`{o.rsplit('/', 1)[-1]}`" for o in d["shared_objects"]) + ".")
    r.data = data
    return r
