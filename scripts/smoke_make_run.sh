#!/usr/bin/env bash
# Smoke test of the fixed interface `make run` (DESIGN.md): on a fresh clone it installs,
# migrates, loads the demo data, starts the web server and the worker; /readyz answers 200 and
# the home page 200 with "Aduan". Then everything is stopped and the clone removed.
#
#   scripts/smoke_make_run.sh                 # clone the committed HEAD (what CI does)
#   SMOKE_FROM_WORKTREE=1 scripts/smoke_make_run.sh
#                                             # also copy uncommitted changes into the clone
# SMOKE_TIMEOUT (seconds, default 600) bounds the wait for /readyz (it includes the install).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
timeout=${SMOKE_TIMEOUT:-600}
work=$(mktemp -d "${TMPDIR:-/tmp}/aduan-smoke.XXXXXX")
pid=""

cleanup() {
    local rc=$?
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        # make, bin/run, runserver and run_huey share one process group (setsid below).
        kill -TERM -- "-$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    if [ $rc -ne 0 ] && [ -f "$work/run.log" ]; then
        echo "---- last lines of make run's output ----" >&2
        tail -n 60 "$work/run.log" >&2 || true
    fi
    rm -rf "$work"
    exit $rc
}
trap cleanup EXIT INT TERM

git clone --quiet "$repo" "$work/aduan"
if [ "${SMOKE_FROM_WORKTREE:-0}" = 1 ]; then
    # Modified and untracked (not ignored) files of the working tree, for a check before commit.
    (cd "$repo" && git ls-files -z --modified --others --exclude-standard) |
        (cd "$repo" && xargs -0 -r cp --parents -t "$work/aduan" 2>/dev/null || true)
    echo "smoke: copied uncommitted changes of $repo into the clone"
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
echo "smoke: make run PORT=$port in $work/aduan"
started=$(date +%s)
(cd "$work/aduan" && exec setsid make run PORT="$port" </dev/null >"$work/run.log" 2>&1) &
pid=$!

status() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$1" || true; }

code=000
while [ $(($(date +%s) - started)) -lt "$timeout" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "smoke: FAILED — make run exited before /readyz answered" >&2
        exit 1
    fi
    code=$(status "$base/readyz")
    [ "$code" = 200 ] && break
    sleep 1
done
if [ "$code" != 200 ]; then
    echo "smoke: FAILED — /readyz answered $code after ${timeout}s" >&2
    exit 1
fi
echo "smoke: /readyz 200 after $(($(date +%s) - started))s"
curl -s --max-time 10 "$base/readyz"
echo

home=$(curl -s --max-time 30 -w '\n%{http_code}' "$base/")
home_code=${home##*$'\n'}
if [ "$home_code" != 200 ] || ! grep -q "Aduan" <<<"$home"; then
    echo "smoke: FAILED — the home page answered $home_code or does not say 'Aduan'" >&2
    exit 1
fi
echo "smoke: / 200 and contains 'Aduan'"

# The worker: bin/run starts `manage.py run_huey` beside the web server, in the same session.
if ! ps -o args= -s "$pid" | grep -q "manage.py run_huey"; then
    echo "smoke: FAILED — no 'manage.py run_huey' worker is running" >&2
    ps -o pid,args -s "$pid" >&2 || true
    exit 1
fi
echo "smoke: worker running ($(ps -o pid=,args= -s "$pid" | grep 'manage.py run_huey' | head -1 | awk '{print "pid " $1}'))"

if ! grep -q "Aduan is starting on" "$work/run.log"; then
    echo "smoke: FAILED — bin/run did not print its start banner" >&2
    exit 1
fi
echo "smoke: make run OK in $(($(date +%s) - started))s"
