import pytest
from django.core.exceptions import ValidationError

from greenmfg.directory.credit_code import normalise, validate_credit_code, with_check_character
from greenmfg.directory.forms import CreditCodeField

# Real published codes (GB 32100 examples and well-known companies).
VALID = ["91350100M000100Y43", "91110108MA01FB0LK0", "91310000MA1FL1MMXL"]


@pytest.mark.parametrize("code", VALID)
def test_credit_code_valid_is_accepted(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    "typed",
    [" 91350100m000100y43 ", "91350100m000100y43", "9135 0100 M000 100Y 43", "91350100-M000100Y43"],
    ids=["padded-lowercase", "lowercase", "grouped-by-spaces", "hyphenated"],
)
def test_credit_code_lowercase_and_spaces_are_normalised(typed):
    """Typed as on paper, the code is kept in its one form: upper case, no spaces or hyphens.
    The form field stores that form, so a search and the duplicate check find it."""
    assert normalise(typed) == "91350100M000100Y43"
    assert CreditCodeField().clean(typed) == "91350100M000100Y43"
    validate_credit_code(typed)


def test_credit_code_length_counts_only_the_code_characters():
    with pytest.raises(ValidationError) as error:
        validate_credit_code(" 9135 010m 000100y43 ")
    assert "应为 18 位，您输入了 17 位" in error.value.messages[0]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M000100Y44", "第 18 位应为「3」"),
        ("9135010M000100Y43", "应为 18 位，您输入了 17 位"),
        ("91350100M000100I43", "「I」"),
        ("9135A100M000100Y43", "前 8 位须为数字"),
    ],
    ids=["wrong-check-character", "too-short", "forbidden-letter", "letter-in-division-code"],
)
def test_credit_code_invalid_gets_specific_message(code, expected):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert expected in error.value.messages[0]


def test_with_check_character_completes_a_valid_code():
    assert with_check_character("91350100M000100Y4") == "91350100M000100Y43"
    validate_credit_code(with_check_character("91410311MA0000001"))
