#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# qemu-oracle.sh - the host side of `zpoolbench oracle qemu` (which calls it;
# it is not meant to be run by hand).
#
#	qemu-oracle.sh prepare
#	qemu-oracle.sh run ALLOC OPS SLOTS MEM_MB OUT
#
# prepare: makes sure Debian's Linux 6.1 kernel is in the cache (apt-get
# download + dpkg-deb -x, never installed), builds the zpb_oracle module
# against the matching linux-headers, the static guest program and the base
# initramfs (busybox-static, the modules, /init).  Everything is cached, keyed
# by the kernel version and a hash of the sources; prints "kernel VERSION".
# run: boots that kernel under qemu (TCG, one CPU) with the base initramfs plus
# a second archive holding OPS (lines "a SLOT SIZE", "f SLOT", "c") and the
# allocator name; the guest replays OPS through the kernel allocator and
# writes its answers to a virtio disk, which is copied to OUT.
#
# Errors: one line "zpoolbench: ..." on stderr and exit 1.  Environment:
# ZPB_CACHE_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/zpoolbench),
# ZPB_ORACLE_TIMEOUT (seconds for one boot; default from the op count),
# ZPB_ORACLE_KERNEL (a 6.1.0-NN-amd64 to use instead of the cached or newest
# one), ZPB_QEMU (the qemu binary), ZPB_ORACLE_SETTLE_US (an extra sleep after
# every free, to check that z3fold's sizes do not depend on timing),
# ZPB_ORACLE_WAIT_Z3FOLD=0 (do not wait for z3fold's work queue: shows what
# the waiting changes).
set -u
umask 022

here=$(cd "$(dirname "$0")" && pwd)
# deps.sh: TOP/scripts from TOP/bench/kernel/oracle in the source tree,
# share/zpoolbench/scripts from share/zpoolbench/oracle when installed
deps=$here/../scripts/deps.sh
[ -f "$deps" ] || deps=$here/../../../scripts/deps.sh
base=${ZPB_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/zpoolbench}
cache=$base/oracle-qemu
QEMU=${ZPB_QEMU:-qemu-system-x86_64}
# Modules in load order (6.1 ships no modules.dep in the package).
MODULES="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk
z3fold zsmalloc"

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

need_tools() {
	# -q: one stderr line on error, whatever was installed before
	if [ "$(id -u)" = 0 ]; then
		sh "$deps" -q qemu || exit 1
	fi
	for t in "$QEMU" cpio gzip dpkg-deb apt-get make gcc-12 sha256sum flock; do
		command -v "$t" >/dev/null 2>&1 ||
			die "'$t' is missing; install the qemu oracle's packages with 'scripts/deps.sh qemu' as root"
	done
	[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
		die "a static /bin/busybox is missing; install the Debian package busybox-static"
}

# The newest linux-image-6.1.0-NN-amd64 apt knows, as "6.1.0-NN-amd64".
apt_kernel() {
	v=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n 1)
	if [ -z "$v" ]; then
		v=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' 2>/dev/null |
			sed -n 's/^linux-image-\(6\.1\.0-[0-9]*-amd64\) .*/\1/p' | sort -t- -k3,3n |
			tail -n 1)
	fi
	echo "$v"
}

# The kernel to use: one already extracted in the cache, else apt's newest.
pick_kernel() {
	if [ -n "${ZPB_ORACLE_KERNEL:-}" ]; then
		kver=$ZPB_ORACLE_KERNEL
		case "$kver" in
		6.1.0-*-amd64) return 0 ;;
		*) die "ZPB_ORACLE_KERNEL must look like 6.1.0-NN-amd64, not '$kver'" ;;
		esac
	fi
	kver=$(ls -d "$cache"/6.1.0-*-amd64/root/boot 2>/dev/null | sed 's|.*/\(6\.1\.0-[0-9]*-amd64\)/root/boot|\1|' |
		sort -t- -k3,3n | tail -n 1)
	[ -n "$kver" ] && return 0
	kver=$(apt_kernel)
	if [ -z "$kver" ] && [ "$(id -u)" = 0 ]; then
		apt-get update -qq >/dev/null 2>&1
		kver=$(apt_kernel)
	fi
	[ -n "$kver" ] ||
		die "cannot find Debian's linux-image-6.1.0-NN-amd64 with apt-cache (run 'apt-get update' as root; needs Debian 12 package lists)"
}

fetch_kernel() {
	kdir=$cache/$kver
	[ -f "$kdir/root/boot/vmlinuz-$kver" ] && return 0
	abi=${kver%-amd64}
	pkgs="linux-image-$kver linux-headers-$kver linux-headers-$abi-common linux-kbuild-6.1"
	mkdir -p "$cache/debs" || die "cannot create the cache directory $cache"
	for p in $pkgs; do
		ls "$cache/debs/${p}_"*.deb >/dev/null 2>&1 && continue
		(cd "$cache/debs" && apt-get download "$p" >"$cache/apt-download.log" 2>&1) ||
			die "cannot fetch Debian package $p with apt-get download (see $cache/apt-download.log; try 'apt-get update')"
	done
	rm -rf "$kdir.tmp" && mkdir -p "$kdir.tmp/root" || die "cannot write to $cache"
	for p in $pkgs; do
		dpkg-deb -x "$(ls "$cache/debs/${p}_"*.deb | tail -n 1)" "$kdir.tmp/root" ||
			die "cannot extract the Debian package $p (dpkg-deb -x failed)"
	done
	# the arch headers include the common ones by absolute path
	src=$kdir/root/usr/src
	sed -i "s#^include /usr/src/#include $src/#" "$kdir.tmp/root/usr/src/linux-headers-$kver/Makefile"
	rm -rf "$kdir" && mv "$kdir.tmp" "$kdir" || die "cannot write to $cache"
	# the .debs are not needed once extracted
	rm -f "$cache/debs/"*.deb
}

build_module() {
	kmod_hash=$(hash_of "$here/kmod/Kbuild" "$here/kmod/zpb_oracle.c")
	ko=$kdir/zpb_oracle-$kmod_hash.ko
	[ -f "$ko" ] && return 0
	b=$tmp/kmod
	mkdir -p "$b" && cp "$here/kmod/Kbuild" "$here/kmod/zpb_oracle.c" "$b/" || die "cannot copy the module sources"
	make -C "$kdir/root/usr/src/linux-headers-$kver" M="$b" modules >"$kdir/kmod-build.log" 2>&1 ||
		die "building the oracle module against linux-headers-$kver failed; see $kdir/kmod-build.log"
	rm -f "$kdir"/zpb_oracle-*.ko
	cp "$b/zpb_oracle.ko" "$ko.tmp" && mv "$ko.tmp" "$ko" || die "cannot write to $kdir"
}

build_guest() {
	guest_hash=$(hash_of "$here/guest/zpbo_run.c")
	guest=$cache/zpbo_run-$guest_hash
	[ -x "$guest" ] && return 0
	gcc-12 -static -O2 -Wall -Wextra -o "$guest.tmp" "$here/guest/zpbo_run.c" >"$cache/guest-build.log" 2>&1 ||
		die "building the static guest program failed; see $cache/guest-build.log"
	mv "$guest.tmp" "$guest" || die "cannot write to $cache"
	for f in "$cache"/zpbo_run-*; do
		[ "$f" = "$guest" ] || rm -f "$f"
	done
}

build_initrd() {
	ih=$(printf '%s %s %s %s\n' "$kver" "$kmod_hash" "$guest_hash" "$(hash_of "$here/guest/init" /bin/busybox)" |
		sha256sum | cut -c1-16)
	initrd=$kdir/initrd-$ih.cpio.gz
	[ -f "$initrd" ] && return 0
	r=$tmp/initrd-root
	mkdir -p "$r/bin" "$r/modules" || die "cannot create a temporary directory"
	cp /bin/busybox "$r/bin/busybox" && cp "$here/guest/init" "$r/init" && chmod 755 "$r/init" &&
		cp "$ko" "$r/zpb_oracle.ko" && cp "$guest" "$r/zpbo_run" || die "cannot assemble the initramfs"
	mods=$kdir/root/lib/modules/$kver/kernel
	: >"$r/modules.list"
	for m in $MODULES; do
		f=$(find "$mods" -name "$m.ko" | head -n 1)
		[ -n "$f" ] || die "module $m.ko is missing from linux-image-$kver"
		cp "$f" "$r/modules/" && echo "$m" >>"$r/modules.list"
	done
	(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp" ||
		die "cannot build the initramfs (cpio)"
	rm -f "$kdir"/initrd-*.cpio.gz
	mv "$initrd.tmp" "$initrd" || die "cannot write to $kdir"
}

prepare() {
	need_tools
	mkdir -p "$cache" || die "cannot create the cache directory $cache"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/zpb-qemu.XXXXXX") || die "cannot create a temporary directory"
	exec 9>"$cache/.lock"
	flock 9
	pick_kernel
	fetch_kernel
	build_module
	build_guest
	build_initrd
	exec 9>&-
}

run() {
	alloc=$1 ops=$2 slots=$3 mem=$4 out=$5
	prepare
	nops=$(wc -l <"$ops")
	settle=${ZPB_ORACLE_SETTLE_US:-0}
	case "$settle" in *[!0-9]* | "") die "ZPB_ORACLE_SETTLE_US must be a number of microseconds" ;; esac
	wait=${ZPB_ORACLE_WAIT_Z3FOLD:-1}
	case "$wait" in 0 | 1) ;; *) die "ZPB_ORACLE_WAIT_Z3FOLD must be 0 or 1" ;; esac
	printf 'ALLOC=%s\nSLOTS=%s\nSETTLE_US=%s\nWAIT_Z3FOLD=%s\n' "$alloc" "$slots" "$settle" \
		"$wait" >"$tmp/oracle.conf"
	cp "$ops" "$tmp/ops" || die "cannot copy the op list"
	(cd "$tmp" && printf 'oracle.conf\nops\n' | cpio -o -H newc --quiet | gzip -1) >"$tmp/input.cpio" ||
		die "cannot build the initramfs (cpio)"
	cat "$initrd" "$tmp/input.cpio" >"$tmp/boot.cpio.gz" || die "cannot write $tmp/boot.cpio.gz"
	# room for every answer line, rounded up to MiB
	size=$(((nops * 32 + 4096) / 1048576 + 1))
	truncate -s "${size}M" "$tmp/out.img" || die "cannot create the output disk"
	timeout=${ZPB_ORACLE_TIMEOUT:-$((120 + nops / 100))}
	timeout --foreground "$timeout" "$QEMU" -accel tcg -nodefaults -no-reboot -display none \
		-monitor none -smp 1 -m "$mem" \
		-kernel "$kdir/root/boot/vmlinuz-$kver" -initrd "$tmp/boot.cpio.gz" \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=4" \
		-serial "file:$tmp/console.log" \
		-drive "file=$tmp/out.img,format=raw,if=virtio,cache=writeback" \
		>"$tmp/qemu.log" 2>&1
	rc=$?
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
}

case "${1:-}" in
prepare)
	prepare
	echo "kernel $kver"
	;;
run)
	[ $# = 6 ] || die "usage: qemu-oracle.sh run ALLOC OPS SLOTS MEM_MB OUT"
	shift
	run "$@"
	;;
*)
	die "usage: qemu-oracle.sh prepare | run ALLOC OPS SLOTS MEM_MB OUT"
	;;
esac
