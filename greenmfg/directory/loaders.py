"""Loading the jurisdiction tree from the reference CSV (shared/data/jurisdictions.csv)."""

import csv
from pathlib import Path

from django.db import transaction

from greenmfg.directory.models import Jurisdiction

REFERENCE_CSV = Path(__file__).parent / "data" / "jurisdictions.csv"


@transaction.atomic
def jurisdictions_load(*, path: Path = REFERENCE_CSV) -> int:
    """Create or update every row of the CSV; parents come before children in the file.

    Idempotent: a second run changes nothing. Returns the number of rows read.
    """
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_key: dict[str, Jurisdiction] = {}
    for row in rows:
        parent = by_key.get(row["parent_key"]) if row["parent_key"] else None
        if row["parent_key"] and parent is None:
            parent = Jurisdiction.objects.get(key=row["parent_key"])
        node, _created = Jurisdiction.objects.update_or_create(
            key=row["key"],
            defaults={
                "code": row["code"],
                "name": row["name"],
                "level": row["level"],
                "kind": row["kind"],
                "parent": parent,
            },
        )
        by_key[node.key] = node
    return len(rows)
