"""Resident identity card numbers (GB 11643-1999): 18 characters, the last a check digit."""
import datetime
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id_number_problem(value: str) -> str | None:
    """The reason (in Chinese) this ID number is malformed, or None when it is valid."""
    value = (value or "").strip().upper()
    if not _PATTERN.match(value):
        return "身份证号码须为18位，前17位为数字，末位为数字或X"
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号码中的出生日期无效"
    if check_digit(value[:17]) != value[17]:
        return "身份证号码校验位错误"
    return None


def birth_date_from_id(value: str) -> datetime.date:
    return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def gender_from_id(value: str) -> str:
    return "M" if int(value[16]) % 2 else "F"


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_phone(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else value[:1] + "*" * (len(value) - 1)


def validate_id_number(value: str) -> None:
    from django.core.exceptions import ValidationError

    problem = id_number_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_id_number")
