"""Print the package-level import graph of `cluster` and fail if the packages form a cycle.

Every import counts: at module level, inside functions, and under `if TYPE_CHECKING:`. A
package is the first name under `cluster.` (`cluster.meetings.views` belongs to `meetings`); the
modules directly in `cluster/` (`config`, `extensions`, ...) are packages of their own.

    python scripts/import_graph.py            # edges, then "no cycle" or the cycles found
    python scripts/import_graph.py --dot      # the graph for Graphviz
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "cluster"


def package_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "cluster" or len(parts) < 2:
        return None
    return parts[1]


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every module `path` imports (absolute names), with its line."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = module_name(path)
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((target, node.lineno))
            # `from cluster import meetings` imports the package `meetings`
            for alias in node.names:
                found.append((f"{target}.{alias.name}", node.lineno))
    return found


def graph() -> dict[str, dict[str, list[str]]]:
    """package -> imported package -> ["module:line", ...]"""
    edges: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    modules = {module_name(p) for p in ROOT.rglob("*.py")}
    for path in sorted(ROOT.rglob("*.py")):
        source = package_of(module_name(path))
        if source is None:
            continue
        for target, line in imports_of(path):
            if target.startswith("cluster.") and target not in modules:
                # `from cluster.x import name`: keep the module part only
                target = target.rsplit(".", 1)[0] if target.rsplit(".", 1)[0] in modules else target
            dest = package_of(target)
            if dest is None or dest == source:
                continue
            edges[source][dest].append(f"{module_name(path)}:{line}")
    return edges


def cycles(edges: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected components with more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    nodes = set(edges) | {d for targets in edges.values() for d in targets}
    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dot", action="store_true", help="print Graphviz instead")
    parser.add_argument("--where", action="store_true", help="list the importing modules of each edge")
    parser.add_argument("--quiet", action="store_true", help="print only the verdict")
    args = parser.parse_args()
    edges = graph()
    if args.dot:
        print("digraph cluster {")
        for source in sorted(edges):
            for dest in sorted(edges[source]):
                print(f'  "{source}" -> "{dest}";')
        print("}")
        return 0
    for source in sorted(edges) if not args.quiet else ():
        print(f"{source} -> {', '.join(sorted(edges[source]))}")
        if args.where:
            for dest in sorted(edges[source]):
                print(f"    {dest}: {', '.join(sorted(set(edges[source][dest])))}")
    found = cycles(edges)
    if not found:
        print("no cycle among the packages" if args.quiet else "\nno cycle among the packages")
        return 0
    print("\ncycles among the packages:")
    for component in found:
        print("  " + " <-> ".join(component))
    return 1


if __name__ == "__main__":
    sys.exit(main())
