import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tiaodu.core.validators import uscc_check_character, validate_project_code, validate_uscc

REAL_CODES = ["91110108551385082Q", "91440300708461136T", "913300007125582210", "91350100M000100Y43"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_pass(code):
    validate_uscc(code)


@pytest.mark.parametrize(
    "code, words",
    [
        ("91110108551385082A", "校验位"),
        ("9111010855138508", "18位"),
        ("91110108551385082I", "18位"),
        ("", "18位"),
    ],
)
def test_bad_credit_codes(code, words):
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code)
    assert words in excinfo.value.messages[0]


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=15, max_size=15))
def test_any_single_character_change_is_caught(tail):
    body = "91" + tail
    code = body + uscc_check_character(body)
    if code[2] == "0" or not code[2:8].isdigit():
        return  # outside the shape (region part must be digits, not starting with 0)
    validate_uscc(code)
    wrong = "0" if code[-1] != "0" else "1"
    with pytest.raises(ValidationError):
        validate_uscc(code[:-1] + wrong)


@pytest.mark.parametrize("code", ["2025-140427-44-01-123456", "2019-140400-89-01-00001X", "2020-140427-04-01-A1B2C3"])
def test_project_code_shape_accepts(code):
    validate_project_code(code)


@pytest.mark.parametrize(
    "code",
    ["2025-1404-44-01-123456", "20251404274401123456", "2025-140427-44-01-12345", "1800-140427-44-01-123456", "abc"],
)
def test_project_code_shape_rejects(code):
    with pytest.raises(ValidationError):
        validate_project_code(code)
