"""The change lists' rows are written with less work per cell (congress.admin_site.boolean_icon, congress.lib.admin):
the same HTML as before, in Chinese, whatever the language, static address or primary key."""
import pytest
from django.templatetags.static import static
from django.test import override_settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext

from congress.admin_site import boolean_icon


def _icon_as_written_before(field_val):
    icon, label = {True: ("yes", gettext("Yes")), False: ("no", gettext("No")), None: ("unknown", gettext("Unknown"))}[field_val]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), label)


@pytest.mark.parametrize("value", [True, False, None])
def test_the_yes_no_icon_is_the_same_markup_made_once(value):
    with translation.override("zh-hans"):
        first, again = boolean_icon(value), boolean_icon(value)
        assert str(first) == str(_icon_as_written_before(value))
        assert first is again  # made once


def test_the_yes_no_icon_follows_the_language_and_the_static_address():
    with translation.override("zh-hans"):
        assert str(boolean_icon(True)) == '<img src="/static/admin/img/icon-yes.svg" alt="是">'
        assert str(boolean_icon(None)) == '<img src="/static/admin/img/icon-unknown.svg" alt="未知">'
    with translation.override("en"):
        assert str(boolean_icon(False)) == '<img src="/static/admin/img/icon-no.svg" alt="No">'
    with override_settings(STATIC_URL="/assets/"), translation.override("zh-hans"):
        assert str(boolean_icon(False)) == '<img src="/assets/admin/img/icon-no.svg" alt="否">'
        assert str(boolean_icon(False)) == str(_icon_as_written_before(False))
    with translation.override("zh-hans"):
        assert str(boolean_icon(False)) == '<img src="/static/admin/img/icon-no.svg" alt="否">'
