"""manage.py annual_report --year YYYY --output FILE.pdf: render the year's annual work report now (no version row is
kept: versions are asked for in the admin) and write it."""
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from congress.reports import services


class Command(BaseCommand):
    help = "生成某年度的年度工作报告 PDF"

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, type=int, help="年度，如 2026")
        parser.add_argument("--output", required=True, help="PDF 文件的保存路径")

    def handle(self, *args, year, output, **options):
        if not 2000 <= year <= timezone.localdate().year:
            raise CommandError(f"年度应在2000年至{timezone.localdate().year}年之间。")
        began = time.monotonic()
        data, _ = services.annual_report_render(year)
        Path(output).write_bytes(data)
        self.stdout.write(f"已生成{year}年度工作报告：{output}（{services.page_count(data)} 页，{len(data) // 1024} 千字节，"
                          f"用时 {time.monotonic() - began:.1f} 秒）")
