# SPDX-License-Identifier: GPL-2.0-only
# testlib.sh - shared by tests/sh/qemu_*.sh (sourced, not run): the fixed
# churn trace, booting the Linux 6.1 oracle, replaying a port, and comparing
# trajectories step by step.
#
# The fixed trace is bench/kernel/oracle/gen-trace.py --seed $QT_SEED --objects
# $QT_OBJECTS; tests/data/qemu/ALLOC.pages.gz holds the pool pages the kernel
# gave after each of its operations (one number per line), recorded with
# `zpoolbench oracle qemu` (see tests/data/qemu/README).

QT_SEED=1
QT_OBJECTS=8000
QT_DATA=tests/data/qemu

qt_tmp=$(mktemp -d "${TMPDIR:-/tmp}/zpb-qemu-test.XXXXXX") || exit 1
trap 'rm -rf "$qt_tmp"' EXIT INT TERM

# Notes printed at the end; the reason a check was skipped goes last.
qt_skip=""

qt_note_skip() {
	echo "skipped: $*"
	qt_skip=$*
}

# Exit 0, or 77 with the skip reason as the last line.
qt_finish() {
	if [ -n "$qt_skip" ]; then
		echo "$qt_skip"
		exit 77
	fi
	exit 0
}

qt_fail() {
	echo "FAIL: $*"
	exit 1
}

# Why the qemu oracle cannot run here (empty if it can).  As root the packages
# are installed with scripts/deps.sh qemu, as `make test` does for its own.
qt_qemu_blocker() {
	# the guest does not change with the build; sanitizer runs of the suite
	# check the command's error paths and the ports, not the kernel again
	case "${BUILD:-build}" in
	*asan* | *tsan*)
		echo "booting Linux 6.1 is left to the plain build (this is ${BUILD})"
		return ;;
	esac
	if [ "$(id -u)" = 0 ]; then
		scripts/deps.sh -q qemu >"$qt_tmp/deps.log" 2>&1 ||
			{ echo "cannot install the qemu packages: $(tail -n 1 "$qt_tmp/deps.log")"; return; }
	fi
	command -v qemu-system-x86_64 >/dev/null 2>&1 ||
		{ echo "qemu-system-x86_64 is not installed (as root: scripts/deps.sh qemu)"; return; }
	[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
		{ echo "busybox-static is not installed (as root: scripts/deps.sh qemu)"; return; }
	command -v gcc-12 >/dev/null 2>&1 ||
		{ echo "gcc-12 is not installed (as root: scripts/deps.sh qemu)"; return; }
	command -v python3 >/dev/null 2>&1 ||
		{ echo "python3 is not installed (as root: scripts/deps.sh test)"; return; }
}

# The fixed trace, in $qt_tmp/trace.
qt_trace() {
	python3 bench/kernel/oracle/gen-trace.py --seed "$QT_SEED" --objects "$QT_OBJECTS" >"$qt_tmp/trace" ||
		qt_fail "gen-trace.py failed"
	echo "trace: gen-trace.py --seed $QT_SEED --objects $QT_OBJECTS," \
		"$(grep -c '^[afc]' "$qt_tmp/trace") operations"
}

# The committed kernel trajectory of ALLOC, as "OPINDEX PAGES" lines, to OUT.
qt_reference() {
	gzip -dc "$QT_DATA/$1.pages.gz" | awk '{ print NR - 1, $1 }' >"$2" ||
		qt_fail "cannot read $QT_DATA/$1.pages.gz"
}

# Boot the kernel: ALLOC OUT.  0 = done, 1 = failed (reason printed),
# 2 = a package could not be fetched (reason in $qt_why).
qt_kernel() {
	qt_why=""
	if ! "$ZPB" oracle qemu --trace "$qt_tmp/trace" --alloc "$1" --trajectory "$2" \
		>"$qt_tmp/oracle.out" 2>"$qt_tmp/oracle.err"; then
		cat "$qt_tmp/oracle.out" "$qt_tmp/oracle.err"
		if grep -q "cannot fetch Debian package\|cannot find Debian's linux-image" \
			"$qt_tmp/oracle.err"; then
			qt_why=$(head -n 1 "$qt_tmp/oracle.err")
			return 2
		fi
		return 1
	fi
	cat "$qt_tmp/oracle.out"
	return 0
}

# Replay the trace through a port: SPEC OUT.  0 = done, 1 = failed,
# 2 = the binary does not know SPEC (reason in $qt_why).
qt_port() {
	qt_why=""
	if ! "$ZPB" replay --trace "$qt_tmp/trace" --alloc "$1" --trajectory "$2" \
		>"$qt_tmp/replay.out" 2>"$qt_tmp/replay.err"; then
		cat "$qt_tmp/replay.err"
		if grep -qi "unknown allocator\|unknown key\|unknown preset\|bad value\|invalid value\|unknown option\|not supported" \
			"$qt_tmp/replay.err"; then
			qt_why="port '$1' is not in this build: $(head -n 1 "$qt_tmp/replay.err")"
			return 2
		fi
		return 1
	fi
	grep 'pool pages' "$qt_tmp/replay.out"
	return 0
}

# Compare two trajectories: WANT GOT WHAT.  Prints the first differing step
# with its trace operation; 0 if equal.
qt_compare() {
	if cmp -s "$1" "$2"; then
		echo "$3: identical, $(wc -l <"$1") steps, final pool pages $(tail -n 1 "$1" | cut -d' ' -f2)"
		return 0
	fi
	awk -v what="$3" -v idxfile="$qt_tmp/first-diff" '
		FNR == NR { want[FNR] = $0; n = FNR; next }
		{ got[FNR] = $0; m = FNR }
		END {
			for (i = 1; i <= (n > m ? n : m); i++)
				if (want[i] != got[i]) {
					split(want[i], w, " "); split(got[i], g, " ")
					printf "%s: first difference at operation %d: expected %s pages, got %s", \
						what, i - 1, w[2] == "" ? "(none)" : w[2], g[2] == "" ? "(none)" : g[2]
					bad = 0
					for (j = i; j <= (n > m ? n : m); j++) if (want[j] != got[j]) bad++
					printf " (%d of %d steps differ)\n", bad, n
					print i - 1 > idxfile
					exit
				}
		}' "$1" "$2"
	idx=$(cat "$qt_tmp/first-diff")
	grep '^[afc]' "$qt_tmp/trace" | sed -n "$((idx + 1))p" | sed 's/^/  trace operation: /'
	return 1
}

# The whole check of one allocator: NAME (for the kernel) and SPEC (the port).
# Fails on any mismatch; skips (77) when the port or qemu is not available.
qt_check_alloc() {
	name=$1 spec=$2
	qt_trace
	qt_reference "$name" "$qt_tmp/ref"
	[ "$(wc -l <"$qt_tmp/ref")" = "$(grep -c '^[afc]' "$qt_tmp/trace")" ] ||
		qt_fail "$QT_DATA/$name.pages.gz does not match the trace's length"

	kernel=""
	blocker=$(qt_qemu_blocker)
	if [ -n "$blocker" ]; then
		qt_note_skip "qemu cannot run: $blocker"
	else
		qt_kernel "$name" "$qt_tmp/kernel"
		case $? in
		0) kernel=$qt_tmp/kernel
		   qt_compare "$qt_tmp/ref" "$kernel" "kernel $name vs $QT_DATA/$name.pages.gz" ||
			qt_fail "the booted kernel no longer gives the recorded $name trajectory (see tests/data/qemu/README)" ;;
		2) qt_note_skip "qemu oracle cannot fetch its kernel: $qt_why" ;;
		*) qt_fail "zpoolbench oracle qemu --alloc $name failed" ;;
		esac
	fi

	qt_port "$spec" "$qt_tmp/port"
	case $? in
	0) qt_compare "${kernel:-$qt_tmp/ref}" "$qt_tmp/port" \
		"port $spec vs ${kernel:+booted }kernel $name" ||
		qt_fail "port $spec differs from the Linux 6.1 $name" ;;
	2) qt_note_skip "$qt_why" ;;
	*) qt_fail "zpoolbench replay --alloc $spec failed" ;;
	esac
	qt_finish
}
