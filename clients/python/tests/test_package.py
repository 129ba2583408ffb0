"""The package under test is the installed one, identical to the source, typed and stdlib-only."""
from __future__ import annotations

import sys
from pathlib import Path

import switchboard_client

SOURCE = Path(__file__).resolve().parents[1]


def test_installed_copy_is_the_source():
    package = Path(switchboard_client.__file__).resolve().parent
    names = sorted(p.name for p in (SOURCE / "switchboard_client").iterdir() if p.suffix in (".py", ".typed"))
    assert "py.typed" in names
    for name in names:
        assert (package / name).read_bytes() == (SOURCE / "switchboard_client" / name).read_bytes(), (
            f"{package / name} differs from the source: run `pip install ./clients/python`")


def test_standard_library_only():
    text = (SOURCE / "pyproject.toml").read_text()
    assert "dependencies = []" in text and 'requires-python = ">=3.9"' in text
    stdlib = set(sys.stdlib_module_names)
    for path in (SOURCE / "switchboard_client").glob("*.py"):
        for line in path.read_text().splitlines():
            if line.startswith(("import ", "from ")) and not line.startswith("from ."):
                top = line.split()[1].split(".")[0]
                assert top in stdlib or top == "__future__", f"{path.name}: {line}"


def test_generated_annotations_resolve():
    """Every generated TypedDict and method annotation names a type that exists."""
    import inspect
    import typing

    from switchboard_client import _generated_methods, _generated_types
    for name in _generated_types.__all__:
        assert typing.get_type_hints(getattr(_generated_types, name)) is not None
    for cls in (_generated_methods.SyncMethods, _generated_methods.AsyncMethods):
        for name, fn in inspect.getmembers(cls, inspect.isfunction):
            hints = typing.get_type_hints(fn, vars(_generated_methods))
            assert "return" in hints, name
    assert inspect.iscoroutinefunction(_generated_methods.AsyncMethods.list_numbers)
    assert typing.get_type_hints(_generated_methods.SyncMethods.list_numbers)["return"] is _generated_types.Numbers
