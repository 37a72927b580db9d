"""批量导入工作人员账号 from the command line (greenmfg.core.imports.command):

manage.py import_staff FILE --as USERNAME [--apply] [--keep-good-rows]
"""

from greenmfg.accounts.imports import KIND
from greenmfg.core.imports.command import ImportCommand


class Command(ImportCommand):
    kind = KIND
