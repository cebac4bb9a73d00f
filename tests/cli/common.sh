# SPDX-License-Identifier: GPL-2.0-only
# common.sh - helpers for the golden command-line cases, sourced by each
# tests/cli/CASE.sh.  A case runs in a fresh empty folder (its cwd) with $ZPB
# (the program) and $CLI (this folder) set; it prepares its inputs there and
# runs the command under test LAST, so that the case's exit status and
# stderr are the command's.  Files the command must not leave behind are
# named out* (the runner checks that none exists after a failure).

# Skip the case: the reason on the last line of stdout, exit 77.
skip() {
	echo "$*"
	exit 77
}

# Skip unless the program has command "$1" (one or two words).
need_cmd() {
	"$ZPB" help 2>/dev/null | grep -q "^  $1  " ||
		skip "needs the '$1' command, which this build does not have yet"
}

need_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

# A size trace in FILE from the remaining arguments, one op per argument.
mktrace() {
	f=$1
	shift
	echo "# zpoolbench-trace v1" > "$f"
	for op in "$@"; do
		echo "$op" >> "$f"
	done
}

# Run "$@" as the unprivileged user nobody (as root: via setpriv; as any
# other user: directly).  Skips if that cannot be arranged.
as_nobody() {
	if [ "$(id -u)" != 0 ]; then
		"$@"
		return
	fi
	command -v setpriv > /dev/null || skip "needs setpriv (util-linux) to drop root"
	nobody="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	$nobody true 2>/dev/null || nobody="setpriv --reuid=nobody --regid=nobody --clear-groups"
	$nobody test -x "$ZPB" 2>/dev/null ||
		skip "user nobody cannot run $ZPB (a parent folder is not searchable)"
	$nobody "$@"
}

# One raw corpus page (4096 bytes) of a fixed pattern on stdout.
page() {
	awk 'BEGIN { for (i = 0; i < 64; i++) printf "%063d\n", i }'
}
