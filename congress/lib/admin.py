"""Shared admin building blocks: a paginator that does not count a million rows, the town scope for town
staff, read-only logs, and the logged Excel export of any change list. Every app's admin builds on these; no app
imports another app's admin module (import-linter, pyproject.toml)."""
import datetime
import functools
import html
import io
import re
import string
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.functional import Promise, cached_property
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from openpyxl import Workbook

from congress.lib.bounds import bound_to_column
from congress.lib.widgets import SafeAutocompleteSelect, SafeAutocompleteSelectMultiple
from congress.models import ExportRecord
from congress.selectors import estimated_row_count, towns_for
from congress.services import CongressError


class EstimatedCountPaginator(Paginator):
    """An unfiltered change list over a large PostgreSQL table uses the planner's row estimate instead of
    COUNT(*) (measured: ~290 ms at a million rows). A filtered list over a table above KEEP_ABOVE rows counts exactly
    and keeps the count for ADMIN_COUNTS_CACHE_SECONDS, per list, user and filters (`count_key`, which
    CongressModelAdmin.get_paginator sets: the suggestions' list excludes drafts, so it is always filtered, and its
    count was 2 ms of every page at province scale); the rows themselves are always read fresh. Small tables count
    exactly every time."""

    ESTIMATE_ABOVE = 50_000
    KEEP_ABOVE = 10_000
    count_key = None

    @cached_property
    def _estimate(self):
        query = getattr(self.object_list, "query", None)
        return None if query is None else estimated_row_count(self.object_list.model._meta.db_table)

    def keeps(self) -> bool:
        """Whether figures over the whole filtered list are kept (the rule above)."""
        return (self.count_key is not None and settings.ADMIN_COUNTS_CACHE_SECONDS > 0 and self._estimate is not None
                and self._estimate > self.KEEP_ABOVE)

    def kept(self, kind: str, compute):
        """compute(), a figure over the whole filtered list, kept as its count is (same rule, list, user and filters):
        (value, when it was computed) when kept, (value, None) when computed for this page."""
        if not self.keeps():
            return compute(), None
        from congress.lib import statcache

        return statcache.cached(kind, self.count_key, compute, settings.ADMIN_COUNTS_CACHE_SECONDS)

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is not None:
            estimate = self._estimate
            if not query.where and estimate is not None and estimate > self.ESTIMATE_ABOVE:
                return estimate
            if self.keeps():
                return self.kept("admin_list_count", lambda: Paginator.count.func(self))[0]
        return super().count


def year_filter(field: str, title: str = "年度", years: int = 10):
    """A 年度 filter over a date or datetime field, in place of ``date_hierarchy``: its choices are the last `years`
    calendar years (no query, where date_hierarchy asks the database for the distinct dates of the whole table), and a
    chosen year filters by a date range the field's index serves."""

    class YearFilter(admin.SimpleListFilter):
        parameter_name = f"{field}_year"

        def lookups(self, request, model_admin):
            this = timezone.localdate().year
            return [(str(year), f"{year}年") for year in range(this + 1, this - years, -1)]

        def queryset(self, request, queryset):
            value = self.value()
            if not value:
                return queryset
            if not value.isdigit() or not 1900 <= int(value) <= 9999:
                raise IncorrectLookupParameters("年度无效")
            return queryset.filter(**{f"{field}__year": int(value)})

    YearFilter.title = title
    YearFilter.__name__ = f"YearFilter_{field}"
    return YearFilter


class SafeInputAdminMixin:
    """Tampered input gets a Chinese refusal instead of a 500: autocomplete fields use the widgets of
    congress.lib.widgets, and an action posted with row ids that are not ids of this model is refused (Django's
    own response_action filters pk__in=… with them unchecked). For every ModelAdmin and inline of the project."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return bound_to_column(super().formfield_for_dbfield(db_field, request, **kwargs), db_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changelist_instance(self, request):
        """A filter, search or paging value the database cannot take (a NUL byte, a year past 9999, text for an id in
        a custom filter) is refused the way Django refuses an unknown lookup: the list again, without the parameters.
        ChangeList runs its count query while it is built, so such errors surface here."""
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            raise IncorrectLookupParameters("查询参数含有空字符")
        try:
            return super().get_changelist_instance(request)
        except (ValueError, OverflowError) as exc:
            raise IncorrectLookupParameters(f"查询参数无效：{exc}") from exc

    def response_action(self, request, queryset):
        pk = self.model._meta.pk
        for value in request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME):
            try:
                pk.to_python(value)
            except (ValidationError, ValueError, TypeError):
                self.message_user(request, "所选记录无效，请在列表中重新勾选。", messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


class CongressChangeList(ChangeList):
    """Django's change list with less work per row: the change page's address is reversed once per list (an integer
    primary key is put into it as text), and the page's rows pass through the admin's `get_changelist_rows`."""

    _NO_TEMPLATE = ("", "")
    _MARKER = 918_273_645_546_372_819

    def url_for_result(self, result):
        pk = getattr(result, self.pk_attname)
        if type(pk) is not int:  # a UUID, a text key, a bool or an int subclass: Django's way
            return super().url_for_result(result)
        parts = self.__dict__.get("_change_url_parts")
        if parts is None:
            # the marker is an integer too, so it is written as any key is; it must occur once in the address
            url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=(self._MARKER,),
                          current_app=self.model_admin.admin_site.name)
            pieces = url.split(str(self._MARKER))
            parts = self._change_url_parts = (pieces[0], pieces[1]) if len(pieces) == 2 else self._NO_TEMPLATE
        if parts is self._NO_TEMPLATE:
            return super().url_for_result(result)
        return f"{parts[0]}{pk}{parts[1]}"

    def get_results(self, request):
        super().get_results(request)
        self.result_list = self.model_admin.get_changelist_rows(request, self.result_list)

    # -- the rows' cells ---------------------------------------------------------------------------------------------

    def row_cells(self, result) -> list:
        """The cells of one row as Django's admin_list.items_for_result writes them, less the ``field-<name>`` class of
        every cell (nothing of the project styles or finds a cell by it, the header's ``column-<name>`` names the
        column, and it was a fifth of a suggestion page's bytes); congress/tests/test_admin_rows.py compares the two on
        every list of the demo data. The work that is the same for every row is done once per list: which column is
        a model field, an admin method or a callable, whether it links to the change page, its empty text. Django's
        version asks all of that again for every cell (450 cells a page of suggestions), and writes each with
        format_html. Lists with editable rows or in a popup go Django's way (congress.admin_site installs it)."""
        columns = self.__dict__.get("_row_columns")
        if columns is None:
            columns = self._row_columns = self._plan_row_columns()
        # the row's place on the page, for the ids of the cells that name its selection box (row_label_ids)
        row = self._rows_written = self.__dict__.get("_rows_written", 0) + 1
        return [column.cell(self, result, row) for column in columns]

    def _plan_row_columns(self) -> list:
        display_links, first, columns = self.list_display_links, True, []
        # the cells that name the row's selection box (CongressModelAdmin.checkbox_label_columns), when the list shows
        # the box and all of them
        labels = tuple(getattr(self.model_admin, "checkbox_label_columns", ()))
        if not (labels and "action_checkbox" in self.list_display and set(labels) <= set(self.list_display)):
            labels = ()
        for name in self.list_display:
            if display_links is None:
                link = False
            elif first and not display_links:
                link = True
            else:
                link = name in display_links
            tag = None
            if link:
                tag, first = ("th" if first else "td"), False
            column = _RowColumn(self, name, tag)
            if labels and name == "action_checkbox":
                column.labels = len(labels)
            elif name in labels:
                column.label = labels.index(name) + 1
            columns.append(column)
        return columns


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:  # (display_for_field then makes it hashable)
        return False
    return True


def _escaped(text) -> str:
    """django.utils.html.conditional_escape without its lazy wrapper (the text of a cell is never lazy by then)."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


class _RowColumn:
    """One column of a change list, as items_for_result reads it for each cell (see CongressChangeList.row_cells)."""

    FIELD, CALLABLE, ADMIN, OTHER = range(4)
    labels = 0   # the selection box's column: how many cells name it (row_label_ids)
    label = 0    # a cell that names the box: its place among them

    def __init__(self, changelist, name, tag):
        self.name, self.tag = name, tag
        self.model_admin = model_admin = changelist.model_admin
        self.empty = model_admin.get_empty_value_display()
        self.field = self.attr = None
        if callable(name):
            self.kind, self.attr = self.CALLABLE, name
        else:
            try:
                self.field = _get_non_gfk_field(changelist.lookup_opts, name)
                self.kind = self.FIELD
            except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
                if hasattr(model_admin, name) and name != "__str__":
                    self.kind, self.attr = self.ADMIN, getattr(model_admin, name)
                else:
                    self.kind = self.OTHER  # a model attribute, property or path: lookup_field for every cell
        field = self.field
        self.to_one = field is not None and not field.auto_created and isinstance(field.remote_field, models.ManyToOneRel)
        self.choices = None  # a field with choices: value → label, as display_for_field builds it for every cell
        if field is not None and not self.to_one and getattr(field, "flatchoices", None):
            try:
                self.choices = dict(field.flatchoices)
            except TypeError:  # list-like choices: display_for_field's way
                pass
        self.field_nowrap = field is not None and isinstance(field, models.DateField | models.TimeField | models.ForeignKey)

    def cell(self, changelist, result, row: int) -> SafeString:
        empty, classes = self.empty, ""
        try:
            kind = self.kind
            if kind == self.FIELD:
                field, attr, value = self.field, None, getattr(result, self.name)
            elif kind == self.OTHER:
                field, attr, value = lookup_field(self.name, result, self.model_admin)
            elif self.labels:
                field, attr = None, self.attr
                value = attr(result, labelled_by=" ".join(row_label_ids(row, self.labels)))
            else:
                field, attr = None, self.attr
                value = attr(result)
        except ObjectDoesNotExist:
            result_repr = empty
        else:
            empty = getattr(attr, "empty_value_display", empty)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if field is None or field.auto_created:
                if self.name == "action_checkbox":
                    classes = "action-checkbox"
                boolean = getattr(attr, "boolean", False)
                if isinstance(attr, property) and hasattr(attr, "fget"):
                    boolean = getattr(attr.fget, "boolean", False)
                result_repr = display_for_value(value, empty, boolean)
                if isinstance(value, datetime.date | datetime.time):
                    classes = f"{classes} nowrap" if classes else "nowrap"
            else:  # (a model field: only the FIELD kind has one)
                if self.to_one:  # the related object itself, as Django shows it
                    result_repr = empty if value is None else value
                elif self.choices is not None and _hashable(value):
                    result_repr = self.choices.get(value, empty)
                else:
                    result_repr = display_for_field(value, field, empty, avoid_link=self.tag is not None)
                if self.field_nowrap:
                    classes = "nowrap"
        attrs = f' class="{classes}"' if classes else ""
        if self.label:
            attrs = f'{attrs} id="{row_label_ids(row, self.label)[-1]}"'
        tag = self.tag
        if tag is None:
            return SafeString(f'<td{attrs}>{_escaped(result_repr)}</td>')
        try:
            url = changelist.url_for_result(result)
        except NoReverseMatch:
            inner = _escaped(result_repr)
        else:
            url = add_preserved_filters({"preserved_filters": changelist.preserved_filters, "opts": changelist.opts}, url)
            inner = f'<a href="{_escaped(url)}">{_escaped(result_repr)}</a>'
        return SafeString(f'<{tag}{attrs}>{inner}</{tag}>')


def row_label_ids(row: int, count: int) -> list[str]:
    """The ids of the first `count` cells that name the selection box of the page's `row`-th row (from 1): a<row>,
    b<row>, ... Unique on the page, and short: three of them a row, where the primary key would make each as long as
    the key."""
    return [f"{letter}{row}" for letter in string.ascii_lowercase[:count]]


def _django_items_for_result(cl, result, form):  # replaced by congress.admin_site with Django's own at start
    raise NotImplementedError


def items_for_result(cl, result, form):
    """admin_list.items_for_result as congress.admin_site installs it: the project's change lists write their rows
    with CongressChangeList.row_cells; editable rows, popups and other admins' lists go Django's way."""
    if form is None and isinstance(cl, CongressChangeList) and not cl.is_popup:
        # one item, the row's cells joined: change_list_results.html writes a row's items one after the other, and
        # each {{ item }} costs the template engine more than the cell itself (it reads a row's items only one by one
        # for an editable row's colspan, which never comes this way)
        return [SafeString("".join(cl.row_cells(result)))]
    return _django_items_for_result(cl, result, form)


_NOT_SET = object()

_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_LINE_BREAK = re.compile(rb"\n\s+")  # (spaces before a line break stay: cutting them too took 5 times as long for 7 bytes)


def squeeze_page(response):
    """A change list page without its HTML comments, and the whitespace after each line break cut: the admin's
    templates leave blank lines and indentation (2.3 KB of a list of suggestions) that a browser shows as the one space
    they still are. A page with a <pre> or <textarea>, where whitespace shows as written, stays as it is; the
    admin has no inline script or style (the pages' CSP). A post-render callback of the list's TemplateResponse."""
    content = response.content
    if b"<pre" in content or b"<textarea" in content:
        return
    response.content = _LINE_BREAK.sub(b"\n", _COMMENT.sub(b"", content))


@functools.lru_cache(maxsize=8)
def _checkbox_label(language) -> str:
    """Django's label of a row's selection box, in `language` (the active one), with {} for the row's name."""
    from django.utils.translation import gettext

    return gettext("Select this object for an action - {}")


class CongressModelAdmin(SafeInputAdminMixin, admin.ModelAdmin):
    """Defaults for every change list: no full-table count, estimated pagination, 50 rows a page, no facet counts (a
    count per filter choice over the whole list), and the rows' selection boxes written directly."""

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    list_per_page = 50

    # the scripts of prepopulated fields, which Django's ModelAdmin.media adds to every page of every model admin
    _PREPOPULATE_JS = {"admin/js/urlify.js", "admin/js/prepopulate.js", "admin/js/vendor/xregexp/xregexp.js",
                       "admin/js/vendor/xregexp/xregexp.min.js"}

    @property
    def media(self):
        """Django's scripts, less those of prepopulated fields for an admin without any (here or in an inline): XRegExp
        alone is 160 KB a browser parses on every list and form page."""
        media = super().media
        if self.prepopulated_fields or any(getattr(inline, "prepopulated_fields", None) for inline in self.inlines):
            return media
        return forms.Media(css=media._css, js=[js for js in media._js if js not in self._PREPOPULATE_JS])

    def get_changelist(self, request, **kwargs):
        return CongressChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """The change list's paginator, with the key its kept count goes by (EstimatedCountPaginator): the list, the
        user (whose scope the rows are in) and the filters and search, not the page or the order."""
        paginator = super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        if isinstance(paginator, EstimatedCountPaginator) and getattr(queryset, "model", None) is self.model:
            # (Django pages an object's history, its log entries, through here too: that count is not kept)
            paginator.count_key = (self.opts.label, request.user.pk, tuple(sorted(
                (name, tuple(values)) for name, values in request.GET.lists() if name not in ("p", "o"))))
        return paginator

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if isinstance(response, TemplateResponse) and "cl" in (response.context_data or {}):
            response.add_post_render_callback(squeeze_page)
        return response

    def get_changelist_rows(self, request, rows):
        """The page's rows as the change list shows them (a QuerySet not yet read, or a list): an admin whose
        get_queryset joins what only its change page, actions or export need may leave it out here."""
        return rows

    def get_empty_value_display(self):
        """Django's, without raising and catching AttributeError for every cell of the list (it asks once a cell)."""
        value = getattr(self, "empty_value_display", _NOT_SET)
        return mark_safe(self.admin_site.empty_value_display if value is _NOT_SET else value)

    # The columns whose cells name a row's selection box for a screen reader (aria-labelledby their ids), where the row
    # already shows its name: Django's aria-label repeats it in every row ("选择此对象执行操作 - " and str(obj), 150
    # bytes a suggestion). Empty: Django's label.
    checkbox_label_columns: tuple[str, ...] = ()

    def action_checkbox(self, obj, labelled_by: str = ""):
        """The same HTML as Django's (a test compares them), without rendering the CheckboxInput widget's template for
        every row: that was 0.4 ms a row, a third of a 50-row list's time; the label's translation is looked up once
        per language. `labelled_by`: the ids of the row's cells that name the box instead (checkbox_label_columns)."""
        if labelled_by:
            name = f'aria-labelledby="{html.escape(labelled_by)}"'
        else:
            name = f'aria-label="{_checkbox_label(get_language()).format(html.escape(str(obj)))}"'
        return SafeString(f'<input type="checkbox" name="{html.escape(ACTION_CHECKBOX_NAME)}" '
                          f'value="{html.escape(str(obj.pk))}" class="action-select" {name}>')


class TownScopedAdmin(CongressModelAdmin):
    """Town staff see and edit only the rows of the towns granted to them (django-guardian object permission on
    the town); everybody else with the model permission sees all. `town_lookup` is the path to the town."""

    town_lookup = "town"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        towns = towns_for(request.user)
        if towns is None:
            return qs
        return qs.filter(**{f"{self.town_lookup}__in": towns})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "town":
            towns = towns_for(request.user)
            if towns is not None:
                kwargs["queryset"] = towns
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CongressInline(SafeInputAdminMixin, admin.TabularInline):
    """The project's tabular inline (see SafeInputAdminMixin)."""


class GatedInline(CongressInline):
    """An inline editable only while its parent allows it (`editable(request, obj)`, asking the app's predicate or
    state), read-only after: add, change and delete all follow the same answer."""

    def editable(self, request, obj) -> bool:
        return True

    def has_add_permission(self, request, obj=None):
        return self.editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.editable(request, obj) and super().has_delete_permission(request, obj)


class ReadOnlyInline(CongressInline):
    """Rows shown under their parent and never edited there (transition records, duties, frozen rankings)."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyLogAdmin(CongressModelAdmin):
    """Logs, and records that services and tasks alone make (official letters, monthly reports), are append-only:
    nobody adds, changes or deletes a row through the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordReadOnlyMixin:
    """A record that is read-only in the admin (its fields all are; its steps are the workflow's pages or actions): its
    change page only shows it and a POST there is refused (403), rather than saving an unchanged row and a history row.
    The pages and actions still need the model's change permission, which they ask without an object."""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)


class TownScopedInline(SafeInputAdminMixin):
    """For inlines whose foreign keys point at town-scoped rows (deputies, stations)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        towns = towns_for(request.user)
        if towns is not None and db_field.name in {"deputy", "station"} and field is not None:
            field.queryset = field.queryset.filter(town__in=towns)
        return field


@dataclass(frozen=True)
class WorkflowPage:
    """One intermediate page of a workflow in the admin: a button on the change page, a form, and the service it calls.
    A page serves one or more transitions (the town review page: return for changes, or pass on), and is offered while
    the person may take any of them now."""

    slug: str                      # the URL part and the URL name's suffix: admin:<app>_<model>_<slug>
    label: str                     # the button and the page's title
    transitions: tuple[str, ...]
    form: type                     # a Form taking obj= (the object the page acts on)
    done: str                      # the message after it worked
    perform: Callable              # (request, obj, cleaned_data) → calls the one service
    gate: str = "change"           # the model permission a role needs to reach the page at all ("view" for town review)


class WorkflowAdminMixin:
    """The admin side of a workflow (congress.lib.workflow): the change page's buttons are the pages whose transitions
    this person may take now (`workflow.available(user, obj, "admin")`), each button carrying their names in
    data-transition; each page answers 403 to somebody who may never take its transitions, shows the refusal (a wrong
    state) without a form, and on POST calls the service, which checks again. Nothing here changes a state itself."""

    workflow = None
    workflow_pages: list[WorkflowPage] = []

    def _page_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [path(f"<path:object_id>/{page.slug}/", wrap(self._page_view(page)), name=f"{info[0]}_{info[1]}_{page.slug}")
                for page in self.workflow_pages]

    def get_urls(self):
        return self._page_urls() + super().get_urls()

    def workflow_links(self, request, obj) -> list[dict]:
        if obj is None or self.workflow is None:
            return []
        offered = {t.name for t in self.workflow.available(request.user, obj, "admin")}
        info = self.opts.app_label, self.opts.model_name
        links = []
        for page in self.workflow_pages:
            names = [t for t in page.transitions if t in offered]
            if names:
                links.append({"url": reverse(f"admin:{info[0]}_{info[1]}_{page.slug}", args=[obj.pk]),
                              "label": page.label, "transitions": " ".join(names)})
        return links

    def workflow_timeline(self, obj) -> list[dict]:
        """The object's steps for its change page (an admin whose objects gather others' steps, such as a suggestion's
        assignments, shows their common thread instead)."""
        from congress.lib.workflow import timeline_rows

        return timeline_rows(self.workflow.history(obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        extra_context = {"workflow_links": self.workflow_links(request, obj),
                         "timeline": self.workflow_timeline(obj) if obj is not None else [], **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def _page_view(self, page: WorkflowPage):
        def view(request, object_id):
            return self.workflow_page(request, object_id, page)
        # the URL's callback carries them (admin_view copies them): the access matrix finds every workflow page this way
        view.workflow_page, view.model_admin = page, self
        return view

    def workflow_page(self, request, object_id, page: WorkflowPage):
        allowed = self.has_change_permission(request) if page.gate == "change" else self.has_view_permission(request)
        if not allowed:
            raise PermissionDenied
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404("对象不存在")
        flow, user = self.workflow, request.user
        if not any(flow.permits(user, obj, name) for name in page.transitions):
            raise PermissionDenied
        refusals = [flow.refusal(user, obj, name) for name in page.transitions]
        form = None
        if any(r is None for r in refusals):
            # bound on every POST: a page without fields (审核通过, 批准) posts nothing but the CSRF token
            posted = request.method == "POST"
            form = page.form(request.POST if posted else None, request.FILES if posted else None, obj=obj)
            if request.method == "POST" and form.is_valid():
                try:
                    page.perform(request, obj, form.cleaned_data)
                except CongressError as exc:
                    form.add_error(None, exc.messages)
                else:
                    self.message_user(request, page.done, messages.SUCCESS)
                    info = self.opts.app_label, self.opts.model_name
                    return HttpResponseRedirect(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "original": obj, "form": form,
                   "title": page.label, "media": self.media + (form.media if form else forms.Media()),
                   "has_view_permission": True, "refusal": next((r for r in refusals if r), "") if form is None else ""}
        return TemplateResponse(request, "admin/action_form.html", context)


@admin.action(description="导出所选为 Excel")
def export_xlsx(modeladmin, request, queryset):
    """Any staff list (waiting for verification, no activity this quarter, checklist by town) as a workbook, with
    the columns the list shows; logged in ExportRecord like every export."""
    changelist = modeladmin.get_changelist_instance(request)
    columns = [c for c in changelist.list_display if c != "action_checkbox"]
    book = Workbook()
    sheet = book.active
    sheet.title = str(modeladmin.opts.verbose_name_plural)[:31]
    sheet.append([str(admin.utils.label_for_field(c, modeladmin.model, modeladmin)) for c in columns])
    rows = 0
    for obj in queryset:
        values = []
        for c in columns:
            field, _a, value = admin.utils.lookup_field(c, obj, modeladmin)
            if field is not None and getattr(field, "choices", None):
                value = admin.utils.display_for_field(value, field, "")  # "已接待", not "held"
            values.append(value if isinstance(value, int | float) else str(value if value is not None else ""))
        sheet.append(values)
        rows += 1
    out = io.BytesIO()
    book.save(out)
    ExportRecord.objects.create(user=request.user, model_label=modeladmin.opts.label_lower, row_count=rows,
                                file_format="xlsx")
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{modeladmin.opts.verbose_name_plural}-{timezone.localdate():%Y%m%d}.xlsx")
    return response
