"""Counts of the code's structure that issue 15 tracks (python scripts/structure_metrics.py).

- in-function imports of first-party modules (outside AppConfig.ready);
- file cycles among first-party modules (strongly connected components of the import graph);
- modules at the top of each app;
- writers of ``Listing.status`` (assignments and bulk updates outside migrations and tests).
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ["greenmfg", "applications", "reviews", "thirdparty", "registry", "dynamic_mgmt"]
FIRST_PARTY = tuple(APPS)


def modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            yield name.removesuffix(".__init__"), path


def resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def main() -> int:
    known = dict(modules())
    graph: dict[str, set[str]] = {name: set() for name in known}
    # The same graph with the imports made inside functions: what those imports dodge.
    graph_all: dict[str, set[str]] = {name: set() for name in known}
    in_function = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        parents = {}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                parents[child] = parent
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = resolve(name, node, is_package)
                # `from package import module` depends on the module; `from module import name`
                # on the module.
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                    for alias in node.names
                ]
            targets = [t for t in targets if t.startswith(FIRST_PARTY) and t in known]
            enclosing = parents.get(node)
            while enclosing is not None and not isinstance(
                enclosing, ast.FunctionDef | ast.AsyncFunctionDef
            ):
                enclosing = parents.get(enclosing)
            graph_all[name].update(t for t in targets if t != name)
            if enclosing is not None:
                if targets and enclosing.name != "ready":
                    in_function.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                continue
            if any(isinstance(parents.get(node), ast.If) for _ in [0]):
                # `if TYPE_CHECKING:` imports do not run
                test = parents[node].test
                if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
                    continue
            graph[name].update(t for t in targets if t != name)
    cycles = strongly_connected(graph)
    dodged = strongly_connected(graph_all)
    print(f"in-function first-party imports (outside AppConfig.ready): {len(in_function)}")
    for place in in_function:
        print(f"  {place}")
    print(f"file cycles: {len(cycles)}")
    for cycle in cycles:
        print("  " + " <-> ".join(sorted(cycle)))
    print(f"file cycles counting in-function imports: {len(dodged)}")
    for cycle in dodged:
        print("  " + " <-> ".join(sorted(cycle)))
    for app in APPS:
        top = [p for p in (ROOT / app).glob("*.py") if p.name != "__init__.py"]
        print(f"modules at the top of {app}/: {len(top)}")
    writers = []
    pattern = re.compile(
        r"(listing|Listing)[\w.]*\.status\s*=(?!=)|Listing\.objects[^\n]*\.update\([^)]*status"
    )
    for path in known.values():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                writers.append(f"{path.relative_to(ROOT)}:{number}")
    print(f"writers of Listing.status: {len(writers)}")
    for place in writers:
        print(f"  {place}")
    return 0


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10_000)

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
