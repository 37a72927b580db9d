"""What an import is made of: its columns, its rows, each row's outcome, and the importer;
with the loop every importer's ``check`` runs (``check_each``, a row refused by ``RowError``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """What applying a row does (the preview says it before anything is written)."""

    NEW = "new", _("新增")
    MATCHED = "matched", _("匹配已有记录")
    UNCHANGED = "unchanged", _("无变化")
    ERROR = "error", _("错误")


# The outcomes that write something when applied.
WRITES = frozenset({Outcome.NEW, Outcome.MATCHED})


class CellError(Exception):
    """A cell's value refused by its column's parser; ``message`` is the reason in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


class RowError(Exception):
    """A row refused by its importer's check: ``column`` (a header) and ``reason`` in Chinese,
    which the preview shows (:func:`check_each` turns it into the row's error result)."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = str(reason)


@dataclass(frozen=True)
class Column:
    """One column of a template.

    ``parse`` turns the cell's text (stripped, never None) into the value the importer uses, or
    raises :class:`CellError`; an empty cell of a ``required`` column is refused before it.
    ``help`` and ``example`` fill the template's instructions sheet.
    """

    header: str
    key: str
    parse: Callable[[str], Any] = str
    required: bool = False
    help: str = ""
    example: str = ""
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass
class Row:
    """One data row of the file: its number as the spreadsheet shows it (the header is row 1),
    the raw text of each column (by key) and, once parsed, the values."""

    number: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    # A cell refused before parsing (a formula): (column header, reason).
    refused: tuple[str, str] | None = None


@dataclass
class RowResult:
    """The outcome of one row; ``column`` (a header) and ``reason`` say why it is in error, or
    what it matched. ``label`` names the row for the preview (e.g. the unit's name)."""

    row: int
    outcome: str
    label: str = ""
    column: str = ""
    reason: str = ""

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "outcome": str(self.outcome),
            "label": self.label,
            "column": self.column,
            "reason": self.reason,
        }

    @property
    def is_error(self) -> bool:
        return self.outcome == Outcome.ERROR


Progress = Callable[[int], None]


class Importer(Protocol):
    """One kind of import, registered by its app (``register_importer``).

    ``check(rows, actor, progress)`` parses and checks every row without writing and returns one
    result per row, in order; ``write(rows, results, actor, run, progress)`` writes the rows
    whose result is in ``WRITES`` (the framework holds the transaction) and returns how many
    records it wrote. ``allowed(actor)`` says who may import at all.
    """

    kind: str
    title: str
    columns: Sequence[Column]
    # What ``matched`` means for this kind (匹配已有单位, 匹配已有专家 …); optional.
    matched_label: str
    # The column whose text names a row on the preview (the unit's or person's name), also for
    # a row refused before the importer sees it; optional.
    label_key: str

    def allowed(self, actor) -> bool: ...

    def check(self, rows: list[Row], *, actor, progress: Progress) -> list[RowResult]: ...

    def write(
        self, rows: list[Row], results: list[RowResult], *, actor, run, progress: Progress
    ) -> int: ...


def outcome_labels(importer: Importer) -> dict[str, str]:
    """Each outcome's label for ``importer``'s rows: ``matched`` in the importer's own words."""
    labels = {value: str(label) for value, label in Outcome.choices}
    matched = getattr(importer, "matched_label", None)
    if matched:
        labels[Outcome.MATCHED] = str(matched)
    return labels


# How many keys one ``IN (...)`` query takes when an importer looks up a file's values.
CHUNK = 2000
# How often (in rows) ``check_each`` reports its progress.
PROGRESS_EVERY = 500


def chunks(values: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    """``values`` in slices of at most ``size`` (a 10,000-row file's look-ups, a query each)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def check_each(
    rows: list[Row],
    check_row: Callable[[Row], RowResult],
    *,
    label: str | Callable[[dict], str],
    progress: Progress,
    start: int = 0,
    end: int = 100,
) -> list[RowResult]:
    """Each row's result, in order: ``check_row(row)``'s, or the error its :class:`RowError`
    names, labelled by ``label`` (the key of the values that names a row, or a function of
    them). Progress goes from ``start`` to ``end`` as the rows are checked."""
    name = label if callable(label) else (lambda values: values.get(label) or "")
    results = []
    total = max(len(rows), 1)
    for index, row in enumerate(rows, start=1):
        try:
            results.append(check_row(row))
        except RowError as error:
            results.append(
                RowResult(
                    row.number,
                    Outcome.ERROR,
                    label=name(row.values),
                    column=error.column,
                    reason=error.reason,
                )
            )
        if index % PROGRESS_EVERY == 0:
            progress(start + (end - start) * index // total)
    progress(end)
    return results
