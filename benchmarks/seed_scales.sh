#!/bin/sh
# Seed the three demo scales into fresh databases and print the wall time of each, to check that the seed
# (and everything later measured on its data) stays usable at city and province size.
#
# usage: benchmarks/seed_scales.sh postgres://postgres@127.0.0.1:55432/renda [district city province]
# Each scale gets its own database, named after the one in the URL plus _district/_city/_province; it is
# dropped and created again, so never point this at a database whose siblings you want to keep.
set -eu
cd "$(dirname "$0")/.."
url=${1:?"用法: $0 DATABASE_URL [district city province]"}
shift
scales=${*:-district city province}
base=${url%/*}
name=${url##*/}
admin="$base/postgres"
python=${PYTHON:-.venv/bin/python}
# The development settings need no secrets; the seed switches off DEBUG's query log itself.
export DEBUG="${DEBUG:-1}"

for scale in $scales; do
    db="${name}_${scale}"
    psql "$admin" -q -c "drop database if exists $db" -c "create database $db"
    DATABASE_URL="$base/$db" "$python" manage.py migrate -v0
    start=$(date +%s.%N)
    DATABASE_URL="$base/$db" "$python" manage.py seed_demo --scale "$scale" | sed "s/^/[$scale] /"
    end=$(date +%s.%N)
    printf '%s: %.1f s wall\n' "$scale" "$(echo "$end - $start" | bc)"
    psql "$base/$db" -At -c "select pg_size_pretty(pg_database_size('$db'))" | sed "s/^/$scale database size: /"
done
