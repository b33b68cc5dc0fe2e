"""The admin's autocomplete widgets, safe against a tampered value.

When a form comes back with errors, Django's AutocompleteSelect looks up the submitted ids to show them again
(`queryset.filter(pk__in=…)`) without checking them first, so "abc" or a NUL byte posted for a foreign key ends in a
ValueError, a 500. These drop the values the target field cannot read before that lookup; the form field itself still
answers them with its Chinese error ("选择一个有效的选项"). congress.lib.admin.SafeInputAdminMixin puts them on every
autocomplete field of the admin."""
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class SafeAutocompleteMixin:
    def _readable(self, values) -> list:
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", None) or opts.pk.attname)
        readable = []
        for value in values:
            try:
                target.to_python(value)
            except (ValidationError, ValueError, TypeError):
                continue
            if "\x00" not in str(value):
                readable.append(value)
        return readable

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, self._readable(value), attr)


class SafeAutocompleteSelect(SafeAutocompleteMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(SafeAutocompleteMixin, AutocompleteSelectMultiple):
    pass
