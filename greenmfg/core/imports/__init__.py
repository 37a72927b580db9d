"""导入: spreadsheets of existing records brought in with a dry run, then an all-or-nothing apply.

One framework for every kind of import (the listed units now; the expert pool and staff
accounts next):

- :mod:`~greenmfg.core.imports.spec`: the columns of a template (Chinese header, key, parser,
  required) and the outcome of each row (new, matched, unchanged, error with column and reason);
  ``check_each``, the loop of an importer's check, where a ``RowError`` refuses a row;
- :mod:`~greenmfg.core.imports.cells`: the cell parsers importers share (a bounded name or
  title with its white space collapsed, an e-mail address), each with its importer's message;
- :mod:`~greenmfg.core.imports.files`: the upload checked by its content (xlsx or UTF-8 CSV, at
  most 20 MB) and read into rows, formulas refused cell by cell;
- :mod:`~greenmfg.core.imports.models`: ``ImportRun``, the stored file and what became of it;
- :mod:`~greenmfg.core.imports.services`: preview and apply, audited, in Celery above a size.

An app registers an :class:`~greenmfg.core.imports.spec.Importer` for its kind
(``register_importer``); the framework never imports the app.
"""
