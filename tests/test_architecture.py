"""The apps depend on each other one way, read from the code's own imports.

config's helpers at the bottom, then accounts, articles, comments: an app imports
its own modules and those of the apps below it, never above. Only config's URLs
and server entry points, which wire every app together, import from all of them.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

LAYERS = ("config", "accounts", "articles", "comments")
# The composition root: these put the apps together, so they may import any of them.
WIRING = {"config.urls", "config.wsgi", "config.asgi", "config.settings"}


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in LAYERS:
        for path in (settings.BASE_DIR / app).rglob("*.py"):
            relative = path.relative_to(settings.BASE_DIR)
            if "migrations" not in relative.parts:
                modules[".".join(relative.with_suffix("").parts).removesuffix(".__init__")] = path
    return modules


MODULES = project_modules()


def imported(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The project modules an import statement names."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".")
            if MODULES[module].name != "__init__.py":
                package = package[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, base] if base else package)
        names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
    return [name for name in names if name in MODULES]


def imports(module: str) -> Iterator[tuple[ast.Import | ast.ImportFrom, str | None]]:
    """Every import statement of a module, with the function it sits in (None at module level)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    inside: dict[int, str] = {}
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                inside.setdefault(id(node), function.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, inside.get(id(node))


def app_of(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_an_app_imports_only_itself_and_the_apps_below_it(module):
    if module in WIRING:
        return
    level = LAYERS.index(app_of(module))
    above = [
        target
        for node, _function in imports(module)
        for target in imported(module, node)
        if LAYERS.index(app_of(target)) > level
    ]
    assert above == [], f"{module} imports from an app above it"


def test_articles_imports_nothing_from_comments():
    from_comments = [
        (module, target)
        for module in MODULES
        if app_of(module) == "articles"
        for node, _function in imports(module)
        for target in imported(module, node)
        if app_of(target) == "comments"
    ]
    assert from_comments == []


def test_no_project_module_is_imported_inside_a_function_to_dodge_a_cycle():
    # AppConfig.ready() importing signal handlers and registering an app's part is Django's own pattern.
    hidden = [
        f"{module}:{node.lineno}"
        for module in MODULES
        for node, function in imports(module)
        if function not in (None, "ready") and imported(module, node)
    ]
    assert hidden == []


def test_no_import_cycle_among_the_projects_modules():
    graph = {
        module: {target for node, function in imports(module) if function is None for target in imported(module, node)}
        - {module}
        for module in MODULES
    }
    cycles = []
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []
