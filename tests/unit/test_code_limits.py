"""Size limits on production code: no module over 350 lines, no function over 60."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("supervisor_bot", "storage")
MAX_MODULE_LINES = 350
MAX_FUNCTION_LINES = 60

# Offenders allowed for now, each with its length; the second test below fails as soon as one is within the limits,
# so the list cannot go stale. Empty: every module and function is within them.
PENDING: frozenset[str] = frozenset()


class _FunctionLengths(ast.NodeVisitor):
    """Each function's and method's length, from its ``def`` line to its last line, by qualified name."""

    def __init__(self) -> None:
        self.lengths: dict[str, int] = {}
        self._scope: list[str] = []

    def _enter(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._scope.append(node.name)
        self.generic_visit(node)
        self._scope.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._enter(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._measure(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._measure(node)

    def _measure(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        assert node.end_lineno is not None
        self.lengths[".".join([*self._scope, node.name])] = node.end_lineno - node.lineno + 1
        self._enter(node)


def offenders(root: Path, packages: tuple[str, ...]) -> dict[str, str]:
    """Every module ("path") and function ("path:qualified.name") over its limit, with its length."""
    found: dict[str, str] = {}
    for package in packages:
        for module in sorted((root / package).rglob("*.py")):
            name = module.relative_to(root).as_posix()
            source = module.read_text(encoding="utf-8")
            lines = len(source.splitlines())
            if lines > MAX_MODULE_LINES:
                found[name] = f"{lines} lines (limit {MAX_MODULE_LINES})"
            functions = _FunctionLengths()
            functions.visit(ast.parse(source, filename=name))
            for function, length in functions.lengths.items():
                if length > MAX_FUNCTION_LINES:
                    found[f"{name}:{function}"] = f"{length} lines (limit {MAX_FUNCTION_LINES})"
    return found


def _listed(found: dict[str, str]) -> str:
    return "\n".join(f"  {name}: {size}" for name, size in sorted(found.items()))


def test_no_module_or_function_is_over_its_limit() -> None:
    over = {name: size for name, size in offenders(ROOT, PACKAGES).items() if name not in PENDING}
    assert not over, "split these along their natural seams:\n" + _listed(over)


def test_every_pending_offender_is_still_over() -> None:
    stale = PENDING - offenders(ROOT, PACKAGES).keys()
    assert not stale, f"within the limits now: remove from PENDING {sorted(stale)}"


def test_long_modules_and_methods_are_named(tmp_path: Path) -> None:
    body = "\n".join(f"        x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    method = f"class Store:\n    async def save(self) -> None:\n{body}\n\n\ndef short() -> None:\n    pass\n"
    padding = "\n" * (MAX_MODULE_LINES - method.count("\n") + 1)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "big.py").write_text(method + padding, encoding="utf-8")
    (tmp_path / "pkg" / "small.py").write_text(method.replace(body, "        pass"), encoding="utf-8")
    found = offenders(tmp_path, ("pkg",))
    assert found == {
        "pkg/big.py": f"{MAX_MODULE_LINES + 1} lines (limit {MAX_MODULE_LINES})",
        "pkg/big.py:Store.save": f"{MAX_FUNCTION_LINES + 1} lines (limit {MAX_FUNCTION_LINES})",
    }  # small.py: the same class and function, short, is within both limits
