"""导入存量名单单位 from the command line (greenmfg.core.imports.command):

manage.py import_listings FILE --as USERNAME [--apply] [--keep-good-rows]
"""

from greenmfg.core.imports.command import ImportCommand
from registry.services.imports import KIND


class Command(ImportCommand):
    kind = KIND
