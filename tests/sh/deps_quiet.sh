#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# deps_quiet.sh - what a command prints must not depend on which packages
# happened to be installed before (issue 12: on a fresh machine `qemu_cli`
# failed because `oracle qemu`'s error got a second line, the dependency
# step's "installing" note).  A fresh machine is simulated for
# scripts/deps.sh with stand-ins on PATH: dpkg-query knows no package and
# apt-get "installs" without doing anything (nothing is installed, nothing
# is fetched).  Checked: deps.sh -q prints nothing when it works and one
# line when it fails; without -q the note is one line; `zpoolbench oracle
# qemu` with a missing qemu prints exactly one line; and every call of
# deps.sh from inside a command (bench/) is quiet.
set -u
cd "$(dirname "$0")/../.."
ZPB=${ZPB:-$PWD/build/zpoolbench}
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "$*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (deps.sh installs only as root)"

d=$(mktemp -d /tmp/zpb-deps.XXXXXX) || exit 1
trap 'rm -rf "$d"' EXIT
trap 'exit 130' INT TERM HUP
mkdir "$d/bin" "$d/tmp"
cat >"$d/bin/dpkg-query" <<'EOF'
#!/bin/sh
exit 1
EOF
cat >"$d/bin/apt-get" <<'EOF'
#!/bin/sh
echo "$*" >>"$ZPB_FAKE_APT_LOG"
[ "${ZPB_FAKE_APT_FAIL:-0}" = 0 ]
EOF
chmod +x "$d/bin/dpkg-query" "$d/bin/apt-get"
export ZPB_FAKE_APT_LOG="$d/apt.calls"
fresh() { PATH="$d/bin:$PATH" TMPDIR="$d/tmp" "$@"; }

# 1. -q and it works: no output at all, the packages were asked for
fresh scripts/deps.sh -q qemu >"$d/out" 2>"$d/err" || fail "deps.sh -q qemu failed: $(cat "$d/err")"
[ ! -s "$d/out" ] && [ ! -s "$d/err" ] || fail "deps.sh -q printed: $(cat "$d/out" "$d/err")"
grep -q 'install -y --no-install-recommends .*qemu-system-x86' "$d/apt.calls" ||
	fail "apt-get was not asked to install the qemu group: $(cat "$d/apt.calls")"

# 2. without -q: one note
fresh scripts/deps.sh build >"$d/out" 2>"$d/err" || fail "deps.sh build failed: $(cat "$d/err")"
[ "$(wc -l <"$d/err")" = 1 ] && grep -q '^zpoolbench: installing gcc libc6-dev make ' "$d/err" ||
	fail "deps.sh build printed: $(cat "$d/err")"

# 3. -q and apt-get fails (also after its update): one line naming a log that exists
ZPB_FAKE_APT_FAIL=1 fresh scripts/deps.sh -q bpf >"$d/out" 2>"$d/err" && fail "a failed install exited 0"
[ "$(wc -l <"$d/err")" = 1 ] || fail "a failed install printed $(wc -l <"$d/err") lines: $(cat "$d/err")"
log=$(sed -n "s/.* failed: .*; see \([^ ]*\)$/\1/p" "$d/err")
[ -n "$log" ] && [ -f "$log" ] || fail "no log named: $(cat "$d/err")"
case "$log" in "$d/tmp/"*) ;; *) fail "the log is not in \$TMPDIR ($d/tmp): $log" ;; esac
grep -q ' update -qq' "$d/apt.calls" || fail "no 'apt-get update' before the second try"

# 4. the case issue 12 saw: oracle qemu's error is one line on a fresh machine
printf '# zpoolbench-trace v1\na 1 100\nf 1\nc\n' >"$d/t.trace"
if "$ZPB" help | grep -q '^  oracle qemu '; then
	fresh env ZPB_QEMU=/nonexistent/qemu-system-x86_64 ZPB_CACHE_DIR="$d/cache" \
		"$ZPB" oracle qemu --trace "$d/t.trace" --alloc zbud --trajectory "$d/traj" >"$d/out" 2>"$d/err" &&
		fail "oracle qemu without qemu exited 0"
	[ "$(wc -l <"$d/err")" = 1 ] && grep -q "'/nonexistent/qemu-system-x86_64' is missing" "$d/err" ||
		fail "oracle qemu on a fresh machine printed: $(cat "$d/err")"
else
	echo "part skipped: no 'oracle qemu' command in this build"
fi

# 5. the class: a command (bench/) calls deps.sh only with -q
bad=$(grep -rn 'deps\.sh"* ' bench --include='*.sh' | grep -v 'deps\.sh"* -q ' | grep -vE '^[^:]*:[0-9]+:\s*#|die |echo ')
[ -z "$bad" ] || fail "deps.sh called without -q from inside a command: $bad"
echo "deps.sh is quiet where it must be"
