"""导入专家库成员 from the command line (greenmfg.core.imports.command):

manage.py import_experts FILE --as USERNAME [--apply] [--keep-good-rows]
"""

from greenmfg.core.imports.command import ImportCommand
from reviews.services.expert_imports import KIND


class Command(ImportCommand):
    kind = KIND
