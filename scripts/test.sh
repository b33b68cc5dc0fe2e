#!/usr/bin/env bash
# THE test command: ./scripts/test.sh [pytest args...]
#
# On a fresh Debian 12 machine (as root) it installs the Debian packages the suite needs, creates .venv from
# requirements.lock, starts a throwaway PostgreSQL and Redis on free ports (stopped and deleted on exit), compiles
# the translations, runs `manage.py check`, `makemigrations --check`, `lint-imports` and then pytest with the arguments
# given.
# Exits with pytest's status. Never reads stdin, so it runs the same without a terminal (CI).
set -euo pipefail
exec </dev/null

START_NS=$(date +%s%N)
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
export DEBIAN_FRONTEND=noninteractive PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1

log() { if [[ -t 2 ]]; then printf '\033[1m==> %s\033[0m\n' "$*" >&2; else printf '==> %s\n' "$*" >&2; fi; }
die() { printf '错误 / ERROR: %s\n' "$*" >&2; exit 1; }

PG_BIN=""
for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [[ -x "$candidate/initdb" ]]; then PG_BIN=$candidate; break; fi
done

# --- Debian packages ------------------------------------------------------------------------------
# "package:probe" — the probe is a command name, an absolute path, or dpkg: to ask dpkg.
NEEDED=(
    "postgresql:${PG_BIN:-/usr/lib/postgresql/15/bin}/initdb"
    "redis-server:redis-server"
    "redis-tools:redis-cli"
    "chromium:chromium"
    "fonts-noto-cjk:dpkg"
    "gettext:msgfmt"
    "libpango-1.0-0:dpkg"
    "libpangoft2-1.0-0:dpkg"
    "nodejs:node"
    "npm:npm"
)
have() {
    local pkg=$1 probe=$2
    case $probe in
        dpkg) dpkg -s "$pkg" >/dev/null 2>&1 ;;
        /*) [[ -x $probe ]] ;;
        *) command -v "$probe" >/dev/null 2>&1 ;;
    esac
}
MISSING=()
for item in "${NEEDED[@]}"; do
    have "${item%%:*}" "${item#*:}" || MISSING+=("${item%%:*}")
done
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1 && [[ ! -x .venv/bin/python ]]; then
    MISSING+=(python3-venv)
fi
if ((${#MISSING[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        die "缺少 Debian 软件包 / missing Debian packages: ${MISSING[*]}
    请以 root 运行本脚本，或先执行 / run as root, or first: sudo apt-get install -y ${MISSING[*]}"
    fi
    log "apt-get install ${MISSING[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >/dev/null
    for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [[ -x "$candidate/initdb" ]]; then PG_BIN=$candidate; break; fi
    done
fi
[[ -n $PG_BIN ]] || die "PostgreSQL server binaries (initdb) not found under /usr/lib/postgresql/*/bin"

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
    .venv/bin/python -m pip install -q -r requirements.lock
    echo "$LOCK_HASH" >"$STAMP"
fi
PY=$ROOT/.venv/bin/python

# --- axe-core for the accessibility browser tests (tests/test_browser_a11y.py) ------------------------
# From the npm registry, the exact version in tools/a11y/package-lock.json (npm ci), reinstalled when the lock changes.
# Test-only: never served, never committed (node_modules/ is ignored).
A11Y=$ROOT/tools/a11y
A11Y_STAMP=$A11Y/node_modules/.package-lock.json.sha256
A11Y_HASH=$(sha256sum "$A11Y/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $A11Y_STAMP || $(cat "$A11Y_STAMP") != "$A11Y_HASH" || ! -f $A11Y/node_modules/axe-core/axe.min.js ]]; then
    log "npm ci (tools/a11y: axe-core)"
    (cd "$A11Y" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$A11Y_HASH" >"$A11Y_STAMP"
fi
export AXE_JS=$A11Y/node_modules/axe-core/axe.min.js

# --- Throwaway PostgreSQL and Redis -----------------------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/renda-test.XXXXXX")
PG_DATA=$TMP/pgdata
PG_PORT=""
REDIS_PID=""
if [[ $(id -u) -eq 0 ]]; then
    chown postgres:postgres "$TMP"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

cleanup() {
    local status=$?
    set +e
    if [[ -n $REDIS_PID ]]; then
        kill "$REDIS_PID" 2>/dev/null
        wait "$REDIS_PID" 2>/dev/null
    fi
    if [[ -n $PG_PORT && -f $PG_DATA/postmaster.pid ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1
    fi
    rm -rf "$TMP"
    local end_ns
    end_ns=$(date +%s%N)
    printf '==> 用时 / wall time: %s s (exit %s)\n' \
        "$(awk -v ns=$((end_ns - START_NS)) 'BEGIN { printf "%.1f", ns / 1e9 }')" "$status" >&2
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() {
    "$PY" - "$1" <<'EOF'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
EOF
}

log "PostgreSQL: initdb in $PG_DATA"
# Sorting stays C (code-point order); character classes are UTF-8 ones, as in the postgres:15 image (en_US.utf8), so
# pg_trgm takes Chinese characters for letters and the search's trigram indexes (congress.lib.search) work.
as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale --lc-ctype=C.UTF-8 >"$TMP/initdb.log" 2>&1 \
    || { cat "$TMP/initdb.log" >&2; die "initdb failed"; }
for port in $(seq 55433 55532); do
    port_free "$port" || continue
    if as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$TMP/postgres.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $TMP -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
        start >/dev/null 2>&1; then
        PG_PORT=$port
        break
    fi
done
[[ -n $PG_PORT ]] || { cat "$TMP/postgres.log" >&2 || true; die "could not start PostgreSQL on a free port"; }
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres renda
log "PostgreSQL on 127.0.0.1:$PG_PORT"

REDIS_PORT=""
for port in $(seq 56380 56479); do
    port_free "$port" || continue
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
        --dir "$TMP" --maxmemory-policy noeviction >"$TMP/redis.log" 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 50); do
        if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then REDIS_PORT=$port; break; fi
        kill -0 "$REDIS_PID" 2>/dev/null || break
        sleep 0.1
    done
    [[ -n $REDIS_PORT ]] && break
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
done
[[ -n $REDIS_PORT ]] || { cat "$TMP/redis.log" >&2 || true; die "could not start redis-server on a free port"; }
log "Redis on 127.0.0.1:$REDIS_PORT"

# --- The environment the suite runs in ----------------------------------------------------------
unset DEBUG VAR_DIR STATIC_ROOT MEDIA_ROOT ALLOWED_HOSTS SECURE_SSL_REDIRECT SECURE_COOKIES SECURE_HSTS_SECONDS
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/renda"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export SECRET_KEY=test
export DJANGO_SETTINGS_MODULE=congress.settings
export DJANGO_ALLOW_ASYNC_UNSAFE=true
CHROMIUM=$(command -v chromium || true)
export CHROMIUM

log "manage.py compilemessages"
"$PY" manage.py compilemessages --ignore=.venv --ignore=var --ignore=node_modules -v 0
log "manage.py check"
"$PY" manage.py check
log "manage.py makemigrations --check --dry-run"
"$PY" manage.py makemigrations --check --dry-run
log "lint-imports (the apps' boundaries, pyproject.toml [tool.importlinter])"
.venv/bin/lint-imports --no-logo --no-cache

log "pytest $*"
set +e
"$PY" -m pytest "$@"
STATUS=$?
set -e
exit "$STATUS"
