"""sikumuh.core imports only the standard library, NumPy, the geometry libraries (shapely, pyproj),
SciPy (HiGHS, for the planner) and itself (no Django, no app)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "sikumuh" / "core"
# shapely and pyproj: the pure geometry of `sikumuh.core.geometry` (areas, overlaps, CRS);
# scipy: HiGHS through `scipy.optimize.milp` for the planner's knapsack (`sikumuh.core.knapsack`);
# typing_extensions: the standard library's typing of later Pythons (a TypeVar's default, PEP 696,
# for `sikumuh.core.rows.ImportReport`), no behaviour.
ALLOWED_THIRD_PARTY = frozenset({"numpy", "shapely", "pyproj", "scipy", "typing_extensions"})


def _module_name(path: Path) -> str:
    relative = path.relative_to(CORE.parent.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def forbidden_imports(source: str, module: str, is_package: bool = False) -> list[str]:
    """Imports in ``source`` (the module ``module``) that the pure core must not make."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                targets = [".".join([*base, *([node.module] if node.module else [])])]
            else:
                targets = [node.module or ""]
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in {"import_module", "__import__"}:
                found.append(f"line {node.lineno}: dynamic import")
            continue
        for target in targets:
            top = target.split(".")[0]
            if target == "sikumuh.core" or target.startswith("sikumuh.core."):
                continue
            if top == "__future__" or top in ALLOWED_THIRD_PARTY:
                continue
            if top in sys.stdlib_module_names and top != "sikumuh":
                continue
            found.append(f"line {getattr(node, 'lineno', '?')}: {target}")
    return found


def core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_the_core_package_has_modules_to_check() -> None:
    assert len(core_modules()) >= 10


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: p.name)
def test_a_core_module_imports_only_stdlib_numpy_and_core(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert forbidden_imports(source, _module_name(path), path.name == "__init__.py") == []


@pytest.mark.parametrize(
    "snippet",
    [
        "import django",
        "from django.db import models",
        "def f():\n    from django.conf import settings\n",
        "import sikumuh.slums.models",
        "from sikumuh.surveys import selectors",
        "from sikumuh import io",
        "from .. import slums",
        "from ..regions.models import Region",
        "import pandas",
        "import importlib\nimportlib.import_module('django')",
        "__import__('django')",
    ],
)
def test_the_checker_catches_forbidden_imports(snippet: str) -> None:
    assert forbidden_imports(snippet, "sikumuh.core.example") != []


@pytest.mark.parametrize(
    "snippet",
    [
        "from __future__ import annotations",
        "import numpy as np\nfrom numpy.typing import NDArray",
        "from decimal import Decimal\nimport math",
        "from sikumuh.core.decimals import to_micro",
        "from . import decimals",
        "from .criteria import RuleSet",
    ],
)
def test_the_checker_allows_stdlib_numpy_and_core(snippet: str) -> None:
    assert forbidden_imports(snippet, "sikumuh.core.example") == []


def test_relative_imports_inside_a_core_subpackage_may_go_up_to_core() -> None:
    assert forbidden_imports("from .. import decimals", "sikumuh.core.sub.example") == []
    assert forbidden_imports("from ... import slums", "sikumuh.core.sub.example") != []
