#!/usr/bin/env bash
# THE demo command: ./scripts/demo.sh          (PORT=8123 ./scripts/demo.sh for another port)
#
# Sets up .venv, a SQLite database under var/ with demo data, a Celery worker with embedded beat on kombu's
# filesystem transport (no PostgreSQL or Redis needed) and Django's development server on 0.0.0.0:$PORT.
# Stop it with Ctrl-C: the worker is stopped with the server.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
PORT=${PORT:-8000}
export DEBIAN_FRONTEND=noninteractive PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1

log() { if [[ -t 2 ]]; then printf '\033[1m==> %s\033[0m\n' "$*" >&2; else printf '==> %s\n' "$*" >&2; fi; }
warn() { printf '警告 / WARNING: %s\n' "$*" >&2; }
die() { printf '错误 / ERROR: %s\n' "$*" >&2; exit 1; }

# --- Debian packages: only what the demo needs ---------------------------------------------------------
# Required: a Python with venv. Wanted: gettext (English translation), CJK fonts and Pango (PDF exports).
MISSING=()
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1 && [[ ! -x .venv/bin/python ]]; then
    MISSING+=(python3-venv)
fi
command -v msgfmt >/dev/null 2>&1 || MISSING+=(gettext)
for pkg in fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0; do
    dpkg -s "$pkg" >/dev/null 2>&1 || MISSING+=("$pkg")
done
if ((${#MISSING[@]})); then
    if [[ $(id -u) -eq 0 ]]; then
        log "apt-get install ${MISSING[*]}"
        apt-get update -qq </dev/null
        apt-get install -y -qq --no-install-recommends "${MISSING[@]}" </dev/null >/dev/null
    elif [[ " ${MISSING[*]} " == *" python3-venv "* ]]; then
        die "缺少 / missing python3-venv: sudo apt-get install -y ${MISSING[*]}"
    else
        warn "缺少 Debian 软件包 / missing Debian packages: ${MISSING[*]}
    没有它们演示仍可运行，但 PDF 中文可能缺字、英文界面不可用 / the demo runs without them, but PDFs may lose
    Chinese glyphs and the English interface is not compiled. Install: sudo apt-get install -y ${MISSING[*]}"
    fi
fi

# --- Python virtualenv ----------------------------------------------------------------------------
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [[ ! -x .venv/bin/python ]]; then
    log "creating .venv with $PYTHON"
    "$PYTHON" -m venv .venv
fi
STAMP=.venv/.requirements.lock.sha256
LOCK_HASH=$(sha256sum requirements.lock | cut -d' ' -f1)
if [[ ! -f $STAMP || $(cat "$STAMP") != "$LOCK_HASH" ]]; then
    log "pip install -r requirements.lock"
    .venv/bin/python -m pip install -q -r requirements.lock </dev/null
    echo "$LOCK_HASH" >"$STAMP"
fi
PY=$ROOT/.venv/bin/python

# --- Django with SQLite ---------------------------------------------------------------------------
export DEBUG=1
export DJANGO_SETTINGS_MODULE=congress.settings
VAR=${VAR_DIR:-$ROOT/var}
mkdir -p "$VAR/celery-broker" "$VAR/celery-processed" "$VAR/celery-results" "$VAR/media"

log "manage.py migrate"
"$PY" manage.py migrate --noinput -v 0
if command -v msgfmt >/dev/null 2>&1; then
    log "manage.py compilemessages"
    "$PY" manage.py compilemessages --ignore=.venv --ignore=var --ignore=node_modules -v 0
fi
log "manage.py collectstatic"
"$PY" manage.py collectstatic --noinput -v 0
if "$PY" manage.py help seed_demo >/dev/null 2>&1; then
    log "manage.py seed_demo"
    "$PY" manage.py seed_demo
else
    warn "manage.py seed_demo 尚不存在，跳过演示数据 / seed_demo does not exist yet: no demo data, no demo logins"
fi

# --- Celery worker with embedded beat, stopped with the server ----------------------------------------
WORKER_LOG=$VAR/celery-worker.log
log "Celery worker + beat (log: $WORKER_LOG)"
"$ROOT/.venv/bin/celery" -A congress worker -B --loglevel=info --concurrency=1 \
    --schedule "$VAR/celerybeat-schedule" </dev/null >>"$WORKER_LOG" 2>&1 &
WORKER_PID=$!
stop_worker() {
    kill -TERM "$WORKER_PID" 2>/dev/null || return 0
    for _ in $(seq 20); do kill -0 "$WORKER_PID" 2>/dev/null || return 0; sleep 0.5; done
    kill -KILL "$WORKER_PID" 2>/dev/null || true
}
# Until the exec below, a failure stops the worker through this trap; after it, the server replaces this shell
# (same PID, so Ctrl-C and `kill` reach it directly) and a small watcher stops the worker when that PID ends.
trap stop_worker EXIT
SERVER_PID=$$
(
    trap '' INT
    while kill -0 "$SERVER_PID" 2>/dev/null; do sleep 1; done
    stop_worker
) </dev/null >/dev/null 2>&1 &

cat <<EOF

  区人大常委会履职服务平台 — 演示 / demo
  门户 / portal:  http://127.0.0.1:${PORT}/
  后台 / admin:   http://127.0.0.1:${PORT}/admin/
  Celery 日志 / worker log: ${WORKER_LOG}

  演示账号 / demo logins（seed_demo 创建 / created by seed_demo）
    用户名 user   密码 password    角色 role
    sysadmin      Xitong@2026      系统管理员
    secadmin      Anquan@2026      安全管理员
    auditor       Shenji@2026      审计管理员
    staff         Renda@2026       常委会机关工作人员（人事代表工作委员会）
    town          Zhenjie@2026     镇街人大工作人员（城东街道）
    unit          Chengban@2026    承办单位（区住房和城乡建设局）
    unit2         Chengban2@2026   承办单位（区交通运输局）
    deputy        Daibiao@2026     人大代表（城东街道，陈翰茂）
    deputy2       Daibiao2@2026    人大代表（城西街道，梁胜）
    deputy3       Daibiao3@2026    人大代表（临江镇，朱之言）
    leader        Lingdao@2026     领导（常委会办公室）
  三员登录还需动态口令 / the three administrators also give a TOTP code:
    $PY manage.py totp_now sysadmin    （secadmin、auditor 同理 / likewise）
  公众页面 / public: http://127.0.0.1:${PORT}/stations/ （家站点、接待选民日、扫码反映社情民意）
                    http://127.0.0.1:${PORT}/replies/ （已公开的建议答复）

EOF
trap - EXIT
exec "$PY" manage.py runserver "0.0.0.0:${PORT}"
