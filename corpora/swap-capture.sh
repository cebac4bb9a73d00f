#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# swap-capture.sh - build a corpus of the pages a real workload swaps to zram.
#
#   corpora/swap-capture.sh [--workload python-dicts] [--out DIR] [--name NAME]
#                           [--limit 64M] [--disksize 1G] [--comp lz4] [--attempts 3]
#
# Runs the named workload (corpora/workloads/NAME.*) with a scrubbed, fixed
# environment in a cgroup-v1 memory cgroup whose limit is far below its
# footprint, with /dev/zram0 as the only swap, while `zpoolbench capture`
# (BPF) records every page written to zram0 and where it was (the folio's
# anon_vma and index: the region of the process and the virtual page).
# Writes, only on success:
#   DIR/NAME.pages   the pages, 4096 bytes each, in the order they were swapped
#   DIR/NAME.trace   the size trace of what zram stored (kernel sizes)
#   DIR/NAME.json    the manifest, with the pages' address extents (16 KiB
#                    pages: zpoolbench corpus regroup --page 16K)
# It refuses to run if zram0 is in use, and restores the machine on every
# exit path (SIGINT/SIGTERM included): workload killed, cgroup removed,
# swapoff, zram0 reset, zswap's setting restored, tracer detached; each of
# these is checked on the machine afterwards, and a restore that failed is
# named and makes the exit status non-zero.  A run
# whose workload the OOM killer struck is thrown away and done again, up to
# --attempts times (ZPB_SWAPCAP_FORCE_OOM=N, for tests, denies the first N
# attempts any swap so that they are OOM-killed).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
. "$top/scripts/swaps.inc"

workload=python-dicts out=. name= limit=64M disksize=1G comp=lz4 attempts=3
ZPB=${ZPB:-$top/build/zpoolbench}

die() {
	echo "swap-capture: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	--workload) workload=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--name) name=${2:?}; shift 2 ;;
	--limit) limit=${2:?}; shift 2 ;;
	--disksize) disksize=${2:?}; shift 2 ;;
	--comp) comp=${2:?}; shift 2 ;;
	--attempts) attempts=${2:?}; shift 2 ;;
	-h|--help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1'; see --help" ;;
	esac
done
[ -n "$name" ] || name=swap-$workload
case "$attempts" in ''|*[!0-9]*|0) die "--attempts wants a positive number, not '$attempts'" ;; esac
force_oom=${ZPB_SWAPCAP_FORCE_OOM:-0}
case "$force_oom" in ''|*[!0-9]*) die "ZPB_SWAPCAP_FORCE_OOM wants a number, not '$force_oom'" ;; esac

# The workloads: the command runs in / with only the environment given here.
# Scripts are fed on stdin so that no path of this checkout reaches memory.
ENVIRON="PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=/nonexistent TZ=UTC PYTHONHASHSEED=0"
case "$workload" in
python-dicts)
	wl_file=$here/workloads/python-dicts.py
	wl_cmd="/usr/bin/python3 -I -"
	wl_pkgs="python3 python3.11 python3-minimal libpython3.11-minimal"
	wl_licence="Python (PSF License) interpreter memory; workload script GPL-2.0-only" ;;
*) die "unknown workload '$workload' (known: python-dicts)" ;;
esac

ZRAM=/sys/block/zram0
MEMCG=/sys/fs/cgroup/memory
CAPTURE=$(dirname "$ZPB")/zpb-capture
[ "$(id -u)" = 0 ] || die "needs root (zram, swap, memory cgroup, BPF)"
[ -x "$CAPTURE" ] || die "$CAPTURE not built: run 'scripts/deps.sh bpf' then 'make'"
[ -x /usr/bin/python3 ] || die "/usr/bin/python3 missing (apt-get install python3)"
[ -d $ZRAM ] || die "no /dev/zram0 (CONFIG_ZRAM, modprobe zram)"
[ -f $MEMCG/memory.limit_in_bytes ] || die "no cgroup-v1 memory controller at $MEMCG"
[ -d "$out" ] || die "output directory '$out' does not exist"
if [ "$(cat $ZRAM/disksize)" != 0 ] || zpb_is_swap zram0; then
	die "zram0 is in use (disksize $(cat $ZRAM/disksize)); refusing to touch it (free it with swapoff and 'echo 1 > $ZRAM/reset')"
fi

# ---- state we change, restored by cleanup() ------------------------------
# Each change of kernel state is recorded before it is made (a swapoff of a
# device that is not swap, a reset of a device that is not initialised,
# change nothing), except the claim of zram0: its disksize is written with
# signals held, so that the record and the change cannot be split by a
# signal, and never recorded if the write failed (the device is then
# someone else's and must not be reset).  cleanup() restores from the
# records and then checks the machine itself.
claimed=0 swapped_on=0 cg= cap_pid= wl_pid= zswap_old= stopped=
work=$(mktemp -d /tmp/zpb-swapcap.XXXXXX)

exit_on_signals() {
	trap 'stopped=1; exit 130' INT
	trap 'stopped=1; exit 143' TERM
	trap 'stopped=1; exit 129' HUP
}
held=
hold_signals() {
	held=
	trap 'held=130' INT
	trap 'held=143' TERM
	trap 'held=129' HUP
}
unhold_signals() {
	exit_on_signals
	[ -z "$held" ] || { stopped=1; exit "$held"; }
}

# Kill what is left in the memory cgroup and remove it; 1 if it stays.
remove_cg() {
	[ -n "$cg" ] && [ -d "$cg" ] || { cg=; return 0; }
	for p in $(cat "$cg/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
	[ -n "$wl_pid" ] && wait "$wl_pid" 2>/dev/null
	i=0
	while ! rmdir "$cg" 2>/dev/null && [ $i -lt 100 ]; do
		for p in $(cat "$cg/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		sleep 0.1
		i=$((i + 1))
	done
	[ -d "$cg" ] && { echo "swap-capture: could not remove the memory cgroup $cg" >&2; return 1; }
	cg=
	return 0
}

# Put zram0 back as this script found it, from its real state: swap off if
# it is swap (found by device number), reset until its disksize is 0.  Only
# a device this script claimed is touched.  1, with the reason, if zram0
# is still swap or still initialised.
release_zram() {
	[ "$claimed" = 1 ] || return 0
	if [ "$swapped_on" = 1 ] || zpb_is_swap zram0; then
		swapoff /dev/zram0 2>/dev/null
		if zpb_is_swap zram0; then
			echo "swap-capture: zram0 is still swap (swapoff /dev/zram0 failed)" >&2
			return 1
		fi
	fi
	swapped_on=0
	i=0
	# (a device briefly opened by udev or blkid refuses the reset: EBUSY)
	while [ "$(cat $ZRAM/disksize)" != 0 ]; do
		echo 1 > $ZRAM/reset 2>/dev/null && continue
		i=$((i + 1))
		if [ $i -ge 50 ]; then
			echo "swap-capture: zram0 could not be reset (disksize $(cat $ZRAM/disksize))" >&2
			return 1
		fi
		sleep 0.1
	done
	claimed=0
	return 0
}

cleanup() {
	rc=$?
	trap '' INT TERM HUP
	ok=1
	remove_cg || ok=0
	if [ -n "$cap_pid" ]; then
		kill -TERM "$cap_pid" 2>/dev/null
		wait "$cap_pid" 2>/dev/null
		cap_pid=
	fi
	release_zram || ok=0
	if [ -n "$zswap_old" ]; then
		echo "$zswap_old" > /sys/module/zswap/parameters/enabled 2>/dev/null
		[ "$(cat /sys/module/zswap/parameters/enabled)" = "$zswap_old" ] ||
			{ echo "swap-capture: zswap could not be enabled again" >&2; ok=0; }
	fi
	rm -rf "$work"
	if [ $ok = 0 ]; then
		echo "swap-capture: the machine is NOT restored (see above)" >&2
		[ "$rc" = 0 ] && rc=1
	elif [ -n "$stopped" ]; then
		echo "swap-capture: interrupted; machine restored (no swap on zram0, zram0 reset, cgroup removed)" >&2
	fi
	exit "$rc"
}
trap cleanup EXIT
exit_on_signals

# zswap would keep the pages from zram: off for the run, restored afterwards
if [ -w /sys/module/zswap/parameters/enabled ] &&
   [ "$(cat /sys/module/zswap/parameters/enabled)" = Y ]; then
	zswap_old=Y	# (recorded first: setting Y again changes nothing)
	echo N > /sys/module/zswap/parameters/enabled || die "cannot disable zswap"
fi

# One attempt: zram0 as swap, a fresh memory cgroup, the tracer, the
# workload.  Sets wl_rc and oom_kills; returns with the tracer stopped.
attempt() {
	echo "$comp" > $ZRAM/comp_algorithm 2>/dev/null || die "zram0 refused compressor '$comp' (or became busy)"
	hold_signals
	echo "$disksize" > $ZRAM/disksize 2>/dev/null && claimed=1
	unhold_signals
	[ $claimed = 1 ] || die "zram0 became busy"
	mkswap /dev/zram0 > /dev/null || die "mkswap /dev/zram0 failed"
	swapped_on=1
	swapon -p 32767 /dev/zram0 || die "swapon /dev/zram0 failed"

	cg=$MEMCG/zpb-swapcap.$$	# (recorded first: remove_cg skips one that is not there)
	mkdir "$cg" || die "cannot create $cg"
	echo "$limit" > "$cg/memory.limit_in_bytes" || die "cannot set memory limit $limit"
	if [ $n -le $force_oom ]; then
		echo "$limit" > "$cg/memory.memsw.limit_in_bytes" || die "cannot set memory+swap limit $limit"
	fi

	rm -f "$work/ready" "$work/cap.pages" "$work/cap.addr" "$work/cap.trace" "$work/cap.pool"
	"$CAPTURE" --device zram0 --pages "$work/cap.pages" --addresses "$work/cap.addr" \
		--trace "$work/cap.trace" --pool "$work/cap.pool" --ready "$work/ready" --memcg "$cg" \
		> "$work/cap.out" 2> "$work/cap.err" &
	cap_pid=$!
	i=0
	while [ ! -e "$work/ready" ]; do
		kill -0 "$cap_pid" 2>/dev/null || { cat "$work/cap.err" >&2; die "the tracer did not start"; }
		i=$((i + 1))
		[ $i -lt 300 ] || die "the tracer did not attach in 30 s"
		sleep 0.1
	done

	echo "swap-capture: running $workload in a $limit memory cgroup with zram0 ($comp) as swap" >&2
	# shellcheck disable=SC2086
	sh -c 'echo $$ > "$1/cgroup.procs" && cd / && shift && exec "$@"' sh "$cg" \
		env -i $ENVIRON setarch "$(uname -m)" -R $wl_cmd < "$wl_file" > "$work/wl.out" 2> "$work/wl.err" &
	wl_pid=$!
	wait "$wl_pid"
	wl_rc=$?
	wl_pid=
	oom_kills=$(awk '$1 == "oom_kill" { print $2 }' "$cg/memory.oom_control" 2>/dev/null)
	max_usage=$(cat "$cg/memory.max_usage_in_bytes" 2>/dev/null)

	# A slot whose page still sat in the swap cache when the workload
	# exited is freed later, by reclaim or at the latest by swapoff: turn
	# swap off while the tracer still runs, so that every slot's free is in
	# the trace and it ends with no live object.
	swapoff /dev/zram0 2>/dev/null && swapped_on=0
	kill -INT "$cap_pid"
	wait "$cap_pid"
	cap_rc=$?
	cap_pid=
}


# The memory controller's OOM killer can strike a workload that fits, when
# reclaim loses a race on a busy machine (seen once in CI under load, never
# on a quiet machine): such a run is thrown away whole and done again.
n=1
while :; do
	attempt
	[ $wl_rc != 0 ] && [ "${oom_kills:-0}" -gt 0 ] && [ $n -lt $attempts ] || break
	echo "swap-capture: the workload was OOM-killed (attempt $n of $attempts); starting again" >&2
	remove_cg || die "cannot start again"
	release_zram || die "cannot start again"
	n=$((n + 1))
done
[ $wl_rc = 0 ] || { cat "$work/wl.err" >&2; die "workload exited $wl_rc (oom kills: ${oom_kills:-?}, attempts: $n)"; }
[ $cap_rc = 0 ] || { cat "$work/cap.err" >&2; die "the tracer exited $cap_rc"; }
cat "$work/cap.out" >&2

npages=$(($(stat -c %s "$work/cap.pages") / 4096))
[ "$npages" -gt 0 ] || die "no pages were swapped (is the memory limit below the footprint?)"
drops=$(awk '/^drops:/ { print $2 }' "$work/cap.out")
sha=$(sha256sum "$work/cap.pages" | cut -d' ' -f1)
tsha=$(sha256sum "$work/cap.trace" | cut -d' ' -f1)
wsha=$(sha256sum "$wl_file" | cut -d' ' -f1)
pkgs=$(dpkg-query -W -f='"${Package}": "${Version}", ' $wl_pkgs libbpf1 2>/dev/null | sed 's/, $//')
pyver=$(/usr/bin/python3 -c 'import platform; print(platform.python_version())')
# Where the pages were, as address extents: each mapping (an anon_vma: one
# region of the process, kernel pointers never written out) is an address
# space, numbered in order of first appearance, the address its index times
# 4096; a page whose place is not known gets a space of its own.
extents=$(/usr/bin/python3 - "$work/cap.addr" "$npages" "$work/extents" "$name.extents" <<'PY'
import hashlib, sys
spaces, ext, nid, known = {}, [], 0, 0
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    m, off = line.split()
    if m == "0":
        sp, addr, nid = nid, 0, nid + 1
    else:
        if m not in spaces:
            spaces[m], nid = nid, nid + 1
        sp, addr, known = spaces[m], int(off) * 4096, known + 1
    if ext and ext[-1][0] == sp and ext[-1][1] + ext[-1][2] * 4096 == addr:
        ext[-1][2] += 1
    else:
        ext.append([sp, addr, 1])
if sum(e[2] for e in ext) != int(sys.argv[2]):
    sys.exit("the addresses do not cover the pages")
print('"addresses_known": %d, "address_spaces": %d,' % (known, len(spaces)))
if len(ext) <= 16384:  # EXTENTS_INLINE_MAX: in the manifest
    print('"address_extents": [\n    ' + ",\n    ".join("[%d, %d, %d]" % tuple(e) for e in ext) + "\n  ]")
else:  # a file beside it (bench/corpus/extents.h)
    text = "# zpoolbench address extents v1\n" + "".join("%d %d %d\n" % tuple(e) for e in ext)
    open(sys.argv[3], "w").write(text)
    print('"address_extents_file": "%s", "address_extents_sha256": "%s", "address_extents_count": %d'
          % (sys.argv[4], hashlib.sha256(text.encode()).hexdigest(), len(ext)))
PY
) || die "cannot turn the captured addresses into extents"
json_str() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }

cat > "$work/manifest.json" <<JSON
{
  "format": "zpoolbench-corpus",
  "format_version": 1,
  "page_size": 4096,
  "pages": $npages,
  "sha256": "$sha",
  "source": "process",
  "capture": "zram swap, BPF (zpoolbench capture)",
  "workload": "$workload",
  "workload_sha256": "$wsha",
  "command": "$(json_str "cd / && env -i $ENVIRON setarch $(uname -m) -R $wl_cmd < corpora/workloads/$(basename "$wl_file")")",
  "cgroup": "memory v1, memory.limit_in_bytes=$limit",
  "swap": "/dev/zram0 only, comp_algorithm=$comp, disksize=$disksize",
  "python": "$pyver",
  "packages": {$pkgs},
  "licences": "$(json_str "$wl_licence")",
  "kernel": "$(uname -r)",
  "arch": "$(uname -m)",
  "thp": "$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "selection": "every 4096-byte page written to zram0 while the workload ran, in write order (a page swapped out twice appears twice; same-filled pages included; zero-filled pages never reach zram in swap mode)",
  "capture_drops": ${drops:-0},
  "workload_max_usage_bytes": ${max_usage:-0},
  "workload_oom_kills": ${oom_kills:-0},
  "attempts": $n,
  "trace": "$name.trace",
  "trace_sha256": "$tsha",
  "trace_sizes": "kernel: the lengths zram passed to zs_malloc (slot table), 4096 = stored uncompressed",
  "addresses": "each page's folio mapping (an anon_vma: one region of the process) is an address space, numbered in order of first appearance; the address is the folio index (plus the page's place in the folio) times 4096, the virtual address of an anonymous page unless its region was moved with mremap; a page whose place was not known has a space of its own",
  $extents
}
JSON
mv "$work/cap.pages" "$out/$name.pages.tmp.$$" && mv "$work/cap.trace" "$out/$name.trace.tmp.$$" &&
	mv "$work/manifest.json" "$out/$name.json.tmp.$$" || die "cannot write to $out"
if [ -f "$work/extents" ]; then
	mv "$work/extents" "$out/$name.extents.tmp.$$" || die "cannot write to $out"
	mv "$out/$name.extents.tmp.$$" "$out/$name.extents"
fi
mv "$out/$name.pages.tmp.$$" "$out/$name.pages"
mv "$out/$name.trace.tmp.$$" "$out/$name.trace"
mv "$out/$name.json.tmp.$$" "$out/$name.json"
echo "swap-capture: $npages pages -> $out/$name.pages (sha256 $sha)" >&2
