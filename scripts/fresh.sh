#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# fresh.sh [TREE [CACHEDIR]] - the fresh-machine proof (`make fresh`, issue 12).
#
# Makes a minimal Debian 12 root with debootstrap (minbase: the Essential
# packages and apt, as in the debian:12 image; no compiler, no make, no
# python3, no procps), or takes it from CACHEDIR; copies TREE into
# /opt/zpoolbench there (its working tree: what git tracks with uncommitted
# changes, untracked files git does not ignore, no build or results folder;
# and a clone of its history, so that `git describe` names the build); and
# runs the commands of the README's "Set-up on a fresh Debian machine" block,
# in its order, each once, as root with a login's clean environment, with
# the host's /dev, /proc and /sys (recursively: cgroup v1, BTF) in the root
# for zram0, BPF, the memory cgroup and qemu, and the root itself a mount
# point, as / is on a machine.
#
# Exit 0 only when all of these hold:
#   - every command exits 0 on its first run;
#   - `make test` ends "N passed, 0 failed, 0 skipped" and no test says
#     "part skipped:": whatever a test needs, the commands installed (the
#     tree at /opt, not /root, because the golden CLI tests run the binary
#     as nobody, who cannot search /root);
#   - no output has the shell's "CMD: not found";
#   - results.json names the commit of TREE (and -dirty if TREE is);
#   - no process of the commands is left running in the root;
#   - zram0's disksize, zram0 as swap (by device number) and zpb-* memory
#     cgroups are as they were before.
#
# Safety: every mount is made in a private mount namespace (unshare --mount
# --propagation private): none ever exists in the host's namespace, and all
# vanish with the namespace's last process (they are also unmounted
# explicitly).  A stop (SIGINT, SIGTERM, SIGHUP, an error) sends SIGINT to
# the run's process group, as a Ctrl-C would, and gives the project's own
# exit paths time to restore zram0, swap and cgroups; then SIGTERM, then
# every process still in the root is ended by PID (found by its root
# directory's device and inode).  The work folder is deleted only when no
# process is left in it and nothing is mounted below it, with
# rm --one-file-system, and only if its name is one this script made.
#
# Locks: /tmp/zpb-zram0.lock, then /tmp/zpb-qemu.lock, around the run (the
# suite uses the host's zram0 and boots qemu); a lock a caller already holds
# (flock /tmp/zpb-zram0.lock flock /tmp/zpb-qemu.lock make fresh) is used as
# it is.
#
# CACHEDIR (default ${ZPB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/zpoolbench}/fresh)
# keeps the root as a tarball (about 90 MB, made again after
# ZPB_FRESH_MAX_AGE days, default 7) and logs/DATE-TIME/ of each run:
# N.log (the output of command N), N.rc, times.txt, debootstrap.log.
#
# Environment: ZPB_FRESH_MIRROR (default: the Debian mirror this machine's
# apt uses), ZPB_FRESH_GRACE (seconds a stopped run has for its exit paths,
# 60), ZPB_FRESH_KEEP=1 (keep the root, unmounted, for a look).
set -u
umask 022

die() { echo "fresh: $*" >&2; exit 1; }
say() { echo "fresh: $*" >&2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

here=$(cd "$(dirname "$0")" && pwd)
[ $# -le 2 ] || die "usage: scripts/fresh.sh [TREE [CACHEDIR]]"
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mounts, and the suite uses zram0 and BPF)"
TREE=$(cd "${1:-$here/..}" 2>/dev/null && pwd) || die "cannot enter tree '${1:-}'"
[ -x "$TREE/run.sh" ] && [ -f "$TREE/Makefile" ] && [ -f "$TREE/README.md" ] ||
	die "'$TREE' is no zpoolbench tree (run.sh, Makefile, README.md)"
base=${ZPB_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/zpoolbench}
CACHE=${2:-$base/fresh}
mkdir -p "$CACHE" || die "cannot create the cache folder '$CACHE'"
CACHE=$(cd "$CACHE" && pwd) || die "cannot enter the cache folder"
case $CACHE/ in "$TREE"/*) die "the cache folder '$CACHE' is inside the tree" ;; esac
for t in debootstrap unshare setsid chroot findmnt flock tar gzip git stat; do
	command -v $t >/dev/null 2>&1 || die "'$t' is missing (as root: scripts/deps.sh fresh)"
done
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r $KEYRING ] || die "$KEYRING is missing (as root: scripts/deps.sh fresh)"
. "$here/swaps.inc"

SUITE=bookworm
ARCH=$(dpkg --print-architecture)
MAX_AGE=${ZPB_FRESH_MAX_AGE:-7}
case $MAX_AGE in "" | *[!0-9]*) die "ZPB_FRESH_MAX_AGE must be a number of days, not '$MAX_AGE'" ;; esac
GRACE=${ZPB_FRESH_GRACE:-60}
case $GRACE in "" | *[!0-9]*) die "ZPB_FRESH_GRACE must be a number of seconds, not '$GRACE'" ;; esac
DIR=/opt/zpoolbench

# The commands: the README's set-up block, comments dropped.
readme_commands() {
	awk '/^## Set-up on a fresh Debian machine/ { s = 1; next }
	     s == 1 && /^```sh$/ { s = 2; next }
	     s == 2 && /^```/ { exit }
	     s == 2 { sub(/[ \t]*#.*/, ""); if ($0 != "") print }
	     s && /^## / { exit }' "$TREE/README.md"
}
commands=$(readme_commands)
[ -n "$commands" ] || die "no commands in README.md's 'Set-up on a fresh Debian machine' block"

# The URI this machine's apt uses for SUITE (deb822 .sources or one-line
# sources.list), else DEFAULT.
apt_uri() { # SUITE DEFAULT
	u=$(awk -v s="$1" '
		/^[ \t]*$/ { if (ok && uri != "") { print uri; exit } ok = 0; uri = ""; next }
		/^URIs:/ { uri = $2 }
		/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) ok = 1 }
		/^Enabled: *no/ { ok = 0; uri = "" }
		END { if (ok && uri != "") print uri }' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
	[ -n "$u" ] || u=$(awk -v s="$1" '$1 == "deb" && $3 == s { print $2; exit }' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null)
	echo "${u:-$2}"
}
MIRROR=${ZPB_FRESH_MIRROR:-$(apt_uri $SUITE http://deb.debian.org/debian)}
SECURITY=$(apt_uri $SUITE-security http://deb.debian.org/debian-security)

LOGS=$CACHE/logs/$(date +%Y%m%d-%H%M%S)
mkdir -p "$LOGS" || die "cannot create '$LOGS'"
: >"$LOGS/times.txt"
timing() { echo "$1: $2 s" >>"$LOGS/times.txt"; say "$1: $2 s"; }
t_start=$(now)

# ---- clean-up, on every exit path ---------------------------------------------
work="" root="" root_id="" nspid="" run_started=0 state_checked=0

# PIDs of the processes whose root directory is ours (device:inode, which
# holds across mount namespaces).
procs_in_root() {
	[ -n "$root_id" ] || return 0
	for p in /proc/[0-9]*; do
		[ "$(stat -L -c %d:%i "$p/root" 2>/dev/null)" = "$root_id" ] && echo "${p#/proc/}"
	done
}

# "PID PPID ARGS" of each PID, from /proc (procps is not needed)
show_procs() {
	for p in "$@"; do
		args=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)
		ppid=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -d' ' -f2)
		echo "fresh:   $p (parent $ppid): ${args:-?}"
	done
}

pgid_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f3; }

mounts_below() { # PATH: mount points at or below PATH in this namespace
	findmnt -rn -o TARGET | awk -v r="$1" 'index($0, r "/") == 1 || $0 == r'
}

# Wait up to SECONDS for the run to end and no process to be left in the root.
settled() { # SECONDS
	i=0
	while [ $i -lt $(($1 * 2)) ]; do
		{ [ -z "$nspid" ] || ! kill -0 "$nspid" 2>/dev/null; } && [ -z "$(procs_in_root)" ] && return 0
		sleep 0.5
		i=$((i + 1))
	done
	return 1
}

# End every process left in the root, by PID: TERM, then KILL.
end_procs_in_root() {
	for sig in TERM KILL; do
		left=$(procs_in_root)
		[ -z "$left" ] && return 0
		say "ending the processes left in the root (SIG$sig):"
		# shellcheck disable=SC2086
		show_procs $left | tee -a "$LOGS/leftovers.txt" >&2
		# shellcheck disable=SC2086
		kill -$sig $left 2>/dev/null
		settled 10 && return 0
	done
	[ -z "$(procs_in_root)" ]
}

# The kernel state the suite uses is as it was before the run (checked while
# the locks are still held).
state_restored() {
	r=0
	if [ -r /sys/block/zram0/disksize ]; then
		z=$(cat /sys/block/zram0/disksize)
		[ "$z" = "$zram_before" ] || { say "zram0's disksize was $zram_before, is now $z"; r=1; }
	fi
	if [ "$swap_before" = 0 ] && zpb_is_swap zram0; then
		say "zram0 is swap now: $(zpb_swap_line zram0)"
		r=1
	fi
	cg=$(ls -d /sys/fs/cgroup/memory/zpb-* 2>/dev/null)
	[ "$cg" = "$cg_before" ] || { say "memory cgroups left: $cg"; r=1; }
	[ $r = 0 ] && say "zram0, swap and the memory cgroups are as before the run"
	return $r
}

cleanup() {
	rc=$?
	trap '' INT TERM HUP
	# stopped early: SIGINT to the run's process group, as a Ctrl-C would,
	# and time for the project's exit paths; then SIGTERM
	if [ -n "$nspid" ] && kill -0 "$nspid" 2>/dev/null; then
		pg=$(pgid_of "$nspid")
		if [ "$pg" = "$nspid" ] && [ "$pg" != "$(pgid_of $$)" ]; then
			say "stopping the run: SIGINT to its process group $pg"
			kill -INT -- "-$pg" 2>/dev/null
			settled "$GRACE" || { say "still running: SIGTERM"; kill -TERM -- "-$pg" 2>/dev/null; settled 30; }
		else
			kill -TERM "$nspid" 2>/dev/null	# debootstrap
			settled 30
		fi
	fi
	end_procs_in_root
	[ -n "$nspid" ] && wait "$nspid" 2>/dev/null
	nspid=""
	if [ $run_started = 1 ] && [ $state_checked = 0 ]; then
		state_restored || rc=1
	fi
	if [ -n "$work" ] && [ -d "$work" ]; then
		safe=1
		[ -n "$(procs_in_root)" ] && { say "processes still in $root: $(echo $(procs_in_root))"; safe=0; }
		# every mount was made in a private namespace: here there must be none
		m=$(mounts_below "$work")
		if [ -n "$m" ]; then
			say "mounted below $work (unmounting):" $m
			for t in $(echo "$m" | sort -r); do umount "$t" 2>/dev/null || umount -l "$t"; done
			[ -n "$(mounts_below "$work")" ] && { say "still mounted below $work"; safe=0; }
		fi
		if [ $safe != 1 ]; then
			say "NOT deleting $work (see above); delete it once nothing runs in it or is mounted below it"
			[ $rc = 0 ] && rc=1
		elif [ "${ZPB_FRESH_KEEP:-0}" = 1 ]; then
			say "kept $root (nothing is mounted below it)"
		else
			t0=$(now)
			case $work in
			/?*/zpb-fresh.??????) rm -rf --one-file-system -- "$work" || say "could not delete $work"
				timing delete-root "$(secs "$t0" "$(now)")" ;;
			*) say "refusing to delete an unexpected path '$work'" ;;
			esac
		fi
	fi
	timing total "$(secs "$t_start" "$(now)")"
	exit $rc
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM
trap 'exit 129' HUP

# ---- the root: from the cache, or debootstrap ---------------------------------
work=$(mktemp -d "${TMPDIR:-/var/tmp}/zpb-fresh.XXXXXX") || die "cannot create a work folder"
root=$work/root
mkdir "$root" || die "cannot create $root"
root_id=$(stat -c %d:%i "$root")
prefix=debian-$SUITE-minbase-$ARCH-$(printf '%s' "$MIRROR" | sha256sum | cut -c1-8)
tarball=$(find "$CACHE" -maxdepth 1 -name "$prefix-*.tar.gz" -mtime -"$MAX_AGE" 2>/dev/null | sort | tail -n 1)

if [ -n "$tarball" ]; then
	say "the root from the cache: $tarball"
	t0=$(now)
	tar -xzpf "$tarball" --numeric-owner -C "$root" || die "cannot extract $tarball"
	timing root-from-cache "$(secs "$t0" "$(now)")"
else
	say "debootstrap --variant=minbase $SUITE from $MIRROR (log: $LOGS/debootstrap.log)"
	t0=$(now)
	# (in a private mount namespace too: the /proc and /sys that
	# debootstrap mounts in the root never appear in ours)
	unshare --mount --propagation private -- debootstrap --variant=minbase --arch="$ARCH" \
		--keyring=$KEYRING "$SUITE" "$root" "$MIRROR" >"$LOGS/debootstrap.log" 2>&1 &
	nspid=$!
	wait $nspid || { nspid=""; tail -n 20 "$LOGS/debootstrap.log" >&2; die "debootstrap failed"; }
	nspid=""
	timing debootstrap-cold "$(secs "$t0" "$(now)")"
	[ -z "$(mounts_below "$work")" ] || die "debootstrap left mounts below $work"
	t0=$(now)
	tarball=$CACHE/$prefix-$(date +%Y%m%d).tar.gz
	tar -C "$root" --numeric-owner -czf "$tarball.tmp.$$" . &&
		mv "$tarball.tmp.$$" "$tarball" || { rm -f "$tarball.tmp.$$"; die "cannot write $tarball"; }
	find "$CACHE" -maxdepth 1 -name "$prefix-*.tar.gz" ! -path "$tarball" -delete
	timing cache-write "$(secs "$t0" "$(now)")"
	say "cached $tarball ($(du -h "$tarball" | cut -f1))"
fi
for m in dev proc sys; do [ -d "$root/$m" ] || die "the root has no /$m"; done

# What a fresh machine has to reach the mirror, and nothing more: Debian's
# sources as an installed Debian 12 has them, name resolution, empty package
# lists (its `apt-get update` is the project's job); and no daemon started
# by a postinst, which would outlive the root (no package the project
# installs has one).
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: $KEYRING

Types: deb
URIs: $SECURITY
Suites: $SUITE-security
Components: main
Signed-By: $KEYRING
SOURCES
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || : >"$root/etc/resolv.conf"
cp /etc/hosts "$root/etc/hosts" || die "cannot copy /etc/hosts"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod 755 "$root/usr/sbin/policy-rc.d"
rm -rf "$root/var/lib/apt/lists/"*
mkdir -p "$root/var/lib/apt/lists/partial"

# ---- the tree -------------------------------------------------------------------
t0=$(now)
dst=$root$DIR
mkdir -p "$dst" || die "cannot create $dst"
git -C "$TREE" rev-parse --git-dir >/dev/null 2>&1 || die "'$TREE' is not a git checkout"
head=$(git -C "$TREE" rev-parse HEAD) || die "no HEAD in $TREE"
# the working tree (a tracked file deleted in it is left out: --ignore-failed-read)
(cd "$TREE" && git ls-files -z --cached --others --exclude-standard |
	tar --null --no-recursion --ignore-failed-read -T - -cf - 2>/dev/null) |
	tar -xpf - -C "$dst" || die "cannot copy $TREE"
# its history, as a clone has it, at HEAD (so that git describe --dirty
# tells the same in the root as here)
git clone -q --no-checkout --no-hardlinks "$TREE" "$work/clone" &&
	mv "$work/clone/.git" "$dst/.git" &&
	git --git-dir="$dst/.git" --work-tree="$dst" reset -q "$head" ||
	die "cannot copy the history of $TREE"
want_dirty=	# (as the Makefile asks, for the build's version.h)
case $(git -C "$TREE" describe --always --dirty) in *-dirty) want_dirty=-dirty ;; esac
timing copy-tree "$(secs "$t0" "$(now)")"
say "tree: $(cd "$dst" && find . -path ./.git -prune -o -type f -print | wc -l) files at $DIR (${head:0:12}$want_dirty)"

# ---- the run, in a private mount namespace --------------------------------------
printf '%s\n' "$commands" >"$work/commands"
cat >"$work/inner.sh" <<'INNER'
#!/bin/sh
# inner.sh ROOT DIR LOGS COMMANDS DONE - in a private mount namespace: bind
# ROOT onto itself and /dev, /proc, /sys into it, run each line of COMMANDS
# in DIR inside ROOT as root with a clean environment (LOGS/N.log: the
# output, N.rc, N.time), then create DONE; unmount and exit only when no
# process is left in ROOT.  A signal stops the commands but not this: the
# project's exit paths in the root need /dev, /sys and /proc to restore
# zram0, swap and the cgroups (unmounted early, they found nothing there).
set -u
root=$1 dir=$2 logs=$3 commands=$4 done=$5
# never mount over, or unmount, the host's own /dev, /proc, /sys
case $root in /?*/zpb-fresh.??????/root) ;; *) echo "inner.sh: bad root '$root'" >&2; exit 100 ;; esac
root_id=$(stat -c %d:%i "$root")
[ "$root_id" != "$(stat -c %d:%i /)" ] || exit 100
stop=0
trap 'stop=130' INT
trap 'stop=143' TERM
trap 'stop=129' HUP
unmount_all() {
	umount -R "$root" 2>/dev/null || umount -R -l "$root" 2>/dev/null
}
root_empty() {
	for p in /proc/[0-9]*; do
		[ "$(stat -L -c %d:%i "$p/root" 2>/dev/null)" = "$root_id" ] && return 1
	done
	return 0
}
# the root a mount point of its own, as / is on a machine ('unshare -m'
# makes / private, which fails where / is no mount point)
mount --bind "$root" "$root" || exit 100
trap 'unmount_all' EXIT
mount --rbind /dev "$root/dev" || exit 100
mount -t proc proc "$root/proc" || exit 100
mount --rbind /sys "$root/sys" || exit 100
# as root logs in on a fresh machine: none of this session's variables
in_root() {
	chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/sh \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/sh -c 'cd "$1" && eval "$2"' sh "$dir" "$1" </dev/null
}
n=0
while [ $stop = 0 ] && IFS= read -r cmd <&9; do
	n=$((n + 1))
	echo "==== # $cmd" >&2
	t0=$(date +%s.%N)
	# (the left side outlives a signal to write the status; tee reads to
	# the end, so that no writer in the root dies of SIGPIPE)
	{ trap : INT TERM HUP; in_root "$cmd"; echo $? >"$logs/$n.rc"; } 2>&1 |
		{ trap '' INT TERM HUP; exec tee "$logs/$n.log"; }
	echo "$t0 $(date +%s.%N)" >"$logs/$n.time"
done 9<"$commands"
: >"$done"
until root_empty; do sleep 0.5; done
exit $stop
INNER

# A lock the caller holds (flock FILE make fresh) is used as it is: a second
# flock on FILE here would wait for it for ever.
held_by_caller() { # FILE
	[ -e "$1" ] || return 1
	id=$(printf '%02x:%02x:%s' "$(stat -c %Hd "$1")" "$(stat -c %Ld "$1")" "$(stat -c %i "$1")")
	holders=$(awk -v id="$id" '$2 == "FLOCK" && $6 == id { print $5 }' /proc/locks)
	p=$$
	while [ -n "$p" ] && [ "$p" -gt 1 ]; do
		for h in $holders; do [ "$h" = "$p" ] && return 0; done
		p=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -d' ' -f2)
	done
	return 1
}
for l in zram0:8 qemu:7; do
	f=/tmp/zpb-${l%:*}.lock fd=${l#*:}
	if held_by_caller "$f"; then
		say "$f: held by the caller"
	else
		say "waiting for $f"
		eval "exec $fd>>\"$f\"" && flock "$fd" || die "cannot lock $f"
	fi
done
zram_before=$(cat /sys/block/zram0/disksize 2>/dev/null)
swap_before=0
zpb_is_swap zram0 && swap_before=1
cg_before=$(ls -d /sys/fs/cgroup/memory/zpb-* 2>/dev/null)
run_started=1

say "the README's commands, as root in a fresh Debian 12 ($SUITE minbase), in $DIR:"
printf '%s\n' "$commands" | sed 's/^/fresh:   /' >&2
# (a background job starts with SIGINT and SIGQUIT ignored, and a shell
# cannot trap a signal ignored at its start: give the run the defaults, as a
# login shell has them; and its own process group, which a stop signals)
setsid env --default-signal=INT,QUIT unshare --mount --propagation private -- \
	/bin/sh "$work/inner.sh" "$root" "$DIR" "$LOGS" "$work/commands" "$work/done" &
nspid=$!
# the commands are done when inner.sh says so; it then waits for the root
# to be empty before it unmounts and ends
while [ ! -e "$work/done" ] && kill -0 $nspid 2>/dev/null; do sleep 1; done

# ---- the verdict ----------------------------------------------------------------
ok=1
t0=$(now)
left=$(procs_in_root)
[ -z "$left" ] || { sleep 2; left=$(procs_in_root); }	# (ending just now)
if [ -n "$left" ]; then
	say "processes left running in the root by the commands:"
	# shellcheck disable=SC2086
	show_procs $left >&2
	ok=0
fi
end_procs_in_root || ok=0
wait $nspid
nsrc=$?
nspid=""
[ $nsrc = 100 ] && die "cannot bind the root, /dev, /proc or /sys"
[ -z "$(mounts_below "$work")" ] || { say "mounts left below $work"; ok=0; }
timing end-of-run "$(secs "$t0" "$(now)")"
state_restored || ok=0
state_checked=1

n=0
while IFS= read -r cmd; do
	n=$((n + 1))
	rc=$(cat "$LOGS/$n.rc" 2>/dev/null || echo "none (not run)")
	# shellcheck disable=SC2046
	[ -f "$LOGS/$n.time" ] && timing "[$n] $cmd" "$(secs $(cat "$LOGS/$n.time"))"
	say "[$n] $cmd: exit $rc; last line: $(tail -n 1 "$LOGS/$n.log" 2>/dev/null)"
	[ "$rc" = 0 ] || ok=0
	grep -h '^FAIL' "$LOGS/$n.log" 2>/dev/null | sed "s/^/fresh: [$n] /" >&2
	nf=$(grep -E '^[^ ]+: (line )?[0-9]+: [^ ]+: (command )?not found$' "$LOGS/$n.log")
	[ -z "$nf" ] || { say "[$n] a command that is not installed was used:"; echo "$nf" | sed 's/^/fresh:   /' >&2; ok=0; }
	case $cmd in
	"make test")
		case $(tail -n 1 "$LOGS/$n.log") in
		*" passed, 0 failed, 0 skipped") ;;
		*" passed, "*" skipped")
			say "[$n] tests failed or were skipped on the fresh machine:"
			grep -h '^skip' "$LOGS/$n.log" | sed "s/^/fresh:   /" >&2
			ok=0 ;;
		*) say "[$n] no 'N passed, N failed, N skipped' line"; ok=0 ;;
		esac
		if grep -q '^ *part skipped: ' "$LOGS/$n.log"; then
			say "[$n] tests skipped a part of themselves on the fresh machine:"
			grep -h -B1 '^ *part skipped: ' "$LOGS/$n.log" | sed "s/^/fresh:   /" >&2
			ok=0
		fi ;;
	"./run.sh"*)
		folder=$(sed -n 's/^results folder: //p' "$LOGS/$n.log" | tail -n 1)
		json=$dst/$folder/results.json
		got=$(sed -n 's/^ *"git": "\([^"]*\)".*/\1/p' "$json" 2>/dev/null | head -n 1)
		# the same commit, and -dirty exactly when the tree is
		gh=${got%-dirty}
		if [ ${#gh} -lt 7 ] || [ "${head#"$gh"}" = "$head" ] || [ "${got#"$gh"}" != "$want_dirty" ]; then
			say "[$n] results.json names git '$got', not ${head:0:7}$want_dirty"
			ok=0
		fi ;;
	esac
done <"$work/commands"

awk '/^Start-Date:/ { s = $2 " " $3 } /^End-Date:/ { print s "|" $2 " " $3 }' \
	"$root/var/log/apt/history.log" 2>/dev/null | while IFS='|' read -r a b; do
	echo $(($(date -d "$b" +%s) - $(date -d "$a" +%s)))
done | awk '{ s += $1; n++ } END { printf "dpkg part of the installs: %d s (%d transactions)\n", s, n }' \
	>>"$LOGS/times.txt"
say "logs: $LOGS"
[ $ok = 1 ] || { say "FAILED: the README's commands do not pass as they are on a fresh machine"; exit 1; }
say "the README's commands passed on their first run on a fresh Debian 12 machine"
exit 0
