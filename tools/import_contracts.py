"""Two import-linter contract types that the built-in ones (import-linter 2.17) cannot say.

``public_face``: packages that meet only through named public modules. Module expressions have
wildcards (``services.*``) but no "all but", so "sales may import ``stock.api`` and ``stock.dto``
and nothing else of ``stock``" cannot be written as a forbidden contract without listing every
internal module of every package — a list that goes stale with the first new module.

    [[tool.importlinter.contracts]]
    name = "..."
    type = "public_face"
    packages = ["myapp.services.*"]     # each match is one package (with its descendants)
    faces = ["api", "dto"]              # the only children of a package others may import
    importers = ["myapp.reports"]       # optional; default: the packages themselves

A direct import from an importer into a package it is not part of must land in one of that
package's faces (or below it). Imports inside a package, and of modules outside every package, are
not this contract's business.

``acyclic_modules``: no cycle between modules. ``acyclic_siblings`` works on packages: it flags
``sales -> stock.api`` with ``stock -> sales.dto``, which is no cycle at all, and misses nothing
this one finds only when every cycle spans siblings. This one takes the graph's module-to-module
imports — grimp reads every import statement, those inside functions included, so a cycle hidden
in a function is found too — and reports each strongly connected group with one cycle through it.

    [[tool.importlinter.contracts]]
    name = "..."
    type = "acyclic_modules"
    containers = ["myapp"]

Registered in pyproject.toml with ``contract_types``; lint-imports puts its working directory on
sys.path, so it is run from the repository root.
"""

from __future__ import annotations

from collections.abc import Iterable

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.domain import helpers


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _expand(graph: grimp.ImportGraph, expressions: Iterable[object]) -> set[str]:
    return {m.name for m in helpers.module_expressions_to_modules(graph, expressions)}  # type: ignore[arg-type]


class PublicFaceContract(Contract):
    type_name = "public_face"

    packages = fields.ListField(subfield=fields.ModuleExpressionField())
    faces = fields.ListField(subfield=fields.StringField())
    importers = fields.ListField(subfield=fields.ModuleExpressionField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        packages = sorted(_expand(graph, self.packages))  # type: ignore[arg-type]
        if not packages:
            raise ValueError(f"{self.name}: no module matches {self.packages}")
        importer_roots = sorted(_expand(graph, self.importers)) if self.importers else packages  # type: ignore[arg-type]
        faces = [str(face) for face in self.faces]  # type: ignore[attr-defined]
        illegal: list[dict[str, object]] = []
        for root in importer_roots:
            importers = {root} | graph.find_descendants(root)
            for importer in sorted(importers):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    owner = next((p for p in packages if _in(imported, p)), None)
                    if owner is None or _in(importer, owner):
                        continue
                    if any(_in(imported, f"{owner}.{face}") for face in faces):
                        continue
                    details = graph.get_import_details(importer=importer, imported=imported)
                    illegal.append({"importer": importer, "imported": imported, "package": owner,
                                    "line_numbers": tuple(d["line_number"] for d in details)})
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal, "faces": faces})

    def render_broken_contract(self, check: ContractCheck) -> None:
        faces = " or ".join(check.metadata["faces"])
        for link in check.metadata["illegal"]:
            lines = ", ".join(f"l.{n}" for n in link["line_numbers"])
            output.print_error(f"{link['importer']} -> {link['imported']} ({lines})", bold=False)
            output.indent_cursor()
            output.print(f"{link['package']} is to be reached through its {faces} only")
            output.new_line()


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"

    containers = fields.ListField(subfield=fields.ModuleExpressionField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        roots = sorted(_expand(graph, self.containers))  # type: ignore[arg-type]
        modules = {m for m in graph.modules if any(_in(m, r) for r in roots)}
        edges = {m: sorted(graph.find_modules_directly_imported_by(m) & modules) for m in sorted(modules)}
        cycles = []
        for group in strongly_connected(edges):
            if len(group) > 1 or group[0] in edges[group[0]]:
                cycles.append(one_cycle(edges, set(group)))
        # Each step with the line it is written on, so the report says where to cut.
        described = []
        for cycle in cycles:
            steps = []
            for importer, imported in zip(cycle, cycle[1:], strict=False):
                details = graph.get_import_details(importer=importer, imported=imported)
                lines = ",".join(str(d["line_number"]) for d in details)
                steps.append(f"{importer} (l.{lines})")
            described.append([*steps, cycle[-1]])
        return ContractCheck(kept=not cycles, metadata={"cycles": described})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error("import cycle:", bold=False)
            output.indent_cursor()
            output.print(" ->\n    ".join(cycle))
            output.new_line()


def strongly_connected(edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion (a long import chain must not hit the recursion
    limit); groups come out in a stable order for a stable report."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(sorted(group))
    return sorted(groups)


def one_cycle(edges: dict[str, list[str]], group: set[str]) -> list[str]:
    """A shortest cycle through the group's first module (breadth-first inside the group), written
    as its modules with the first repeated at the end."""
    start = min(group)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in edges[node]:
                if child not in group:
                    continue
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # a strongly connected group always has one
