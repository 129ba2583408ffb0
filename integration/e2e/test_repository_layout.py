"""The repository's own hygiene: rules about tracked paths that no compiler checks.

- No two tracked paths may differ only by case: on a case-insensitive file system (macOS's default)
  they are one path, so SwiftPM would see two targets in one folder and `git mv` would break.
- No file may name an absolute path of one particular machine.
"""
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def tracked_paths():
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [p for p in out.decode().split("\0") if p]


def test_no_two_tracked_paths_differ_only_by_case():
    seen = {}
    clashes = []
    for path in tracked_paths():
        parts = path.split("/")
        for i in range(1, len(parts) + 1):
            prefix = "/".join(parts[:i])
            other = seen.setdefault(prefix.lower(), prefix)
            if other != prefix:
                clashes.append((other, prefix))
    assert not sorted(set(clashes)), f"paths that differ only by case: {sorted(set(clashes))[:5]}"


MACHINE_PATH = re.compile(r"(?<![\w.])(/work/|/home/[a-z][a-z0-9_-]*/|/Users/[A-Za-z][\w.-]*/)")


def test_no_file_names_a_path_of_one_machine():
    offenders = []
    for path in tracked_paths():
        if not path.endswith((".md", ".py", ".swift", ".js", ".mjs", ".ts", ".sh", ".json", ".toml", ".html")):
            continue
        if path == "integration/e2e/test_repository_layout.py":
            continue
        text = (ROOT / path).read_text(encoding="utf-8", errors="replace")
        for n, line in enumerate(text.splitlines(), 1):
            if MACHINE_PATH.search(line):
                offenders.append(f"{path}:{n}: {line.strip()[:120]}")
    assert not offenders, "absolute paths of one machine:\n" + "\n".join(offenders[:20])
