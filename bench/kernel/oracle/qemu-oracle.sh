#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# qemu-oracle.sh - the host side of `zpoolbench oracle qemu` and `oracle
# qemu-zram` (which call it; it is not meant to be run by hand).
#
#	qemu-oracle.sh prepare [KERNEL...]
#	qemu-oracle.sh run KERNEL ALLOC OPS SLOTS MEM_MB OUT
#	qemu-oracle.sh zram KERNEL CODEC PAGES OPS MEM_MB OUT
#	qemu-oracle.sh zswap KERNEL ZPOOLS PAGES OPS MEM_MB OUT
#
# KERNEL is one of Debian's kernels, fetched with apt-get download and
# unpacked with dpkg-deb -x (never installed):
#	6.1             linux-image-6.1.0-NN-amd64 (bookworm)
#	6.12            linux-image-6.12.N+deb12-amd64 (bookworm-security)
#	6.12-arm64-16k  linux-image-6.12.N+deb12-arm64-16k-unsigned: arm64 with
#	                16 KiB pages, booted with qemu-system-aarch64.  Its
#	                packages come through a private apt configuration (its
#	                own sources.list with [arch=arm64], lists and state in
#	                the cache; no dpkg --add-architecture, nothing under /etc
#	                or /var touched); the module is built with the arm64
#	                headers and the *amd64* linux-kbuild of the same version
#	                (x86 host tools) by aarch64-linux-gnu-gcc-12.
#
# prepare: makes sure the kernels (default: all three) are in the cache and
# builds the zpb_oracle module against the matching linux-headers, the static
# guest programs and the base initramfs (busybox-static, the modules, /init).
# Everything is cached, keyed by the kernel version and a hash of the
# sources; prints "kernel VERSION" and "page_size N" per kernel.
# run: boots KERNEL under qemu (TCG, one CPU) with the base initramfs plus a
# second archive holding OPS (lines "a SLOT SIZE", "f SLOT", "c") and the
# allocator name; the guest replays OPS through the kernel allocator with the
# module and writes its answers to a virtio disk, which is copied to OUT.
# zram: PAGES (raw pages of the kernel's page size) is a second virtio disk;
# the guest writes them into zram0 (compressor CODEC) as OPS says ("w SLOT
# PAGE", "d SLOT" = discard, "c" = compact) and records mm_stat after every op.
# zswap: the guest turns zswap on (lz4; swap device zram1) and, for each
# zpool of ZPOOLS ("zbud zsmalloc") in turn, pushes pages of PAGES out one at
# a time ("s SLOT PAGE", "f SLOT"), recording zswap's debugfs counters and the
# swap vmstat counters after every op (the zswap rule check of
# tests/sh/qemu612_zswap_*.sh; see guest/zswap_probe.c).
#
# Errors: one line "zpoolbench: ..." on stderr and exit 1.  Environment:
# ZPB_CACHE_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/zpoolbench),
# ZPB_ORACLE_TIMEOUT (seconds for one boot; default from the op count),
# ZPB_ORACLE_KERNEL (a version to use instead of the cached or newest one:
# 6.1.0-NN-amd64, 6.12.N+deb12-amd64 or 6.12.N+deb12-arm64-16k, matching
# KERNEL), ZPB_QEMU (the qemu binary), ZPB_QEMU_LOCK (a file every boot holds
# with flock, for machines shared by several runs), ZPB_DEBIAN_MIRROR (the
# mirror of the private arm64 apt; default: the host's, else deb.debian.org),
# ZPB_ORACLE_SETTLE_US (an extra sleep after every free, to check that
# z3fold's sizes do not depend on timing), ZPB_ORACLE_WAIT_Z3FOLD=0 (do not
# wait for z3fold's work queue: shows what the waiting changes).
set -u
umask 022

here=$(cd "$(dirname "$0")" && pwd)
# deps.sh: TOP/scripts from TOP/bench/kernel/oracle in the source tree,
# share/zpoolbench/scripts from share/zpoolbench/oracle when installed
deps=$here/../scripts/deps.sh
[ -f "$deps" ] || deps=$here/../../../scripts/deps.sh
base=${ZPB_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/zpoolbench}
cache=$base/oracle-qemu
KERNELS="6.1 6.12 6.12-arm64-16k"
GUEST_PROGS="zpbo_run zram_run zswap_probe"

die() {
	echo "zpoolbench: $*" >&2
	exit 1
}

tmp=""
cleanup() {
	[ -n "$tmp" ] && rm -rf "$tmp"
	tmp=""
}
trap cleanup EXIT
trap 'cleanup; trap - INT; kill -INT $$' INT
trap 'cleanup; trap - TERM; kill -TERM $$' TERM

hash_of() {
	cat "$@" | sha256sum | cut -c1-16
}

# ---- which kernel ---------------------------------------------------------

# Sets what differs between the kernels.  Modules: loaded at boot in this
# order after their dependencies (zram is loaded by the guest's mode).
kernel_setup() {
	knick=$1
	case "$knick" in
	6.1)
		fam=6.1 arch=x86 flav=amd64 page=4096
		modules="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk z3fold zsmalloc"
		;;
	6.12)
		fam=6.12 arch=x86 flav=amd64 page=4096
		modules="virtio_blk lz4_compress lz4hc_compress lz4 zram"
		;;
	6.12-arm64-16k)
		fam=6.12 arch=arm64 flav=arm64-16k page=16384
		modules="virtio_blk lz4_compress lz4hc_compress lz4 zram"
		;;
	*) die "unknown kernel '$knick' (known: $KERNELS)" ;;
	esac
	case $arch in
	x86)
		QEMU=${ZPB_QEMU:-qemu-system-x86_64}
		gcc_guest=gcc-12 console=ttyS0
		qemu_machine="-accel tcg"
		;;
	arm64)
		QEMU=${ZPB_QEMU:-qemu-system-aarch64}
		gcc_guest=aarch64-linux-gnu-gcc-12 console=ttyAMA0
		# pauth-impdef: the same pointer authentication, half the TCG time
		qemu_machine="-M virt -cpu max,pauth-impdef=on -accel tcg"
		;;
	esac
}

need_tools() {
	# -q: one stderr line on error, whatever was installed before
	if [ "$(id -u)" = 0 ]; then
		sh "$deps" -q qemu || exit 1
		if [ $arch = arm64 ]; then sh "$deps" -q qemu-arm64 || exit 1; fi
	fi
	want="$QEMU cpio gzip dpkg-deb apt-get apt-cache make gcc-12 sha256sum flock modinfo"
	[ $fam = 6.12 ] && want="$want xz"
	[ $arch = arm64 ] && want="$want $gcc_guest"
	for t in $want; do
		command -v "$t" >/dev/null 2>&1 && continue
		case $t in
		*aarch64* | qemu-system-aarch64)
			die "'$t' is missing; install the arm64 qemu oracle's packages with 'scripts/deps.sh qemu-arm64' as root" ;;
		*)
			die "'$t' is missing; install the qemu oracle's packages with 'scripts/deps.sh qemu' as root" ;;
		esac
	done
	if [ $arch = x86 ]; then
		[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
			die "a static /bin/busybox is missing; install the Debian package busybox-static"
	fi
}

# ---- apt: the host's, and a private one for arm64 --------------------------

# The host's mirror URL for SUITE-less PATH ("debian", "debian-security").
host_mirror() {
	grep -h -e '^deb ' -e '^URIs:' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
		tr ' ' '\n' | grep -m 1 "^https\?://.*/$1/\?\$" | sed 's#/$##'
}

# apt-get (or, with --cache first, apt-cache) with a private configuration
# for arm64: its own sources.list, lists, state and archives under
# $cache/apt-arm64; /etc/apt and /var/lib/{apt,dpkg} are never read for state
# nor written, and dpkg's architecture list is not changed.
apt_arm64() {
	A=$cache/apt-arm64
	if [ ! -f "$A/apt.conf" ]; then
		mkdir -p "$A/etc/apt.conf.d" "$A/etc/preferences.d" "$A/etc/sources.list.d" \
			"$A/etc/trusted.gpg.d" "$A/state/lists/partial" "$A/cache/archives/partial" \
			"$A/log" || die "cannot create $A"
		: >"$A/state/status"
		key=/usr/share/keyrings/debian-archive-keyring.gpg
		m=${ZPB_DEBIAN_MIRROR:-$(host_mirror debian)}
		s=$(host_mirror debian-security)
		[ -n "${ZPB_DEBIAN_MIRROR:-}" ] && s=${ZPB_DEBIAN_MIRROR}-security
		printf 'deb [arch=arm64 signed-by=%s] %s bookworm main\ndeb [arch=arm64 signed-by=%s] %s bookworm-security main\n' \
			"$key" "${m:-http://deb.debian.org/debian}" "$key" \
			"${s:-http://deb.debian.org/debian-security}" >"$A/etc/sources.list"
		cat >"$A/apt.conf.tmp" <<EOF
Dir::Etc "$A/etc/";
Dir::Etc::main "apt.conf";
Dir::Etc::parts "apt.conf.d/";
Dir::Etc::sourcelist "sources.list";
Dir::Etc::sourceparts "sources.list.d/";
Dir::Etc::preferences "preferences";
Dir::Etc::preferencesparts "preferences.d/";
Dir::Etc::trustedparts "trusted.gpg.d/";
Dir::State "$A/state/";
Dir::State::status "$A/state/status";
Dir::Cache "$A/cache/";
Dir::Log "$A/log/";
APT::Architecture "arm64";
APT::Architectures { "arm64"; };
Acquire::Languages "none";
Debug::NoLocking "true";
EOF
		mv "$A/apt.conf.tmp" "$A/apt.conf" || die "cannot write $A"
		# apt drops to the _apt user for downloads
		[ "$(id -u)" = 0 ] && chown -R _apt "$A/state/lists" "$A/cache/archives" 2>/dev/null
	fi
	if [ "$1" = --cache ]; then
		shift
		APT_CONFIG=$A/apt.conf apt-cache "$@"
	else
		APT_CONFIG=$A/apt.conf apt-get "$@"
	fi
}

apt_arm64_update() {
	apt_arm64 update -qq >"$cache/apt-arm64-update.log" 2>&1 ||
		die "cannot fetch the arm64 package lists (private apt-get update; see $cache/apt-arm64-update.log)"
}

# Newest V of "6.12.N+deb12" for which APT-CACHE-CMD knows package PREFIX-V-SUFFIX.
newest_612() {
	cmd=$1 prefix=$2 suffix=$3
	$cmd search --names-only "^$prefix-6\\.12\\.[0-9]+\\+deb12$suffix\$" 2>/dev/null | cut -d' ' -f1 |
		sed -n "s/^$prefix-\\(6\\.12\\.[0-9]*+deb12\\)$suffix\$/\\1/p" | sort -V
}

apt_kernel() {
	case "$knick" in
	6.1)
		v=$(apt-cache depends linux-image-amd64 2>/dev/null |
			sed -n 's/.*Depends: linux-image-\(6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n 1)
		if [ -z "$v" ]; then
			v=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' 2>/dev/null |
				sed -n 's/^linux-image-\(6\.1\.0-[0-9]*-amd64\) .*/\1/p' | sort -t- -k3,3n |
				tail -n 1)
		fi
		echo "$v"
		;;
	6.12)
		v=$(newest_612 apt-cache linux-headers -amd64 | tail -n 1)
		[ -n "$v" ] && echo "$v-amd64"
		;;
	6.12-arm64-16k)
		# the arm64 headers and the amd64 kbuild of the same version
		a=$(newest_612 "apt_arm64 --cache" linux-headers -arm64-16k)
		b=$(newest_612 apt-cache linux-kbuild "")
		v=$(printf '%s\n%s\n' "$a" "$b" | sed '/^$/d' | sort -V | uniq -d | tail -n 1)
		[ -n "$v" ] && echo "$v-arm64-16k"
		;;
	esac
}

kver_pattern() {
	case "$knick" in
	6.1) echo '6.1.0-NN-amd64' ;;
	6.12) echo '6.12.N+deb12-amd64' ;;
	6.12-arm64-16k) echo '6.12.N+deb12-arm64-16k' ;;
	esac
}

kver_ok() {
	case "$knick:$1" in
	6.1:6.1.0-*-amd64 | 6.12:6.12.*+deb12-amd64 | 6.12-arm64-16k:6.12.*+deb12-arm64-16k) return 0 ;;
	esac
	return 1
}

# The kernel to use: one already extracted in the cache, else apt's newest.
pick_kernel() {
	if [ -n "${ZPB_ORACLE_KERNEL:-}" ]; then
		kver=$ZPB_ORACLE_KERNEL
		kver_ok "$kver" && return 0
		die "ZPB_ORACLE_KERNEL must look like $(kver_pattern) for kernel $knick, not '$kver'"
	fi
	kver=$(ls -d "$cache"/*/root/boot 2>/dev/null | sed 's|.*/\([^/]*\)/root/boot$|\1|' |
		while read -r k; do kver_ok "$k" && echo "$k"; done | sort -V | tail -n 1)
	[ -n "$kver" ] && return 0
	[ $arch = arm64 ] && ! ls "$cache/apt-arm64/state/lists/"*_Packages* >/dev/null 2>&1 &&
		apt_arm64_update
	kver=$(apt_kernel)
	if [ -z "$kver" ] && [ "$(id -u)" = 0 ]; then
		apt-get update -qq >/dev/null 2>&1
		[ $arch = arm64 ] && apt_arm64_update
		kver=$(apt_kernel)
	fi
	[ -n "$kver" ] ||
		die "cannot find Debian's linux-image-$(kver_pattern) with apt-cache (run 'apt-get update' as root; needs Debian 12 package lists)"
}

# ---- fetch and unpack ------------------------------------------------------

# download DIR APT PACKAGE...: each package's .deb into DIR (once).
download() {
	d=$1 how=$2
	shift 2
	for p in "$@"; do
		ls "$d/${p}_"*.deb >/dev/null 2>&1 && continue
		if [ "$how" = arm64 ]; then
			(cd "$d" && apt_arm64 download "$p") >"$cache/apt-download.log" 2>&1
		else
			(cd "$d" && apt-get download "$p") >"$cache/apt-download.log" 2>&1
		fi || die "cannot fetch Debian package $p with apt-get download (see $cache/apt-download.log; try 'apt-get update')"
	done
}

fetch_kernel() {
	kdir=$cache/$kver
	[ -f "$kdir/root/boot/vmlinuz-$kver" ] && return 0
	debs=$cache/debs-$kver
	mkdir -p "$debs" || die "cannot create the cache directory $cache"
	case "$knick" in
	6.1)
		abi=${kver%-amd64}
		host="linux-image-$kver linux-headers-$kver linux-headers-$abi-common linux-kbuild-6.1"
		arm=""
		;;
	6.12)
		v=${kver%-amd64}
		host="linux-image-$kver linux-headers-$kver linux-headers-$v-common linux-kbuild-$v"
		arm=""
		;;
	6.12-arm64-16k)
		v=${kver%-arm64-16k}
		# the kbuild (host tools) is the amd64 one: x86 binaries
		host="linux-kbuild-$v"
		arm="linux-image-$kver-unsigned linux-headers-$kver linux-headers-$v-common busybox-static"
		;;
	esac
	download "$debs" host $host
	[ -n "$arm" ] && download "$debs" arm64 $arm
	rm -rf "$kdir.tmp" && mkdir -p "$kdir.tmp/root" || die "cannot write to $cache"
	for p in $host $arm; do
		dpkg-deb -x "$(ls "$debs/${p}_"*.deb | tail -n 1)" "$kdir.tmp/root" ||
			die "cannot extract the Debian package $p (dpkg-deb -x failed)"
	done
	# the arch headers include the common ones by absolute path
	sed -i "s#^include /usr/src/#include $kdir/root/usr/src/#" \
		"$kdir.tmp/root/usr/src/linux-headers-$kver/Makefile"
	rm -rf "$kdir" && mv "$kdir.tmp" "$kdir" || die "cannot write to $cache"
	# the .debs are not needed once extracted
	rm -rf "$debs"
}

# ---- builds ----------------------------------------------------------------

build_module() {
	kmod_hash=$(hash_of "$here/kmod/Kbuild" "$here/kmod/zpb_oracle.c")
	ko=$kdir/zpb_oracle-$kmod_hash.ko
	[ -f "$ko" ] && return 0
	b=$tmp/kmod
	mkdir -p "$b" && cp "$here/kmod/Kbuild" "$here/kmod/zpb_oracle.c" "$b/" || die "cannot copy the module sources"
	# 6.12's headers ship a vmlinux, so Kbuild would make module BTF with
	# pahole; the module needs none
	nobtf=""
	[ $fam = 6.12 ] && nobtf="CONFIG_DEBUG_INFO_BTF_MODULES="
	make -C "$kdir/root/usr/src/linux-headers-$kver" M="$b" $nobtf modules >"$kdir/kmod-build.log" 2>&1 ||
		die "building the oracle module against linux-headers-$kver failed; see $kdir/kmod-build.log"
	rm -f "$kdir"/zpb_oracle-*.ko
	cp "$b/zpb_oracle.ko" "$ko.tmp" && mv "$ko.tmp" "$ko" || die "cannot write to $kdir"
}

build_guest() {
	srcs=""
	for p in $GUEST_PROGS; do srcs="$srcs $here/guest/$p.c"; done
	guest_hash=$( (cat $srcs; $gcc_guest --version | head -n 1) | sha256sum | cut -c1-16)
	guest=$cache/guest-$arch-$guest_hash
	[ -f "$guest/.complete" ] && return 0
	rm -rf "$guest" && mkdir -p "$guest" || die "cannot write to $cache"
	for p in $GUEST_PROGS; do
		$gcc_guest -static -O2 -Wall -Wextra -o "$guest/$p" "$here/guest/$p.c" \
			>"$cache/guest-build.log" 2>&1 ||
			die "building the static guest program $p failed; see $cache/guest-build.log"
	done
	: >"$guest/.complete"
	for d in "$cache"/guest-$arch-*; do
		[ "$d" = "$guest" ] || rm -rf "$d"
	done
}

# copy_module NAME DIR: NAME.ko (or .ko.xz, decompressed) of the image into DIR
copy_module() {
	m=$1 d=$2
	[ -f "$d/$m.ko" ] && return 0
	alt=$(echo "$m" | tr _ -)
	f=$(find "$kdir/root/lib/modules/$kver/kernel" \( -name "$m.ko" -o -name "$m.ko.xz" \
		-o -name "$alt.ko" -o -name "$alt.ko.xz" \) | head -n 1)
	[ -n "$f" ] || die "module $m is missing from linux-image-$kver"
	case "$f" in
	*.xz) xz -dc "$f" >"$d/$m.ko" || die "cannot decompress $f" ;;
	*) cp "$f" "$d/$m.ko" || die "cannot copy $f" ;;
	esac
}

# Each module after its dependencies (the package ships no modules.dep).
module_order() {
	order=""
	for m in $modules; do visit "$m"; done
	echo $order
}

visit() {
	case " $order " in *" $1 "*) return 0 ;; esac
	copy_module "$1" "$r/modules"
	for d in $(modinfo -F depends "$r/modules/$1.ko" | tr , ' '); do
		visit "$(echo "$d" | tr - _)"
	done
	order="$order $1"
}

build_initrd() {
	if [ $arch = x86 ]; then
		busybox=/bin/busybox
	else
		busybox=$kdir/root/bin/busybox
		[ -f "$busybox" ] || die "busybox-static (arm64) is missing from the cache: $busybox"
	fi
	ih=$(printf '%s %s %s %s %s\n' "$kver" "$kmod_hash" "$guest_hash" "$modules" \
		"$(hash_of "$here/guest/init" "$busybox")" | sha256sum | cut -c1-16)
	initrd=$kdir/initrd-$ih.cpio.gz
	[ -f "$initrd" ] && return 0
	r=$tmp/initrd-root
	mkdir -p "$r/bin" "$r/modules" || die "cannot create a temporary directory"
	cp "$busybox" "$r/bin/busybox" && cp "$here/guest/init" "$r/init" && chmod 755 "$r/init" &&
		cp "$ko" "$r/zpb_oracle.ko" || die "cannot assemble the initramfs"
	for p in $GUEST_PROGS; do
		cp "$guest/$p" "$r/$p" || die "cannot assemble the initramfs"
	done
	# zram is loaded by the guest with its own parameters
	module_order | tr ' ' '\n' | grep -v '^zram$' >"$r/modules.list"
	(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp" ||
		die "cannot build the initramfs (cpio)"
	rm -f "$kdir"/initrd-*.cpio.gz
	mv "$initrd.tmp" "$initrd" || die "cannot write to $kdir"
}

prepare() {
	kernel_setup "$1"
	need_tools
	mkdir -p "$cache" || die "cannot create the cache directory $cache"
	[ -n "$tmp" ] || tmp=$(mktemp -d "${TMPDIR:-/tmp}/zpb-qemu.XXXXXX") ||
		die "cannot create a temporary directory"
	exec 9>"$cache/.lock"
	flock 9
	pick_kernel
	fetch_kernel
	build_module
	build_guest
	build_initrd
	exec 9>&-
}

# ---- booting ---------------------------------------------------------------

# boot MODE CONF_LINES OPS MEM_MB OUT [PAGES]: one guest run; its output
# disk is copied to OUT.
boot() {
	mode=$1 conf=$2 ops=$3 mem=$4 out=$5 pages=${6:-}
	nops=$(wc -l <"$ops")
	printf 'MODE=%s\nPAGE_SIZE=%s\n%s\n' "$mode" "$page" "$conf" >"$tmp/oracle.conf"
	cp "$ops" "$tmp/ops" || die "cannot copy the op list"
	(cd "$tmp" && printf 'oracle.conf\nops\n' | cpio -o -H newc --quiet | gzip -1) >"$tmp/input.cpio" ||
		die "cannot build the initramfs (cpio)"
	cat "$initrd" "$tmp/input.cpio" >"$tmp/boot.cpio.gz" || die "cannot write $tmp/boot.cpio.gz"
	# room for every answer line (zswap's are long, one set per zpool), in MiB
	size=$(((nops * 1024 + 65536) / 1048576 + 1))
	truncate -s "${size}M" "$tmp/out.img" || die "cannot create the output disk"
	set -- -drive "file=$tmp/out.img,format=raw,if=none,id=out,cache=writeback" \
		-device virtio-blk-pci,drive=out,serial=zpbout
	[ -n "$pages" ] && set -- "$@" -drive "file=$pages,format=raw,if=none,id=in,readonly=on" \
		-device virtio-blk-pci,drive=in,serial=zpbin
	timeout=${ZPB_ORACLE_TIMEOUT:-$((120 + nops / 100))}
	lock=""
	[ -n "${ZPB_QEMU_LOCK:-}" ] && lock="flock ${ZPB_QEMU_LOCK}"
	# the clock starts once the lock is held
	$lock sh -c 'date +%s.%N >"$0"; exec "$@"' "$tmp/t0" \
		timeout --foreground "$timeout" "$QEMU" $qemu_machine -nodefaults -no-reboot \
		-display none -monitor none -smp 1 -m "$mem" \
		-kernel "$kdir/root/boot/vmlinuz-$kver" -initrd "$tmp/boot.cpio.gz" \
		-append "console=$console panic=-1 oops=panic loglevel=4 rdinit=/init" \
		-serial "file:$tmp/console.log" "$@" >"$tmp/qemu.log" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	cp "$tmp/console.log" "$cache/last-console.log" 2>/dev/null
	status=$(grep -a '^ZPB-ORACLE: ' "$tmp/console.log" 2>/dev/null | tail -n 1 | tr -d '\r')
	if [ "$status" != "ZPB-ORACLE: OK" ]; then
		[ $rc = 124 ] && die "the qemu guest did not finish within ${timeout}s (set ZPB_ORACLE_TIMEOUT); console: $cache/last-console.log"
		[ -n "$status" ] && die "the qemu guest failed: ${status#ZPB-ORACLE: }; console: $cache/last-console.log"
		[ $rc != 0 ] && die "qemu failed (exit $rc: $(head -n 1 "$tmp/qemu.log")); console: $cache/last-console.log"
		die "the qemu guest stopped without finishing (kernel panic?); console: $cache/last-console.log"
	fi
	cp "$tmp/out.img" "$out" || die "cannot write $out"
	echo "kernel $kver"
	echo "page_size $page"
	awk -v a="$(cat "$tmp/t0")" -v b="$t1" 'BEGIN { printf "qemu_seconds %.1f\n", b - a }'
}

run() {
	kn=$1 alloc=$2 ops=$3 slots=$4 mem=$5 out=$6
	prepare "$kn"
	settle=${ZPB_ORACLE_SETTLE_US:-0}
	case "$settle" in *[!0-9]* | "") die "ZPB_ORACLE_SETTLE_US must be a number of microseconds" ;; esac
	wait=${ZPB_ORACLE_WAIT_Z3FOLD:-1}
	case "$wait" in 0 | 1) ;; *) die "ZPB_ORACLE_WAIT_Z3FOLD must be 0 or 1" ;; esac
	boot zpool "$(printf 'ALLOC=%s\nSLOTS=%s\nSETTLE_US=%s\nWAIT_Z3FOLD=%s' "$alloc" "$slots" \
		"$settle" "$wait")" "$ops" "$mem" "$out"
}

need_612() {
	[ $fam = 6.12 ] || die "the $1 mode needs a 6.12 kernel (6.12 or 6.12-arm64-16k), not $knick"
}

case "${1:-}" in
prepare)
	shift
	[ $# = 0 ] && set -- $KERNELS
	for k in "$@"; do
		prepare "$k"
		echo "kernel $kver"
		echo "page_size $page"
	done
	;;
run)
	[ $# = 7 ] || die "usage: qemu-oracle.sh run KERNEL ALLOC OPS SLOTS MEM_MB OUT"
	shift
	run "$@"
	;;
zram)
	[ $# = 7 ] || die "usage: qemu-oracle.sh zram KERNEL CODEC PAGES OPS MEM_MB OUT"
	kernel_setup "$2"
	need_612 zram
	prepare "$2"
	# a device of the slots written
	slots=$(awk '$1 == "w" && $2 + 1 > m { m = $2 + 1 } END { print m + 0 }' "$5")
	boot zram "$(printf 'CODEC=%s\nDISKSIZE=%s' "$3" $((slots * page + page)))" "$5" "$6" "$7" "$4"
	;;
zswap)
	[ $# = 7 ] || die "usage: qemu-oracle.sh zswap KERNEL ZPOOLS PAGES OPS MEM_MB OUT"
	kernel_setup "$2"
	need_612 zswap
	prepare "$2"
	boot zswap "ZPOOL='$3'" "$5" "$6" "$7" "$4"
	;;
*)
	die "usage: qemu-oracle.sh prepare [KERNEL...] | run KERNEL ALLOC OPS SLOTS MEM_MB OUT | zram KERNEL CODEC PAGES OPS MEM_MB OUT | zswap KERNEL ZPOOL PAGES OPS MEM_MB OUT"
	;;
esac
