"""URL converters, registered once (congress.apps) for every app's urls.py.

`<id:pk>` takes the place of `<int:pk>` for primary keys: it matches 1 … 2⁶³−1, what a BigAutoField can hold, and
anything else (0, a 20-digit number, a leading sign) is simply not a URL of this site, a 404, instead of reaching the
database as a number PostgreSQL refuses ("bigint out of range", a 500).

`<code:…>` takes the place of `<str:…>` for codes people type or scan (a voter opinion's tracking code): ASCII letters
and digits only, at most 32, so a NUL byte or a megabyte of text never reaches a query ("A string literal cannot contain
NUL", a 500)."""
from django.urls import register_converter

ID_MAX = 2**63 - 1


class IdConverter:
    regex = "[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValueError("主键超出范围")  # the resolver treats ValueError as "no match": a 404
        return number

    def to_url(self, value) -> str:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValueError(f"不是主键：{value!r}") from None  # reverse() then finds no match, as for <int:…>
        if not 1 <= number <= ID_MAX:
            raise ValueError("主键超出范围")
        return str(number)


class CodeConverter:
    regex = "[A-Za-z0-9]{1,32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
    register_converter(CodeConverter, "code")
