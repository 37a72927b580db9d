"""统一社会信用代码 (GB 32100-2015) validation with messages a clerk can act on.

python-stdnum's ``cn.uscc`` does the arithmetic (a well-kept library with the standard's
alphabet and weights); this module only turns its verdicts into specific Chinese messages.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

# GB 32100 leaves out I, O, Z, S and V so that they cannot be mistaken for digits.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def normalise(value: str) -> str:
    return uscc.compact(value or "")


def validate_credit_code(value: str) -> None:
    code = normalise(value)
    try:
        uscc.validate(code)
    except InvalidLength:
        raise ValidationError(
            _("统一社会信用代码应为 18 位，您输入了 %(length)d 位。") % {"length": len(code)},
            code="credit_code_length",
        ) from None
    except InvalidFormat:
        bad = [c for c in code[8:] if c not in ALPHABET] or [c for c in code[:8] if not c.isdigit()]
        raise ValidationError(
            _(
                "统一社会信用代码格式错误：前 8 位须为数字（含 6 位行政区划码），其余只能是数字和"
                "除 I、O、Z、S、V 以外的大写字母；发现不允许的字符「%(chars)s」。"
            )
            % {"chars": "".join(dict.fromkeys(bad))},
            code="credit_code_format",
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _(
                "统一社会信用代码校验位错误：第 18 位应为「%(expected)s」，"
                "实际为「%(actual)s」，请核对后重新输入。"
            )
            % {"expected": uscc.calc_check_digit(code), "actual": code[-1]},
            code="credit_code_checksum",
        ) from None


def with_check_character(first_17: str) -> str:
    """Complete 17 characters with their check character (used for demo and test data)."""
    return first_17 + uscc.calc_check_digit(first_17)
