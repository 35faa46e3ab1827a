"""The direction of imports between the package's layers, as the README draws it.

The core is pure (no I/O, no Office library) and imports nothing else of tthc; the
edges build on it; nothing imports the command line. Every `import` counts, also the
ones made late inside a function, because they run just the same.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "tthc"

# What each layer may import besides itself (the README's developer section draws this).
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "infra": {"core"},
    "workbook": {"core", "infra"},
    "word": {"core", "infra"},
    "imports": {"core", "infra", "workbook"},
    "app": {"core", "infra", "workbook", "word", "imports"},
    "excel": {"core", "infra", "workbook", "word", "app"},
    "cli": {"core", "infra", "workbook", "word", "imports", "app", "excel"},
}
# Libraries only an edge may use: the core runs where no Office library is installed.
OFFICE_LIBRARIES = {"openpyxl", "xlwings", "docx", "docxtpl", "python_calamine", "jinja2"}


def _imports(path: Path) -> set[str]:
    """Every module name an import statement in the file names, absolute or relative."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import; write tthc.<layer>.<module>"
            module = node.module or ""
            names.add(module)
            if module == "tthc":
                names.update(f"tthc.{alias.name}" for alias in node.names)
    return names


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "tthc" and parts[1] in ALLOWED else None


def test_every_subpackage_has_a_rule() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(ALLOWED)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_point_down_the_layers(layer: str) -> None:
    wrong = []
    for path in sorted((PACKAGE / layer).glob("*.py")):
        for module in _imports(path):
            target = _layer_of(module)
            if target is not None and target != layer and target not in ALLOWED[layer]:
                wrong.append(f"{layer}/{path.name} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_core_uses_no_office_library_and_no_top_level_module() -> None:
    wrong = []
    for path in sorted((PACKAGE / "core").glob("*.py")):
        for module in _imports(path):
            if module.split(".")[0] in OFFICE_LIBRARIES:
                wrong.append(f"core/{path.name} imports {module}")
            if module.startswith("tthc") and _layer_of(module) != "core":
                wrong.append(f"core/{path.name} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_top_level_modules_are_only_entry_points() -> None:
    """`tthc`, `tthc.udfs` (named by the add-in's VBA) and `python -m tthc` hold no logic."""
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "udfs.py"]
