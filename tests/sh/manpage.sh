#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The manual page, zpoolbench(1): the one `make` built is what `help --man`
# writes now; groff finds nothing to warn about; every option of every
# command in `help --options` is in that command's section (and every
# command's usage line in the synopsis); every environment variable the
# sources read is under ENVIRONMENT; every allocator is under ALLOCATORS;
# the fixed sections are there.  And -V/--version on every command and group.
set -u
ZPB=${ZPB:-build/zpoolbench}
BUILD=${BUILD:-build}
d=$(mktemp -d /tmp/zpb-man.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v groff > /dev/null || { echo "groff is not installed (apt-get install groff-base)"; exit 77; }

"$ZPB" help --man > "$d/zpoolbench.1" || fail "help --man failed"
cmp -s "$d/zpoolbench.1" "$BUILD/zpoolbench.1" || fail "$BUILD/zpoolbench.1 is not what 'help --man' writes"
groff -man -Tutf8 -ww -z "$d/zpoolbench.1" 2> "$d/warn" || fail "groff failed"
[ ! -s "$d/warn" ] || fail "groff warns: $(head -n 5 "$d/warn")"
# at 80 columns too (man(1)'s width): no line groff cannot break
groff -man -Tutf8 -ww -rLL=80n -z "$d/zpoolbench.1" 2> "$d/warn80"
[ ! -s "$d/warn80" ] || fail "groff warns at 80 columns: $(head -n 5 "$d/warn80")"
# rendered wide, so that nothing wraps; hyphens stay ASCII (\- is a hyphen-minus in utf8)
groff -man -Tutf8 -rLL=250n "$d/zpoolbench.1" 2> /dev/null | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g' > "$d/page"
[ -s "$d/page" ] || fail "the page renders empty"

for s in NAME SYNOPSIS DESCRIPTION COMMANDS ALLOCATORS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
	grep -q "^$s\$" "$d/page" || fail "no section $s"
done

# the section of command CMD: from "   CMD" to the next subsection or section
section() {
	awk -v c="$1" '$0 == "   " c { on = 1; next } on && /^(   )?[^ ]/ { exit } on' "$d/page"
}
"$ZPB" help --options > "$d/options" || fail "help --options failed"
cut -f1 "$d/options" | sort -u > "$d/cmds"
[ "$(wc -l < "$d/cmds")" -ge 13 ] || fail "too few commands in help --options"
while read -r cmd; do
	section "$cmd" > "$d/sec"
	[ -s "$d/sec" ] || fail "no section for command '$cmd'"
	grep -F -q -- "zpoolbench $cmd " "$d/page" || fail "'$cmd' has no usage line"
	awk -F'\t' -v c="$cmd" '$1 == c && $4 != "operand" { print $2; if ($3 != "") print $3 }' \
		"$d/options" > "$d/opts"
	while read -r o; do
		grep -E -q -- "^ +(-[a-zA-Z], )?$o( |,|\$)" "$d/sec" || fail "$cmd $o is not in its section of the page"
	done < "$d/opts"
	# and the page names no option the table does not have
	grep -Eo -- '^       (-[a-zA-Z], )?--[a-z0-9-]+' "$d/sec" | sed 's/.*--/--/' | while read -r o; do
		grep -q -- "^$o\$" "$d/opts" || fail "$cmd: the page lists $o, which the table lacks"
	done || exit 1
	# -V and --version, whatever follows
	for v in -V --version; do
		out=$("$ZPB" $cmd $v --no-such-option 2> "$d/verr") || fail "$cmd $v failed: $(cat "$d/verr")"
		echo "$out" | grep -Eq '^zpoolbench [0-9.]+ \(.+\)$' || fail "$cmd $v printed '$out'"
		[ ! -s "$d/verr" ] || fail "$cmd $v wrote to stderr"
	done
done < "$d/cmds"
for g in corpus oracle; do
	"$ZPB" $g --version | grep -Eq '^zpoolbench [0-9.]+ ' || fail "$g --version"
done

# every variable the program and the scripts it runs read is under ENVIRONMENT
awk '/^ENVIRONMENT$/ { on = 1; next } /^[A-Z]/ { on = 0 } on' "$d/page" > "$d/env"
{
	grep -rhoE 'getenv\("[A-Z_0-9]+"\)' bench allocators | sed 's/getenv("\(.*\)")/\1/'
	grep -hoE '\$\{?(ZPB|ZPOOLBENCH)_[A-Z0-9_]+' bench/kernel/oracle/qemu-oracle.sh | tr -d '${'
} | sort -u > "$d/vars"
[ "$(wc -l < "$d/vars")" -ge 10 ] || fail "found too few variables in the sources: $(cat "$d/vars")"
while read -r v; do
	grep -Eq "^       ([A-Z_0-9]+, )*$v(,| |\$)" "$d/env" || fail "ENVIRONMENT does not name $v"
done < "$d/vars"

# every allocator of the registry
"$ZPB" list --format csv | awk -F, 'NR > 1 && $2 == "" { print $1 }' | while read -r a; do
	awk '/^ALLOCATORS$/ { on = 1; next } /^[A-Z]/ { on = 0 } on' "$d/page" | grep -q "^   $a\$" ||
		fail "ALLOCATORS lacks $a"
done || exit 1
# exit statuses 0, 1 and 2
for s in 0 1 2; do
	awk '/^EXIT STATUS$/ { on = 1; next } /^[A-Z]/ { on = 0 } on' "$d/page" | grep -Eq "^       $s +[A-Z]" ||
		fail "EXIT STATUS lacks $s"
done
# man(1) renders it, if installed
if command -v man > /dev/null; then
	MANWIDTH=80 man -l "$d/zpoolbench.1" 2> "$d/manerr" | grep -q "EXIT STATUS" || fail "man -l: $(cat "$d/manerr")"
fi
echo "manual page ok"
