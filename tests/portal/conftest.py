# The dashboard's arranged work, shared with the menu's counts (which must match it).
from tests.core.test_inbox import authority_work, county_work  # noqa: F401
