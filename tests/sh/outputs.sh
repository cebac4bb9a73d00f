#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# outputs.sh - never clobber, for EVERY command that writes a file: each
# output option that `zpoolbench help --options` lists (flag "out"; a new
# command or option is picked up from there) is given a FIFO, a device node
# made here with mknod (root), a symbolic link, an existing file without
# --force and, with --force, the command's own input.  Each must be refused
# with one line and exit status 1 before any work, and leave the path as it
# was.  Results folders (flag "outdir") get a FIFO, a file, a link and an
# existing folder without --force.  The device node is our own, in a
# temporary folder: /dev is never touched.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-outputs.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$ZPB" help --options > "$d/options" || fail "no option table ('zpoolbench help --options')"
page() { awk 'BEGIN { for (i = 0; i < 64; i++) printf "%063d\n", i }'; }
{ page; page; page; } > "$d/c.pages"
printf '# zpoolbench-trace v1\na 1 100\nf 1\n' > "$d/t.trace"
echo "$d/c.pages" > "$d/list"
# a results folder, the input of compare and report
"$ZPB" run --corpus "$d/c.pages" --alloc zbud --codec lz4 --workload fill --no-plots --quiet \
	--out "$d/r0" || fail "no results folder for compare and report"

# A command line that passes the option parser, for each command that writes
# files; every output option is then replaced by the case under test.
base() {
	case $1 in
	replay) echo "--trace $d/t.trace --alloc zbud" ;;
	scale) echo "--corpus $d/c.pages --alloc zbud --repeat 1" ;;
	"corpus sample") echo "--from $d/c.pages --pages 1 --seed 1" ;;
	"corpus regroup") echo "--from $d/c.pages --page 4096" ;;
	"corpus pack") echo "" ;;
	"corpus snapshot") echo "--pid $$" ;;
	"oracle zram") echo "--corpus $d/c.pages" ;;
	"oracle qemu") echo "--trace $d/t.trace --alloc zbud" ;;
	capture) echo "--device zram0" ;;
	run | sweep) echo "--corpus $d/c.pages --alloc zbud --no-plots" ;;
	compare) echo "$d/r0 $d/r0 --no-plots" ;;
	report) echo "$d/r0 --no-plots" ;;
	*) return 1 ;;
	esac
}

# The outputs of a command other than @2, at fresh paths (oracle zram needs two).
others() {
	awk -F '\t' -v c="$1" -v o="$2" '$1 == c && $2 != o && $6 ~ /(^|,)required(,|$)/ &&
		$6 ~ /(^|,)out(,|$)/ { printf "%s %s ", $2, "'"$d"'/fresh" NR ".pages" }' "$d/options"
}

# The first input file option of a command and its value in base(), or nothing.
input_of() {
	prev=
	for w in $(base "$1"); do
		case $prev in --trace | --corpus | --from) echo "$w"; return ;; esac
		prev=$w
	done
}

# expect CMD DESC PATTERN WORDS...: exit 1, one stderr line with PATTERN
expect() {
	cmd=$1 desc=$2 pat=$3
	shift 3
	# shellcheck disable=SC2086
	if [ "$cmd" = "corpus pack" ]; then
		"$ZPB" $cmd "$@" < "$d/list" > "$d/stdout" 2> "$d/stderr"
	else
		"$ZPB" $cmd "$@" < /dev/null > "$d/stdout" 2> "$d/stderr"
	fi
	rc=$?
	[ $rc -eq 1 ] || fail "$cmd $desc: exit $rc, expected 1: $(cat "$d/stderr")"
	[ "$(wc -l < "$d/stderr")" -eq 1 ] || fail "$cmd $desc: not one line: $(cat "$d/stderr")"
	grep -q -- "$pat" "$d/stderr" || fail "$cmd $desc: '$(cat "$d/stderr")' lacks '$pat'"
	ls "$d" | grep -q '\.tmp\.' && fail "$cmd $desc: left $(ls "$d" | grep '\.tmp\.')"
	echo "ok   $cmd $desc: $(cat "$d/stderr")"
}

n=0
outputs=$(awk -F '\t' '$6 ~ /(^|,)out(,|$)/ { print $1 "|" $2 }' "$d/options")
[ -n "$outputs" ] || fail "no output option in the table"
IFS_SAVE=$IFS
for co in $(echo "$outputs" | tr ' ' '^'); do
	cmd=$(echo "${co%%|*}" | tr '^' ' ')
	opt=${co#*|}
	args=$(base "$cmd") || fail "$cmd writes $opt: add a command line for it to base() here"
	more=$(others "$cmd" "$opt")
	p="$d/x.pages"
	rm -rf "$p" "$d/x.json" "$d/target"

	mkfifo "$p"
	# shellcheck disable=SC2086
	expect "$cmd" "$opt FIFO" "$opt $p: is a FIFO, not a regular file" $args $more "$opt" "$p"
	[ -p "$p" ] || fail "$cmd $opt: the FIFO was replaced"
	rm -f "$p"

	if [ "$(id -u)" = 0 ]; then
		mknod "$p" c 1 3 || fail "mknod"
		# shellcheck disable=SC2086
		expect "$cmd" "$opt device" "$opt $p: is a character device, not a regular file" \
			$args $more "$opt" "$p" --force
		[ -c "$p" ] || fail "$cmd $opt: the device node was replaced"
		rm -f "$p"
	fi

	echo keep > "$d/target"
	ln -s "$d/target" "$p"
	# shellcheck disable=SC2086
	expect "$cmd" "$opt link" "$opt $p: is a symbolic link, not a regular file" \
		$args $more "$opt" "$p" --force
	[ -L "$p" ] && [ "$(cat "$d/target")" = keep ] || fail "$cmd $opt: the link or its file changed"
	rm -f "$p"

	echo keep > "$p"
	# shellcheck disable=SC2086
	expect "$cmd" "$opt existing" "$opt $p: exists; use --force to replace it" $args $more "$opt" "$p"
	[ "$(cat "$p")" = keep ] || fail "$cmd $opt: the existing file changed"
	rm -f "$p"

	if awk -F '\t' -v c="$cmd" -v o="$opt" '$1 == c && $2 == o && $6 ~ /corpus/ { f = 1 } END { exit !f }' \
		"$d/options"; then
		echo keep > "$d/x.json"
		# shellcheck disable=SC2086
		expect "$cmd" "$opt manifest" "$opt (manifest) $d/x.json: exists; use --force" \
			$args $more "$opt" "$p"
		[ "$(cat "$d/x.json")" = keep ] || fail "$cmd $opt: the manifest changed"
		rm -f "$d/x.json"
	fi

	in=$(input_of "$cmd")
	if [ -n "$in" ]; then
		cp "$in" "$d/in.copy"
		# shellcheck disable=SC2086
		expect "$cmd" "$opt is the input" "$opt $in: is the same file as" \
			$args $more "$opt" "$in" --force
		cmp -s "$in" "$d/in.copy" || fail "$cmd $opt: the input changed"
	fi
	n=$((n + 1))
done
IFS=$IFS_SAVE

for cmd in $(awk -F '\t' '$6 ~ /outdir/ { print $1 }' "$d/options"); do
	args=$(base "$cmd") || fail "$cmd writes a folder: add a command line for it to base() here"
	p="$d/res"
	mkfifo "$p"
	# shellcheck disable=SC2086
	expect "$cmd" "--out FIFO" "--out $p: exists and is not a folder" $args --out "$p" --force
	[ -p "$p" ] || fail "$cmd: the FIFO was replaced"
	rm -f "$p"
	echo keep > "$p"
	# shellcheck disable=SC2086
	expect "$cmd" "--out file" "--out $p: exists and is not a folder" $args --out "$p" --force
	[ "$(cat "$p")" = keep ] || fail "$cmd: the file changed"
	rm -f "$p"
	mkdir "$d/real"
	ln -s "$d/real" "$p"
	# shellcheck disable=SC2086
	expect "$cmd" "--out link" "--out $p: is a symbolic link, not a folder" $args --out "$p" --force
	[ -L "$p" ] || fail "$cmd: the link was replaced"
	rm -f "$p"
	rmdir "$d/real"
	mkdir "$p"
	# shellcheck disable=SC2086
	expect "$cmd" "--out existing" "--out $p: exists; use --force to replace it" $args --out "$p"
	[ -d "$p" ] && [ -z "$(ls -A "$p")" ] || fail "$cmd: the folder changed"
	rmdir "$p"
	n=$((n + 1))
done
# one path for two outputs
expect "oracle zram" "one path twice" "--trajectory $d/same: is also --trace; give each output its own path" \
	--corpus "$d/c.pages" --trace "$d/same" --trajectory "$d/same"
[ ! -e "$d/same" ] || fail "oracle zram: wrote $d/same"
[ $n -ge 13 ] || fail "only $n outputs in the table; expected every command's"
echo "all $n outputs of every command refuse to clobber"
