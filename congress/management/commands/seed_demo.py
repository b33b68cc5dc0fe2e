"""manage.py seed_demo [--scale district|city|province]: load the 江海区 demo data once (skipped when present)."""
import argparse
import time

from django.core.management.base import BaseCommand

from congress.demo.seed import SCALES, seed


class Command(BaseCommand):
    help = "载入演示数据（虚构的江海区）；已有数据时跳过。--scale city/province 生成约10倍/100倍的数据用于压力测试。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="district",
                            help="数据规模：district 一个区（默认），city 约10倍，province 约100倍")
        # For tests: any multiplier, e.g. 0.05, overriding --scale.
        parser.add_argument("--factor", type=float, default=None, help=argparse.SUPPRESS)

    def handle(self, *args, scale, factor, **options):
        factor = factor if factor is not None else SCALES[scale]
        started = time.monotonic()
        self.stdout.write(f"载入演示数据（规模系数 {factor:g}）……")
        result = seed(factor, stdout=self.stdout)
        if result["skipped"]:
            self.stdout.write("演示数据已存在，跳过")
            return
        self.stdout.write(f"完成，共用时 {time.monotonic() - started:.1f} 秒。")
        for name, count in result["counts"].items():
            self.stdout.write(f"  {name}：{count}")
        self.stdout.write("演示账号（用户名 / 密码 / 角色）：")
        for account in result["accounts"]:
            self.stdout.write(f"  {account['username']} / {account['password']} / {account['description']}")
        self.stdout.write("三员（sysadmin、secadmin、auditor）登录后还需动态口令：manage.py totp_now <用户名>")
