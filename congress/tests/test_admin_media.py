"""The project's model admins load no scripts of prepopulated fields (Django adds urlify.js, prepopulate.js and
XRegExp to every page of every model admin) unless the admin or one of its inlines prepopulates a field."""
import pytest
from django.contrib import admin
from django.urls import reverse

from conftest import client_for
from congress.lib.admin import CongressInline, CongressModelAdmin
from congress.models import Organization, User

PREPOPULATE = ("urlify.js", "prepopulate.js", "xregexp")


@pytest.mark.django_db
def test_a_list_and_a_form_carry_django_s_other_scripts_and_none_of_prepopulated_fields(staff):
    Organization.objects.create(name="区教育局", kind=Organization.Kind.DEPARTMENT)
    client = client_for(staff)
    for url in (reverse("admin:congress_organization_changelist"), reverse("admin:congress_organization_add")):
        page = client.get(url).content.decode()
        assert "admin/js/core.js" in page and "admin/js/admin/RelatedObjectLookups.js" in page
        assert not any(name in page for name in PREPOPULATE), url
    assert "admin/js/actions.js" in client.get(reverse("admin:congress_organization_changelist")).content.decode()


def test_an_admin_that_prepopulates_a_field_keeps_them():
    class Prepopulating(CongressModelAdmin):
        prepopulated_fields = {"short_name": ("name",)}

    class PrepopulatingInline(CongressInline):
        model = User
        prepopulated_fields = {"username": ("full_name",)}

    class WithInline(CongressModelAdmin):
        inlines = [PrepopulatingInline]

    for model_admin in (Prepopulating(Organization, admin.site), WithInline(Organization, admin.site)):
        assert all(name in str(model_admin.media) for name in PREPOPULATE)
    assert not any(name in str(CongressModelAdmin(Organization, admin.site).media) for name in PREPOPULATE)
