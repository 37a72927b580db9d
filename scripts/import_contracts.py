"""A forbidden contract whose module names may be name patterns (``**.*_services``).

import-linter's own wildcards replace whole module names only (``**.services``), but the apps
still name their layers by suffix (``reviews/sheet_services.py``, ``registry/registry_api.py``).
Listing those modules one by one would break the contract each time a module is added or
renamed, so this contract matches the patterns against the import graph at each run and hands
the modules it finds to the ordinary forbidden contract (indirect imports, ignores, reports).

Pattern: dotted, ``**`` for one or more whole names, ``*`` for any part of one name.
Used by ``[tool.importlinter]`` in pyproject.toml; ``make lint`` runs it (``lint-imports``).
"""

import re

from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.domain import fields
from importlinter.domain.imports import ModuleExpression


def pattern_regex(pattern: str) -> re.Pattern:
    parts = []
    for name in pattern.split("."):
        if name == "**":
            parts.append(r"[^.]+(?:\.[^.]+)*")
        else:
            parts.append("[^.]*".join(re.escape(piece) for piece in name.split("*")))
    return re.compile(r"\.".join(parts) + r"\Z")


class NamePatternForbiddenContract(ForbiddenContract):
    """``forbidden``, with ``*`` allowed inside a name; a pattern may match nothing."""

    source_modules = fields.ListField(subfield=fields.StringField())
    forbidden_modules = fields.ListField(subfield=fields.StringField())

    def check(self, graph, verbose):
        self.source_modules = self._expand(graph, self.source_modules)
        self.forbidden_modules = self._expand(graph, self.forbidden_modules)
        return super().check(graph, verbose)

    @staticmethod
    def _expand(graph, patterns) -> set[ModuleExpression]:
        regexes = [pattern_regex(pattern) for pattern in patterns]
        return {
            ModuleExpression(module)
            for module in graph.modules
            if any(regex.match(module) for regex in regexes)
        }
