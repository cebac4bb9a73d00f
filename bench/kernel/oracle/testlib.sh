# SPDX-License-Identifier: GPL-2.0-only
# testlib.sh - shared by tests/sh/qemu_*.sh and qemu612_*.sh (sourced, not
# run): the fixed churn trace, booting the kernels of the oracle, replaying a
# port, and comparing trajectories step by step.
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
		echo "booting the kernels is left to the plain build (this is ${BUILD})"
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
	case "${1:-}" in
	*arm64*)
		if [ "$(id -u)" = 0 ]; then
			scripts/deps.sh -q qemu-arm64 >"$qt_tmp/deps.log" 2>&1 ||
				{ echo "cannot install the arm64 qemu packages: $(tail -n 1 "$qt_tmp/deps.log")"; return; }
		fi
		command -v qemu-system-aarch64 >/dev/null 2>&1 ||
			{ echo "qemu-system-aarch64 is not installed (as root: scripts/deps.sh qemu-arm64)"; return; }
		command -v aarch64-linux-gnu-gcc-12 >/dev/null 2>&1 ||
			{ echo "aarch64-linux-gnu-gcc-12 is not installed (as root: scripts/deps.sh qemu-arm64)"; return; }
		;;
	esac
}

# A package of the kernel could not be fetched (the reason is in FILE).
qt_fetch_failed() {
	grep -q "cannot fetch Debian package\|cannot find Debian's linux-image\|cannot fetch the arm64 package lists" "$1"
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
	qt_pages "$QT_DATA/$1.pages.gz" "$2"
}

# A recorded trajectory FILE.pages.gz (one number per line) as "OPINDEX PAGES" lines, to OUT.
qt_pages() {
	gzip -dc "$1" | awk '{ print NR - 1, $1 }' >"$2" || qt_fail "cannot read $1"
}

# Boot the kernel: ALLOC OUT.  0 = done, 1 = failed (reason printed),
# 2 = a package could not be fetched (reason in $qt_why).
qt_kernel() {
	qt_why=""
	if ! "$ZPB" oracle qemu --trace "$qt_tmp/trace" --alloc "$1" --trajectory "$2" \
		>"$qt_tmp/oracle.out" 2>"$qt_tmp/oracle.err"; then
		cat "$qt_tmp/oracle.out" "$qt_tmp/oracle.err"
		if qt_fetch_failed "$qt_tmp/oracle.err"; then
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

# ---- Linux 6.12 (x86-64) and 6.12 arm64-16k ---------------------------------

QT612_DATA=tests/data/qemu612
QT612_SEED=7
QT612_CHURN=2

# Page size and port spec suffix of KERNEL: sets qt_page and qt_pagekey.
qt612_kernel() {
	case $1 in
	6.12) qt_page=4096 qt_pagekey="" ;;
	6.12-arm64-16k) qt_page=16384 qt_pagekey=",page=16384" ;;
	*) qt_fail "unknown kernel $1" ;;
	esac
}

# Run a zpoolbench command that boots KERNEL: CMD...  0 = done, 1 = failed
# (output shown), 2 = a package could not be fetched (reason in $qt_why).
qt612_boot() {
	qt_why=""
	if ! "$ZPB" "$@" >"$qt_tmp/oracle.out" 2>"$qt_tmp/oracle.err"; then
		cat "$qt_tmp/oracle.out" "$qt_tmp/oracle.err"
		if qt_fetch_failed "$qt_tmp/oracle.err"; then
			qt_why=$(head -n 1 "$qt_tmp/oracle.err")
			return 2
		fi
		return 1
	fi
	cat "$qt_tmp/oracle.out"
	return 0
}

# The recorded zram run of KERNEL: its trace (real kernel compressed sizes
# of the default corpus, with frees and compactions) in $qt_tmp/trace, its
# trajectory in $qt_tmp/ref.
qt612_reference() {
	gzip -dc "$QT612_DATA/$1/zram.trace.gz" >"$qt_tmp/trace" ||
		qt_fail "cannot read $QT612_DATA/$1/zram.trace.gz"
	qt_pages "$QT612_DATA/$1/zram.pages.gz" "$qt_tmp/ref"
	[ "$(wc -l <"$qt_tmp/ref")" = "$(grep -c '^[afc]' "$qt_tmp/trace")" ] ||
		qt_fail "$QT612_DATA/$1/zram.pages.gz does not match the length of zram.trace.gz"
	echo "trace: $QT612_DATA/$1/zram.trace.gz, $(grep -c '^[afc]' "$qt_tmp/trace") operations" \
		"($(grep -c '^a' "$qt_tmp/trace") stores, $(grep -c '^f' "$qt_tmp/trace") frees," \
		"$(grep -c '^c' "$qt_tmp/trace") compactions)"
}

# A port must give WANT's trajectory: SPEC WANT WHAT.
qt612_port_equal() {
	rm -f "$qt_tmp/port"
	qt_port "$1" "$qt_tmp/port"
	case $? in
	0) qt_compare "$2" "$qt_tmp/port" "port $1 vs $3" || qt_fail "port $1 differs from $3" ;;
	*) qt_fail "zpoolbench replay --alloc $1 failed" ;;
	esac
}

# The comparison has teeth: SPEC (not the kernel's allocator) must differ from WANT.
qt612_port_differs() {
	rm -f "$qt_tmp/other"
	qt_port "$1" "$qt_tmp/other" >/dev/null || qt_fail "zpoolbench replay --alloc $1 failed"
	if cmp -s "$2" "$qt_tmp/other"; then
		qt_fail "port $1 gives $3's trajectory too: the comparison cannot tell them apart"
	fi
	echo "negative check: port $1 differs from $3 from operation" \
		"$(($(cmp "$2" "$qt_tmp/other" | sed 's/.*line //') - 1)) on (as it must)"
}

# zsmalloc of KERNEL through zram in the guest: the default corpus, SLOTS
# slots, churn rounds with discards and compactions.  The booted kernel must
# give the recorded trace and trajectory; the port must give the trajectory.
qt612_zram() {
	k=$1 slots=$2
	qt612_kernel "$k"
	qt612_reference "$k"
	cp "$qt_tmp/trace" "$qt_tmp/ref.trace"
	want=$qt_tmp/ref
	blocker=$(qt_qemu_blocker "$k")
	if [ -n "$blocker" ]; then
		qt_note_skip "qemu cannot run: $blocker"
	else
		qt612_boot oracle qemu-zram --kernel "$k" --corpus corpora/default.pages.zst \
			--pages "$slots" --churn "$QT612_CHURN" --seed "$QT612_SEED" \
			--trace "$qt_tmp/kernel.trace" --trajectory "$qt_tmp/kernel"
		case $? in
		0) grep '^[afc]' "$qt_tmp/ref.trace" >"$qt_tmp/want.ops"
		   grep '^[afc]' "$qt_tmp/kernel.trace" >"$qt_tmp/got.ops"
		   cmp "$qt_tmp/want.ops" "$qt_tmp/got.ops" ||
			qt_fail "the booted kernel's compressed sizes differ from $QT612_DATA/$k/zram.trace.gz"
		   echo "kernel $k zram trace: identical to the recorded one"
		   qt_compare "$qt_tmp/ref" "$qt_tmp/kernel" "kernel $k zram vs $QT612_DATA/$k/zram.pages.gz" ||
			qt_fail "the booted kernel no longer gives the recorded zram trajectory (see $QT612_DATA/README)"
		   want=$qt_tmp/kernel ;;
		2) qt_note_skip "qemu oracle cannot fetch its kernel: $qt_why" ;;
		*) qt_fail "zpoolbench oracle qemu-zram --kernel $k failed" ;;
		esac
	fi
	qt612_port_equal "zsmalloc:kernel=6.12$qt_pagekey" "$want" "kernel $k zsmalloc (zram)"
	qt612_port_differs "zsmalloc:kernel=6.12,chain=4$qt_pagekey" "$want" "kernel $k zsmalloc (zram)"
	qt_finish
}

# zbud and zsmalloc of KERNEL through the zpool API (the oracle module) on the
# recorded zram trace.
qt612_zpool() {
	k=$1
	qt612_kernel "$k"
	qt612_reference "$k"
	blocker=$(qt_qemu_blocker "$k")
	[ -n "$blocker" ] && qt_note_skip "qemu cannot run: $blocker"
	for a in zbud zsmalloc; do
		qt_pages "$QT612_DATA/$k/$a.pages.gz" "$qt_tmp/ref-$a"
		want=$qt_tmp/ref-$a
		if [ -z "$blocker" ] && [ -z "$qt_skip" ]; then
			qt612_boot oracle qemu --kernel "$k" --alloc "$a" --trace "$qt_tmp/trace" \
				--trajectory "$qt_tmp/kernel-$a"
			case $? in
			0) qt_compare "$qt_tmp/ref-$a" "$qt_tmp/kernel-$a" \
				"kernel $k $a vs $QT612_DATA/$k/$a.pages.gz" ||
				qt_fail "the booted kernel no longer gives the recorded $a trajectory (see $QT612_DATA/README)"
			   want=$qt_tmp/kernel-$a ;;
			2) qt_note_skip "qemu oracle cannot fetch its kernel: $qt_why" ;;
			*) qt_fail "zpoolbench oracle qemu --kernel $k --alloc $a failed" ;;
			esac
		fi
		qt612_port_equal "$a:kernel=6.12$qt_pagekey" "$want" "kernel $k $a (zpool)"
	done
	qt612_port_differs "zsmalloc:kernel=6.12,chain=4$qt_pagekey" "$want" "kernel $k zsmalloc (zpool)"
	qt_finish
}

# Compare the first five fields (OPINDEX OP SLOT DECISION POOL_PAGES) of two
# zswap decision lists: WANT GOT WHAT.  Prints the first difference.
qt612_decisions_equal() {
	cut -d' ' -f1-5 "$1" >"$qt_tmp/dw"
	cut -d' ' -f1-5 "$2" >"$qt_tmp/dg"
	if cmp -s "$qt_tmp/dw" "$qt_tmp/dg"; then
		echo "$3: identical, $(wc -l <"$qt_tmp/dw") operations, final pool pages" \
			"$(tail -n 1 "$qt_tmp/dw" | cut -d' ' -f5)"
		return 0
	fi
	l=$(cmp "$qt_tmp/dw" "$qt_tmp/dg" | sed 's/.*line //')
	echo "$3: first difference at operation $((l - 1)) (OPINDEX OP SLOT DECISION POOL_PAGES):"
	echo "  want: $(sed -n "${l}p" "$qt_tmp/dw")"
	echo "  got:  $(sed -n "${l}p" "$qt_tmp/dg")"
	echo "  ($(paste -d'|' "$qt_tmp/dw" "$qt_tmp/dg" | awk -F'|' '$1 != $2' | wc -l) of" \
		"$(wc -l <"$qt_tmp/dw") operations differ)"
	return 1
}

# zswap's rules in the 6.12 guest of KERNEL, for zbud and zsmalloc: the
# pages of zpb-feprobe's plan pushed out one at a time; the kernel's decision
# and pool pages after every op must be those of the rules as measured
# (zpb-feprobe expect: lz4 lengths, the port) and those of the front end
# zswap:kernel=6.12 (4 KiB: it reads the pages as a corpus); the 6.1 front
# end must differ.
qt612_zswap() {
	k=$1
	qt612_kernel "$k"
	fp=$BUILD/zpb-feprobe
	[ -x "$fp" ] || qt_fail "$fp is missing (make builds it)"
	"$fp" plan "$qt_page" 1 "$qt_tmp/probe.pages" "$qt_tmp/probe.ops" ||
		qt_fail "zpb-feprobe plan failed"
	echo "probe: $(grep -c '^s' "$qt_tmp/probe.ops") pages pushed out," \
		"$(grep -c '^f' "$qt_tmp/probe.ops") freed, $qt_page-byte pages"
	H=$( [ "$qt_page" = 4096 ] && echo 3625 || echo 14553)
	for a in zbud zsmalloc; do
		"$fp" expect "$a:kernel=6.12$qt_pagekey" "$qt_tmp/probe.pages" "$qt_tmp/probe.ops" \
			>"$qt_tmp/expect-$a" || qt_fail "zpb-feprobe expect $a failed"
		echo "rules, $a: $(awk '$2 == "s" { n[$4]++ } END { for (d in n) printf "%s %d, ", d, n[d] }' \
			"$qt_tmp/expect-$a")final pool pages $(tail -n 1 "$qt_tmp/expect-$a" | cut -d' ' -f5)"
		if "$fp" frontend zswap:kernel=6.12 "$a:kernel=6.12$qt_pagekey" "$qt_tmp/probe.pages" \
			"$qt_tmp/probe.ops" >"$qt_tmp/fe-$a" 2>"$qt_tmp/fe.err"; then
			qt612_decisions_equal "$qt_tmp/expect-$a" "$qt_tmp/fe-$a" \
				"front end zswap:kernel=6.12 over $a vs the rules" ||
				qt_fail "the front end zswap:kernel=6.12 does not follow the 6.12 rules"
			"$fp" frontend zswap "$a:kernel=6.12$qt_pagekey" "$qt_tmp/probe.pages" \
				"$qt_tmp/probe.ops" >"$qt_tmp/fe61-$a" || qt_fail "zpb-feprobe frontend zswap failed"
			cut -d' ' -f1-5 "$qt_tmp/fe61-$a" | cmp -s - "$qt_tmp/dw" &&
				qt_fail "the 6.1 front end gives the 6.12 decisions too: the check cannot tell them apart"
			echo "negative check: the front end zswap (6.1 rules) over $a differs, as it must"
		else
			cat "$qt_tmp/fe.err"
			qt_fail "zpb-feprobe frontend $a failed"
		fi
	done

	blocker=$(qt_qemu_blocker "$k")
	if [ -n "$blocker" ]; then
		qt_note_skip "qemu cannot run: $blocker"
		qt_finish
	fi
	if ! sh bench/kernel/oracle/qemu-oracle.sh zswap "$k" "zbud zsmalloc" "$qt_tmp/probe.pages" \
		"$qt_tmp/probe.ops" 1024 "$qt_tmp/out.img" >"$qt_tmp/oracle.out" 2>"$qt_tmp/oracle.err"; then
		cat "$qt_tmp/oracle.err"
		if qt_fetch_failed "$qt_tmp/oracle.err"; then
			qt_note_skip "qemu oracle cannot fetch its kernel: $(head -n 1 "$qt_tmp/oracle.err")"
			qt_finish
		fi
		qt_fail "the zswap guest of $k failed"
	fi
	echo "kernel: $(sed -n "s/^kernel //p" "$qt_tmp/oracle.out"), qemu $(sed -n "s/^qemu_seconds //p" "$qt_tmp/oracle.out") s"
	tr -d '\000' <"$qt_tmp/out.img" >"$qt_tmp/out.txt"
	for a in zbud zsmalloc; do
		awk -v Z=$a -f bench/kernel/oracle/zswap-decisions.awk "$qt_tmp/out.txt" >"$qt_tmp/kernel-$a"
		[ -s "$qt_tmp/kernel-$a" ] || qt_fail "the guest wrote no results for $a"
		# the rules use liblz4's lengths: the guest's zram must give the same
		# on every page it compresses below its huge threshold
		bad=$(paste -d' ' "$qt_tmp/kernel-$a" "$qt_tmp/expect-$a" |
			awk -v h=$H '$2 == "s" && $6 > 0 && $6 < h && $6 != $12' | wc -l)
		[ "$bad" = 0 ] || qt_fail "$bad pages: the guest's lz4 length differs from liblz4's"
		echo "kernel $a: $(awk '$2 == "s" && $6 > 0 && $6 < '$H'' "$qt_tmp/kernel-$a" | wc -l)" \
			"lz4 lengths from the guest's zram, all equal to liblz4's"
		qt612_decisions_equal "$qt_tmp/expect-$a" "$qt_tmp/kernel-$a" \
			"kernel $k zswap over $a vs the rules" ||
			qt_fail "the 6.12 guest's zswap does not follow the rules as measured"
		if [ -s "$qt_tmp/fe-$a" ]; then
			qt612_decisions_equal "$qt_tmp/kernel-$a" "$qt_tmp/fe-$a" \
				"front end zswap:kernel=6.12 over $a vs kernel $k" ||
				qt_fail "the front end zswap:kernel=6.12 differs from the kernel"
		fi
	done
	qt_finish
}
