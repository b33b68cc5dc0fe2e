"""The letters list in the admin: read-only (a letter is issued from its record's page and never edited), each with
its PDF through the permission-checked view."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from congress.letters.models import OfficialLetter
from congress.lib.admin import ReadOnlyLogAdmin


class OfficialLetterAdmin(ReadOnlyLogAdmin):
    """Issued from the assignment's page (交办函、督办函、提醒函) and kept: a corrected letter is a new letter."""

    list_display = ["number", "kind", "title", "addressee", "issued_on", "created_by", "download"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "title", "addressee__name"]
    list_select_related = ["addressee", "created_by"]
    fields = ["number", "kind", "year", "sequence", "title", "addressee", "subject_text", "issued_on", "download",
              "created_by", "created_at"]
    readonly_fields = fields

    @admin.display(description="PDF")
    def download(self, obj):
        url = reverse("congress:letter_file", args=[obj.pk])
        return format_html('<a href="{}" class="letter-file">下载</a>', url) if obj.file else "—"


def register(site) -> None:
    site.register(OfficialLetter, OfficialLetterAdmin)
