"""Reads compiled to SQL once per process: for the few queries that nearly every request of a deputy runs.

Building a queryset and compiling it to SQL costs Django about as much as PostgreSQL takes to run a small indexed
read (measured on the deputy home's "replies to rate": build 0.8 ms, compile 1.5 ms, run 1.2 ms). A page of seven such
reads spends more time in the ORM than in the database. ``Prepared`` builds the queryset once per process, thread and
*shape*, with stand-in values for its parameters, compiles it, and afterwards only puts each call's values in the
stand-ins' places and runs the SQL. The rows come back as the queryset would give them (model instances with their
``select_related`` objects, or values), through Django's own iterables.

    _to_rate = Prepared(lambda deputy_id, suggestion_ids, limit: Reply.objects.filter(...)[:limit],
                        params=("deputy_id", "suggestion_ids"))
    replies = _to_rate(deputy_id=deputy.pk, suggestion_ids=ids, limit=5)

- ``params`` name the arguments that are bound as SQL parameters: ints, strings, dates, datetimes, or lists of them.
  A list must reach the SQL through ``__any_of`` (below), so that its length does not change the SQL text.
- The other arguments (``limit`` above) are the shape: they go to the builder as they are and each value compiles its own
  SQL. Settings read inside the builder are shape too, so pass them as arguments.
- The builder must build the same SQL whatever the parameters' values are (no ``if`` on a parameter). This is checked
  when it is compiled: it is built twice with different stand-ins and the two must give the same SQL, with every
  stand-in found among the SQL parameters (a value that Django transforms, a ``__year`` for instance, is refused).
- Elsewhere than on PostgreSQL (the demo on SQLite), every call just builds and runs the queryset.
"""
import datetime
import itertools
import threading
from collections.abc import Callable

from django.db import connections
from django.db.models import Field, ForeignObject
from django.db.models.lookups import In

_numbers = itertools.count(1)


class AnyOf(In):
    """``field__any_of=values``: the same as ``__in``, but on PostgreSQL written ``field = ANY(%s)`` with the values as
    one array parameter, so that the SQL does not depend on how many there are (and an empty list matches nothing
    instead of making Django skip the query)."""

    lookup_name = "any_of"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(v, connection, prepared=True) for v in self.rhs if v is not None]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)


def register() -> None:
    """From congress's AppConfig.ready(): `__any_of` on every field (a foreign key takes only lookups registered on
    its own classes, with values that are the target's keys)."""
    Field.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)


def _stand_in(value):
    """A value of the same kind as `value` that nothing else in a query can equal."""
    n = next(_numbers)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
        return [_stand_in(items[0] if items else 0)]
    if isinstance(value, bool):
        raise TypeError("Prepared: a bool cannot be told apart from other parameters; make it part of the shape")
    if isinstance(value, int):
        return -7_000_000_000 - n
    if isinstance(value, str):
        return f"⟪prepared {n}⟫"
    if isinstance(value, datetime.datetime):
        return datetime.datetime(1000, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(minutes=n)
    if isinstance(value, datetime.date):
        return datetime.date(1000, 1, 1) + datetime.timedelta(days=n)
    raise TypeError(f"Prepared: parameter of type {type(value).__name__} is not supported")


class _Compiled:
    """One shape's queryset as compiled, with where each call's parameters go."""

    def __init__(self, queryset, sql, slots, constants):
        self.queryset, self.sql, self.slots, self.constants = queryset, sql, slots, constants
        self.params = ()
        compiler = queryset.query.get_compiler(queryset.db)
        compiler.as_sql()  # fills the compiler's select, klass_info and annotation map, which the iterables read
        compiler.as_sql = lambda *args, **kwargs: (self.sql, self.params)
        queryset.query.get_compiler = lambda *args, **kwargs: compiler

    def bind(self, values: dict) -> tuple:
        return tuple(values[slot] if slot is not None else constant
                     for slot, constant in zip(self.slots, self.constants, strict=True))

    def run(self, values: dict) -> list:
        self.params = self.bind(values)
        template = self.queryset
        queryset = type(template)(model=template.model, query=template.query, using=template._db, hints=template._hints)
        queryset._iterable_class, queryset._fields = template._iterable_class, template._fields
        queryset._prefetch_related_lookups = template._prefetch_related_lookups
        queryset._known_related_objects = template._known_related_objects
        try:
            return list(queryset)
        finally:
            self.params = ()


class Prepared:
    def __init__(self, build: Callable, *, params: tuple[str, ...]):
        self.build, self.params = build, tuple(params)
        self._local = threading.local()

    def direct(self, **kwargs) -> list:
        """The same read through the ORM as usual (where nothing is compiled ahead, and for tests)."""
        return list(self.build(**kwargs))

    def __call__(self, **kwargs) -> list:
        values, compiled = self._compiled(kwargs)
        return compiled.run(values) if compiled is not None else self.direct(**values, **kwargs)

    def sql_with_params(self, **kwargs) -> tuple[str, tuple]:
        """The read's SQL and this call's parameters, for SQL written around it (compiled ahead as for a call)."""
        values, compiled = self._compiled(kwargs)
        if compiled is None:
            return self.build(**values, **kwargs).query.sql_with_params()
        return compiled.sql, compiled.bind(values)

    def _compiled(self, kwargs: dict) -> tuple[dict, "_Compiled | None"]:
        """This call's parameter values (taken out of `kwargs`, which keeps the shape), and the compiled read for the
        shape (None: not compiled ahead on this database)."""
        values = {name: kwargs.pop(name) for name in self.params}
        values = {name: list(v) if isinstance(v, (list, tuple, set, frozenset)) else v for name, v in values.items()}
        alias = kwargs.pop("using", None) or "default"
        connection = connections[alias]
        if connection.vendor != "postgresql":
            return values, None
        compiled = getattr(self._local, "compiled", None)
        if compiled is None:
            compiled = self._local.compiled = {}
        key = (alias, connection.timezone_name, tuple(sorted(kwargs.items())))
        found = compiled.get(key)
        if found is None:
            found = compiled[key] = self._compile(values, kwargs, alias)
        return values, found

    def _compile(self, sample: dict, shape: dict, alias: str) -> _Compiled:
        first, second = ({name: _stand_in(value) for name, value in sample.items()} for _ in range(2))
        compiled = [self._locate(stand_ins, shape, alias) for stand_ins in (first, second)]
        (sql, slots, constants, queryset), (sql2, slots2, _, _) = compiled
        if sql != sql2 or slots != slots2:
            raise ValueError(f"Prepared {self.build!r}: the SQL changes with the parameters' values")
        return _Compiled(queryset, sql, slots, constants)

    def _locate(self, stand_ins: dict, shape: dict, alias: str):
        try:
            queryset = self.build(**stand_ins, **shape).using(alias)
            sql, params = queryset.query.get_compiler(alias).as_sql()
        except (ArithmeticError, TypeError, ValueError) as exc:  # a lookup that works on the value (__year: a date)
            raise ValueError(f"Prepared {self.build!r}: a parameter is not found among the SQL parameters as given "
                             f"(transformed by a lookup?): {exc}") from exc
        slots, found = [], set()
        for param in params:
            slot = next((name for name, stand_in in stand_ins.items()
                         if type(param) is type(stand_in) and param == stand_in), None)
            slots.append(slot)
            found.add(slot)
        missing = [name for name in stand_ins if name not in found]
        if missing:
            raise ValueError(f"Prepared {self.build!r}: {missing} not found among the SQL parameters "
                             "(transformed by a lookup, or a list given to __in instead of __any_of?)")
        if any(str(v) in sql for stand_in in stand_ins.values()
               for v in (stand_in if isinstance(stand_in, list) else [stand_in])):
            raise ValueError(f"Prepared {self.build!r}: a parameter was written into the SQL text")
        return sql, slots, list(params), queryset.using(alias)


def year_days(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of `year`: a date column's ``__range`` for what ``__year`` says (which a Prepared read
    cannot take: Django turns the year into these two dates itself)."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def year_instants(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of `year` and of the next in the current time zone: ``__gte`` and ``__lt`` of a datetime column for
    what ``__year`` says."""
    from django.utils import timezone

    return (timezone.make_aware(datetime.datetime(year, 1, 1)), timezone.make_aware(datetime.datetime(year + 1, 1, 1)))
