"""What the public gives and gets back on the portal's forms: tracking codes and phone numbers.

An objection to a publicity and a complaint both give the filer a code to follow it by, read out
over the phone as often as typed: no 0/O and no 1/I.
"""

import re
import secrets

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 10
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")


def new_tracking_code(length: int = TRACKING_LENGTH) -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(length))
