"""docs/architecture.md names files and folders; each one must exist, so the page cannot rot.

A path is a backticked name with a slash in it that ends in a file name with an extension
(`registry/workflow.py`) or in a slash (`greenmfg/rules/`). Placeholders (`<app>`) are skipped.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
PATH = re.compile(r"`([\w.-]+(?:/[\w.-]+)*/(?:[\w.-]+\.\w+)?)`")


def named_paths() -> list[str]:
    return [path for path in PATH.findall(DOC.read_text(encoding="utf-8")) if "<" not in path]


def test_architecture_doc_names_some_paths():
    """The check below would pass on a page that names nothing; make sure it reads some."""
    assert len(named_paths()) >= 30


def test_architecture_doc_every_named_path_exists():
    missing = [path for path in named_paths() if not (ROOT / path).exists()]
    assert not missing, f"docs/architecture.md names paths that do not exist: {missing}"
