"""The domain reads no configuration: values reach it as arguments, from the composition root.

import-linter checks the package contracts; `settings` is a single module, which it
cannot name as a forbidden target, so this test checks that one.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_no_domain_module_imports_settings():
    domain = [*ROOT.joinpath("campaigns").rglob("*.py"), *ROOT.joinpath("petitions").rglob("*.py")]
    assert domain, "the domain packages were not found"
    readers = [str(p.relative_to(ROOT)) for p in domain if "settings" in _imported_modules(p)]
    assert readers == []
