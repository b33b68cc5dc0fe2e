"""The admin side of spreadsheet import and export: xlsx/csv only, the request user passed to the resource (town
scope and masking), a downloadable template, a CSV saved by Excel in GBK accepted, a failed confirmation sent back
to the import page, and every export written to ExportRecord (docs/rules.md)."""
import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import BINARY_FORMATS, CSV, XLSX
from import_export.forms import ImportForm, SelectableFieldsExportForm

from congress.models import ExportRecord
from congress.services import CongressError

logger = logging.getLogger("congress.export")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportForm(SelectableFieldsExportForm):
    """The export page's column check boxes carry the column's Chinese header (姓名), where the library puts the field's
    name in English first ("Full Name (姓名)")."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return field.column_name if field and field.column_name else super()._get_field_label(resource, field_name)


class CappedImportForm(ImportForm):
    """The import form refuses a file over its cap before anything reads it: IMPORT_MAX_MB, or the admin's own smaller
    `import_max_bytes` (CongressImportExportMixin sets `max_bytes`)."""

    max_bytes: int | None = None

    def clean_import_file(self):
        from django.conf import settings
        from django.core.exceptions import ValidationError

        upload = self.cleaned_data.get("import_file")
        if upload is None:
            return upload
        if self.max_bytes and upload.size > self.max_bytes:
            raise ValidationError(f"文件太大：不能超过 {self.max_bytes // 1024} KB。请确认选择的文件正确。")
        if upload.size > settings.IMPORT_MAX_MB * 1024 * 1024:
            raise ValidationError(f"文件超过 {settings.IMPORT_MAX_MB} MB，请拆分后分批导入。")
        return upload


class CongressImportExportMixin(ImportExportMixin):
    """Put it first among a ModelAdmin's bases and set `resource_classes` to one CongressResource subclass."""

    import_formats = [XLSX, CSV]
    export_form_class = ExportForm
    export_formats = [XLSX, CSV]
    import_template_name = "admin/import_export/congress_import.html"
    import_form_class = CappedImportForm
    import_error_display = ("message",)
    to_encoding = "utf-8-sig"  # a CSV Excel opens with the Chinese intact
    #: the exported file's name without the date and extension, e.g. 代表名册
    export_title = None
    #: the largest file the import page takes, in bytes (None: no cap of its own)
    import_max_bytes = None

    # -- the request user reaches the resource ----------------------------------------------------------------------

    def get_import_resource_kwargs(self, request, **kwargs):
        kwargs = super().get_import_resource_kwargs(request, **kwargs)
        kwargs["user"] = request.user
        return kwargs

    def get_export_resource_kwargs(self, request, **kwargs):
        kwargs = super().get_export_resource_kwargs(request, **kwargs)
        kwargs["user"] = request.user
        return kwargs

    # -- template download ------------------------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("import-template/", self.admin_site.admin_view(self.import_template_view),
                 name="{}_{}_import_template".format(*info)),
            path("import/jobs/<id:pk>/", self.admin_site.admin_view(self.import_job_view),
                 name="{}_{}_import_job".format(*info)),
        ] + super().get_urls()

    def import_template_view(self, request):
        # only the header row and an example: whoever may see the list may download it
        if not self.has_view_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0](user=request.user)
        response = HttpResponse(resource.template_workbook(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, resource.template_filename)
        return response

    # -- import -----------------------------------------------------------------------------------------------------

    def import_action(self, request, **kwargs):
        """A file of more than IMPORT_BACKGROUND_ROWS data rows goes to the worker (congress.lib.importjobs) and the
        page follows its progress; a smaller one gets the library's immediate preview."""
        from django.conf import settings

        from congress.lib import importjobs

        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid():
                index = int(form.cleaned_data["format"])
                input_format = self.get_import_formats()[index]()
                upload = form.cleaned_data["import_file"]
                data = b"".join(upload.chunks())
                rows = importjobs.count_rows(data, input_format.is_binary())
                if rows > settings.IMPORT_BACKGROUND_ROWS:
                    storage = self.write_to_tmp_storage(_Chunks(data, upload.name), input_format)
                    job = importjobs.import_job_create(actor=request.user, model_label=self.opts.label_lower,
                                                       file_name=upload.name, stored_name=storage.name,
                                                       format_index=index, rows=rows)
                    return HttpResponseRedirect(reverse("admin:{}_{}_import_job".format(*self.get_model_info()),
                                                        args=[job.pk], current_app=self.admin_site.name))
                upload.seek(0)
        return super().import_action(request, **kwargs)

    def import_job_view(self, request, pk):
        """The background import's page: progress while the worker runs (the page reloads itself every few seconds),
        the row errors of a refused file, the counts and the 确认导入 button of a checked one."""
        from django.shortcuts import get_object_or_404

        from congress.lib import importjobs
        from congress.models import ImportJob

        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=pk, model_label=self.opts.label_lower)
        if job.user_id != request.user.pk:
            raise PermissionDenied("只有上传该文件的人可以查看这个导入任务")
        if request.method == "POST":
            try:
                importjobs.import_job_confirm(actor=request.user, job_id=job.pk)
            except CongressError as exc:
                messages.error(request, str(exc))
            return HttpResponseRedirect(request.path)
        done = importjobs.progress_of(job)
        labels = {"new": "新增", "update": "更新", "skip": "跳过", "delete": "删除", "error": "错误", "invalid": "无效"}
        context = {**self.admin_site.each_context(request), "title": f"导入{self.opts.verbose_name_plural}：{job.file_name}",
                   "opts": self.opts, "job": job, "done": done,
                   "percent": int(done * 100 / job.rows) if job.rows else 0,
                   "totals": [(labels.get(k, k), v) for k, v in job.totals.items()],
                   "changelist_url": reverse("admin:{}_{}_changelist".format(*self.get_model_info()),
                                             current_app=self.admin_site.name)}
        return TemplateResponse(request, "admin/import_export/import_job.html", context)

    def process_import(self, request, **kwargs):
        # the permission first: without it the answer is 403 whatever the method (the library answers 405 first)
        if not self.has_import_permission(request):
            raise PermissionDenied
        return super().process_import(request, **kwargs)

    def create_import_form(self, request):
        form = super().create_import_form(request)
        form.max_bytes = self.import_max_bytes  # one cap check (CappedImportForm), with this admin's own limit
        return form

    def add_data_read_fail_error_to_form(self, form, e):
        # the library's message (locale/zh_Hans) names the Python exception ('BadZipFile'): nothing a person can act on
        form.add_error("import_file", "无法读取上传的文件。请确认选择的文件格式与文件一致（xlsx 或 csv），并且文件没有损坏。")

    def write_to_tmp_storage(self, import_file, input_format):
        if not input_format.is_binary():
            data = b"".join(import_file.chunks())
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                try:  # Excel on Chinese Windows saves CSV as GBK
                    data = data.decode("gb18030").encode("utf-8")
                except UnicodeDecodeError:
                    pass
            import_file = _Chunks(data, import_file.name)
        return super().write_to_tmp_storage(import_file, input_format)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # the data changed between the preview and the confirmation: nothing was written (one transaction)
            resource = self.get_import_resource_classes(request)[0](user=request.user)
            problems = resource.row_messages(result)
            shown = "；".join(problems[:10]) + ("……" if len(problems) > 10 else "")
            messages.error(request, f"导入未完成，没有写入任何数据：{shown}")
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*self.get_model_info()),
                                                current_app=self.admin_site.name))
        return super().process_result(result, request)

    # -- export -----------------------------------------------------------------------------------------------------

    def get_export_data(self, file_format, request, queryset, **kwargs):
        """As django-import-export's, plus the ExportRecord (it needs the dataset's row count and the format)."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        force_native_type = type(file_format) in BINARY_FORMATS
        data = self.get_data_for_export(request, queryset, force_native_type=force_native_type, **kwargs)
        personal = request.user.has_perm("deputies.view_personal_data") and bool(
            getattr(self.get_export_resource_classes(request)[0], "personal_data_columns", ())
        )
        ExportRecord.objects.create(user=request.user, model_label=self.opts.label_lower, row_count=len(data),
                                    file_format=file_format.get_extension(), personal_data=personal)
        logger.info("export user=%s model=%s rows=%s format=%s personal_data=%s", request.user.pk,
                    self.opts.label_lower, len(data), file_format.get_extension(), personal)
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data

    def get_export_filename(self, request, queryset, file_format):
        title = self.export_title or str(self.opts.verbose_name_plural)
        return f"{title}-{timezone.localdate():%Y%m%d}.{file_format.get_extension()}"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        # a Chinese file name needs RFC 6266's filename*= (the default header would be MIME-encoded)
        response["Content-Disposition"] = content_disposition_header(
            True, self.get_export_filename(request, queryset, file_format))
        return response


class _Chunks:
    """The little of UploadedFile that write_to_tmp_storage uses."""

    def __init__(self, data: bytes, name: str):
        self.data = data
        self.name = name

    def chunks(self):
        yield self.data
