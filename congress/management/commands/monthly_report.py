"""manage.py monthly_report --month YYYY-MM --output FILE.pdf: build the month's report if it is not yet published
(the same idempotent service as the task) and write its PDF."""
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congress.reports import services


class Command(BaseCommand):
    help = "生成（如尚未生成）并导出某月的工作月报 PDF"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="月份，格式为 YYYY-MM，如 2026-03")
        parser.add_argument("--output", required=True, help="PDF 文件的保存路径")

    def handle(self, *args, month, output, **options):
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", month.strip())
        if not match or not 1 <= int(match[2]) <= 12:
            raise CommandError("月份格式不正确，应为 YYYY-MM，如 2026-03。")
        try:
            report = services.monthly_report_build(year=int(match[1]), month=int(match[2]))
            with services.monthly_report_pdf(report).pdf.open("rb") as handle:
                data = handle.read()
        except services.CongressError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        Path(output).write_bytes(data)
        self.stdout.write(f"已生成{report}：{output}（{len(data) // 1024} 千字节）")
