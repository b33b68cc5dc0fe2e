"""What a database column can hold, for the forms that feed it: a plain forms.IntegerField has no upper bound, and a
number past the column's range reaches PostgreSQL as "integer out of range", a 500. A ModelForm gets these limits
from the model field already; plain forms take them from here."""
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

# PostgreSQL's ranges, which Django's base operations spell out; used on SQLite too, so the demo refuses what
# production would.
INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


def column_range(model: type[models.Model], field_name: str) -> tuple[int, int]:
    return INTEGER_RANGES[model._meta.get_field(field_name).get_internal_type()]


def integer_field(model: type[models.Model], field_name: str, **kwargs) -> forms.IntegerField:
    """A form field for model.field_name whose bounds never exceed the column's (narrower ones given are kept)."""
    low, high = column_range(model, field_name)
    kwargs["min_value"] = max(low, kwargs.get("min_value", low))
    kwargs["max_value"] = min(high, kwargs.get("max_value", high))
    return forms.IntegerField(**kwargs)


def bound_to_column(formfield, db_field):
    """Give a model form's integer field its column's range (Django checks the range only in the model's
    full_clean, after the form's own clean() has already used the number: a year of 10²⁰ reached date())."""
    kind = db_field.get_internal_type()
    if not isinstance(formfield, forms.IntegerField) or db_field.is_relation or kind not in INTEGER_RANGES:
        return formfield
    low, high = INTEGER_RANGES[kind]
    if formfield.max_value is None or formfield.max_value > high:
        formfield.max_value = high
        formfield.validators.append(MaxValueValidator(high))
        formfield.widget.attrs["max"] = high
    if formfield.min_value is None or formfield.min_value < low:
        formfield.min_value = low
        formfield.validators.append(MinValueValidator(low))
        formfield.widget.attrs["min"] = low
    return formfield
