"""Validators for the identifiers of Chinese public administration."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: 18 characters from this alphabet (no I, O, Z, S, V).
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"^[1-9ANY][1-9]\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def uscc_check_character(first17: str) -> str:
    """The 18th (check) character of a unified social credit code, per GB 32100-2015."""
    total = sum(_USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """统一社会信用代码: shape, then the check character."""
    code = (value or "").strip().upper()
    if not _USCC_SHAPE.match(code):
        raise ValidationError(
            _("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V），当前为“%(value)s”。"),
            code="uscc_shape",
            params={"value": value},
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("统一社会信用代码“%(value)s”的校验位不正确，请核对。"), code="uscc_check", params={"value": value}
        )


# GB/T 40058-2021: YYYY-RRRRRR-DD-TT-NNNNNC (24 characters); codes issued before the standard end
# in a 6-digit serial instead. The check character's algorithm is not public, so only the shape is
# validated, never the check character.
_PROJECT_CODE = re.compile(r"^(?P<year>\d{4})-(?P<region>\d{6})-(?P<dept>\d{2})-(?P<type>\d{2})-(?P<tail>[0-9A-Z]{6})$")


def validate_project_code(value: str) -> None:
    """全国投资项目在线审批监管平台项目代码: validated by shape only."""
    match = _PROJECT_CODE.match((value or "").strip().upper())
    if not match:
        raise ValidationError(
            _(
                "项目代码应为24位，格式为“年份-6位区划代码-2位部门代码-2位类型代码-6位序号”，"
                "例如 2025-140427-44-01-123456，当前为“%(value)s”。"
            ),
            code="project_code_shape",
            params={"value": value},
        )
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise ValidationError(
            _("项目代码中的年份“%(year)s”不合理。"), code="project_code_year", params={"year": match["year"]}
        )
