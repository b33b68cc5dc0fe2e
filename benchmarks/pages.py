"""Serve the portal with gunicorn on a seeded database and load each main page, printing req/s, p50, p99, the
page's size and its ratio to /healthz (one SELECT 1 through the whole middleware) measured in the same run.

    # seed first (benchmarks/seed_scales.sh, or: DATABASE_URL=… manage.py migrate && manage.py seed_demo --scale city)
    DATABASE_URL=postgres://…/renda_city .venv/bin/python benchmarks/pages.py [--seconds 8] [--clients 4] [--workers 2]

The load generator is a few Python threads with keep-alive connections; it shares the machine with gunicorn, so
compare ratios to /healthz rather than absolute figures across machines. Figures only; nothing is asserted.
"""
import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (label, login or None, path); "{station}" is filled with a running station's id
PAGES = [
    ("健康检查 /healthz", None, "/healthz"),
    ("首页 /", None, "/"),
    ("家站点列表（公众）", None, "/stations/"),
    ("家站点页（公众）", None, "/stations/{station}/"),
    ("答复公开（公众）", None, "/replies/"),
    ("代表首页", "deputy", "/portal/"),
    ("代表：我的建议", "deputy", "/portal/suggestions/"),
    ("代表：履职档案", "deputy", "/portal/record/"),
    ("代表：测评", "deputy", "/portal/polls/"),
    ("单位收件箱", "unit", "/unit/"),
    ("单位：社情民意", "unit", "/unit/opinions/"),
    ("后台首页", "staff", "/admin/"),
    ("后台：代表建议", "staff", "/admin/proposals/suggestion/"),
    ("后台：办理率", "staff", "/admin/proposals/suggestion/rates/"),
    ("后台：履职活动", "staff", "/admin/deputies/dutyactivity/"),
    ("后台：代表名册", "staff", "/admin/deputies/deputy/"),
    ("后台：社情民意", "staff", "/admin/stations/voteropinion/"),
    ("后台：全局搜索（两字）", "staff", "/admin/search/?q=%E7%94%B5%E6%A2%AF"),
    ("代表：搜索（两字）", "deputy", "/portal/search/?q=%E7%94%B5%E6%A2%AF"),
    ("领导驾驶舱", "leader", "/dashboard/"),
    ("逾期事项", "leader", "/dashboard/overdue/"),
]
PASSWORDS = {"deputy": "Daibiao@2026", "unit": "Chengban@2026", "staff": "Renda@2026", "leader": "Lingdao@2026"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only"),
           "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0",
           "LOGIN_FAILURE_LIMIT": "1000", "LOGIN_FAILURE_LIMIT_PER_ADDRESS": "1000"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "congress.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
                             "--log-level", "warning"], cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("gunicorn 未能启动 / gunicorn did not start")


def login(port: int, username: str) -> str:
    """The Cookie header of a logged-in session (the login form with its CSRF token)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookies = {c.split("=", 1)[0]: c.split("=", 1)[1].split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []}
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "username": username, "password": PASSWORDS[username]})
    conn.request("POST", "/accounts/login/", body, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "Referer": f"http://127.0.0.1:{port}/accounts/login/"})
    response = conn.getresponse()
    response.read()
    for c in response.headers.get_all("Set-Cookie") or []:
        name, value = c.split("=", 1)
        cookies[name] = value.split(";", 1)[0]
    if response.status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"{username} 登录失败（HTTP {response.status}）")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def load(port: int, path: str, cookie: str, seconds: float, clients: int) -> dict:
    latencies: list[float] = []
    sizes: list[int] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, size = [], 0
        while time.perf_counter() < stop:
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            body = response.read()
            mine.append(time.perf_counter() - started)
            size = len(body)
            if response.status != 200:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)
            sizes.append(size)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
            "bytes": max(sizes or [0]), "errors": errors[0], "n": len(latencies)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("请设置 DATABASE_URL（已播种的数据库）/ set DATABASE_URL to a seeded database")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    import django

    django.setup()
    from stations.models import Station

    station = Station.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True).first()
    port = free_port()
    proc = start_gunicorn(port, args.workers)
    try:
        cookies = {name: login(port, name) for name in PASSWORDS}
        results = []
        for label, who, path in PAGES:
            path = path.format(station=station)
            cookie = cookies[who] if who else ""
            load(port, path, cookie, 1, 1)  # warm the workers' caches
            results.append((label, path, load(port, path, cookie, args.seconds, args.clients)))
        base = results[0][2]["rps"]
        print(f"{'页面':<18}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'比 /healthz':>12}{'KB':>8}{'非200':>7}  地址")
        for label, path, r in results:
            print(f"{label:<18}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p99']:>9.1f}{r['rps'] / base:>12.3f}"
                  f"{r['bytes'] / 1024:>8.1f}{r['errors']:>7}  {path}")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
