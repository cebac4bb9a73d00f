#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# deps.sh [-q] GROUP... - make sure the Debian packages a part of zpoolbench
# needs are installed.  As root, missing ones are installed with apt-get
# (running 'apt-get update' once if a package is unknown to apt); otherwise
# the exact command is printed and the script fails.
#
# -q: print nothing when it works, and one line when it does not.  For
# commands whose contract is one stderr line on error (`zpoolbench oracle
# qemu`): what they print must not depend on which packages happened to be
# installed before.  Without -q a note names the packages being installed.
#
# Groups: build (compile), plot (gnuplot), test (everything `make test` runs),
#         qemu (the qemu oracle: Linux 6.1 and 6.12 on x86), qemu-arm64 (its
#         arm64 16 KiB kernel), bpf (the libbpf tracer), fuzz (clang),
#         parallel (GNU parallel, for shards of a run), slurm (munge and Slurm,
#         for the single-node cluster of tests/sh/shard_slurm.sh), fresh
#         (`make fresh`: debootstrap and a verified Debian archive), format
#         (clang-format 14, for `make format-check`).
# A failure prints the reason (apt's last error line) and the log, and exits 1.
set -u

quiet=0
if [ "${1:-}" = -q ]; then
	quiet=1
	shift
fi

# build: gcc only recommends libc6-dev (the C headers and crt files), and
# apt-get runs with --no-install-recommends; git names the commit in every
# result's provenance (`git describe` in the Makefile).
pkgs_for() {
	case "$1" in
	build) echo "gcc libc6-dev make pkg-config git liblz4-dev libzstd-dev liblzo2-dev libssl-dev libxxhash-dev libjansson-dev" ;;
	plot) echo "gnuplot-nox" ;;
	qemu) echo "qemu-system-x86 busybox-static cpio kmod xz-utils gcc-12 make libc6-dev libelf1 libssl3" ;;
	qemu-arm64) echo "qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross" ;;
	bpf) echo "clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev" ;;
	fuzz) echo "clang libclang-rt-14-dev" ;;
	corpus) echo "zstd" ;;
	test) echo "gnuplot-nox zstd python3 parallel groff-base" ;;
	parallel) echo "parallel" ;;
	slurm) echo "munge slurmctld slurmd slurm-client" ;;
	fresh) echo "debootstrap debian-archive-keyring" ;;
	format) echo "clang-format-14" ;;
	*) echo "deps.sh: unknown group '$1'" >&2; exit 2 ;;
	esac
}

want=""
for g in "$@"; do
	want="$want $(pkgs_for "$g")" || exit 2
done

missing=""
for p in $want; do
	case " $missing " in *" $p "*) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
	if [ $quiet = 1 ]; then
		echo "zpoolbench: missing Debian packages; install them with: sudo $cmd" >&2
	else
		echo "zpoolbench: missing Debian packages:$missing" >&2
		echo "zpoolbench: install them with: sudo $cmd" >&2
	fi
	exit 1
fi
[ $quiet = 1 ] || echo "zpoolbench: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp "${TMPDIR:-/tmp}/zpb-apt.XXXXXX") || { echo "zpoolbench: cannot create a log file in ${TMPDIR:-/tmp}" >&2; exit 1; }
# wait for another apt or dpkg (up to 5 minutes) instead of failing at once
lock="-o DPkg::Lock::Timeout=300"
if ! apt-get $lock install -y --no-install-recommends $missing >"$log" 2>&1; then
	apt-get $lock update -qq >>"$log" 2>&1
	if ! apt-get $lock install -y --no-install-recommends $missing >>"$log" 2>&1; then
		why=$(grep -E '^(E|W):' "$log" | tail -n 1)
		echo "zpoolbench: '$cmd' failed: ${why:-no error line from apt}; see $log" >&2
		exit 1
	fi
fi
rm -f "$log"
exit 0
