#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make install into a DESTDIR under /tmp (never into /usr or /usr/local on
# the machine), then the staged tree moved to another prefix, as a whole:
# the installed binary runs, finds its plot scripts, corpus, oracle scripts
# and helper beside itself (not in this source tree, not from a variable),
# draws the figures of a run, says why and fails when it cannot (exit 0
# with --no-plots); the manual page renders; the completion loads and
# completes; make uninstall leaves no file behind.
set -u
BUILD=${BUILD:-build}
top=$PWD
d=$(mktemp -d /tmp/zpb-install.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
stage=$d/stage
prefix=/usr/local

case "$stage" in /tmp/*) ;; *) fail "the staging folder $stage is not under /tmp" ;; esac
# make from a test that make runs: its variables (BUILD, SAN, ...) come with MAKEFLAGS
make -s -C "$top" install BUILD="$BUILD" PREFIX="$prefix" DESTDIR="$stage" > "$d/install.log" 2>&1 ||
	fail "make install: $(tail -n 5 "$d/install.log")"
root=$stage$prefix
for f in bin/zpoolbench share/man/man1/zpoolbench.1 share/bash-completion/completions/zpoolbench \
	share/zpoolbench/plots/tradeoff.gp share/zpoolbench/plots/common.gp \
	share/zpoolbench/oracle/qemu-oracle.sh share/zpoolbench/oracle/kmod/zpb_oracle.c \
	share/zpoolbench/oracle/guest/zpbo_run.c share/zpoolbench/scripts/deps.sh \
	share/zpoolbench/corpora/default.pages.zst share/zpoolbench/corpora/default.json \
	share/doc/zpoolbench/README.md; do
	[ -f "$root/$f" ] || fail "make install did not install $f"
done
[ -x "$root/bin/zpoolbench" ] && [ -x "$root/share/zpoolbench/oracle/qemu-oracle.sh" ] || fail "not executable"
if [ -x "$BUILD/zpb-capture" ]; then
	[ -x "$root/libexec/zpoolbench/zpb-capture" ] || fail "zpb-capture was built but not installed"
fi
# nothing outside PREFIX
[ "$(ls -A "$stage")" = usr ] && [ "$(ls -A "$stage/usr")" = local ] || fail "files outside PREFIX: $(ls -R "$stage" | head)"
find "$root" -type f | sed "s|^$root/||" | sort > "$d/installed"

# move the whole tree to another prefix
moved=$d/elsewhere/opt
mkdir -p "$d/elsewhere"
mv "$root" "$moved"
B=$moved/bin/zpoolbench
mkdir "$d/cwd"
cd "$d/cwd" # no plots/ or corpora/ here, and no ZPB_PLOTS
unset ZPB_PLOTS ZPB_ORACLE_DIR

"$B" -V | grep -Eq '^zpoolbench [0-9.]+ ' || fail "the installed binary does not run"
"$B" list > /dev/null || fail "list"

# the bundled corpus: bench's default input, named when run lacks --corpus
"$B" bench --quick --alloc zbud > bench.out 2> bench.err || fail "bench --quick: $(cat bench.err)"
grep -q "pages of $moved/share/zpoolbench/corpora/default.pages.zst " bench.out ||
	fail "bench did not take the installed corpus: $(head -n 2 bench.out)"
"$B" run --alloc zbud --out r0 2> run0.err
grep -q "the bundled one is $moved/share/zpoolbench/corpora/default.pages.zst" run0.err ||
	fail "run without --corpus: $(cat run0.err)"

zstd -qdc "$moved/share/zpoolbench/corpora/default.pages.zst" | head -c 65536 > c.pages
R="--corpus c.pages --alloc zbud --codec lz4 --ccache off --quiet"
if command -v gnuplot > /dev/null; then
	"$B" run $R --out r1 2> r1.err || fail "installed run: $(cat r1.err)"
	for fig in tradeoff sizes churn latency; do
		[ -s "r1/$fig.png" ] && [ -s "r1/$fig.svg" ] || fail "the installed run drew no $fig"
	done
	# gnuplot missing from PATH: the run says why and fails; --no-plots succeeds
	mkdir bin
	for t in zstd sh; do ln -s "$(command -v $t)" bin/$t; done
	PATH=$d/cwd/bin "$B" run $R --out r2 2> r2.err && fail "a run without gnuplot exited 0"
	grep -q "plots not drawn: cannot run gnuplot .*--no-plots" r2.err || fail "no reason given: $(cat r2.err)"
	[ -s r2/results.csv ] || fail "the results of a run without gnuplot are lost"
	PATH=$d/cwd/bin "$B" run $R --out r3 --no-plots 2> r3.err || fail "--no-plots failed: $(cat r3.err)"
else
	echo "note: gnuplot is not installed: the figures of an installed run are not checked"
fi
# without the plot scripts: the message names the places looked in (the moved tree)
mv "$moved/share/zpoolbench/plots" "$d/plots.away"
"$B" run $R --out r4 2> r4.err && fail "a run without plot scripts exited 0"
grep -q "are not in $moved/share/zpoolbench/plots or $moved/plots" r4.err ||
	fail "missing scripts: $(cat r4.err)"
"$B" run $R --out r5 --no-plots 2> r5.err || fail "--no-plots without scripts: $(cat r5.err)"
mv "$d/plots.away" "$moved/share/zpoolbench/plots"

# the oracle's scripts and the capture helper are looked for in the moved tree
printf '# zpoolbench-trace v1\na 1 100\nf 1\n' > t.trace
mv "$moved/share/zpoolbench/oracle" "$d/oracle.away"
"$B" oracle qemu --trace t.trace --alloc zbud 2> oq.err && fail "oracle qemu without its scripts exited 0"
grep -q "qemu-oracle.sh is not in $moved/share/zpoolbench/oracle or $moved/bench/kernel/oracle;" oq.err || fail "oracle qemu: $(cat oq.err)"
mv "$d/oracle.away" "$moved/share/zpoolbench/oracle"
if [ "$(id -u)" = 0 ]; then
	[ -e "$moved/libexec/zpoolbench/zpb-capture" ] && mv "$moved/libexec/zpoolbench/zpb-capture" "$d/cap.away"
	"$B" capture --device zram0 2> cap.err && fail "capture without zpb-capture exited 0"
	grep -q "zpb-capture is not in $moved/bin/zpb-capture or $moved/libexec/zpoolbench/zpb-capture:" cap.err ||
		fail "capture: $(cat cap.err)"
	[ -e "$d/cap.away" ] && mv "$d/cap.away" "$moved/libexec/zpoolbench/zpb-capture"
fi
# the installed oracle script finds the installed deps.sh (it runs it as root)
grep -q 'deps=$here/../scripts/deps.sh' "$moved/share/zpoolbench/oracle/qemu-oracle.sh" || fail "qemu-oracle.sh: deps.sh"

# the manual page renders, without warnings
if command -v groff > /dev/null; then
	groff -man -Tutf8 -ww -z "$moved/share/man/man1/zpoolbench.1" 2> man.warn || fail "groff failed"
	[ ! -s man.warn ] || fail "groff warns: $(head -n 3 man.warn)"
else
	echo "note: groff is not installed (scripts/deps.sh test): the manual page is not rendered"
fi
if command -v man > /dev/null; then
	MANWIDTH=80 man -l "$moved/share/man/man1/zpoolbench.1" 2> /dev/null > man.txt
	grep -q "^EXIT STATUS" man.txt && grep -q "ENVIRONMENT" man.txt || fail "man -l rendered no page"
fi

# the completion loads and completes
bash -c '
	source "$1"
	complete -p zpoolbench | grep -qx "complete -F _zpoolbench zpoolbench" || exit 1
	COMP_LINE="zpoolbench run --alloc zsmalloc:ch"; COMP_POINT=${#COMP_LINE}
	COMP_WORDS=(zpoolbench run --alloc zsmalloc : ch); COMP_CWORD=5
	_zpoolbench
	[ "${COMPREPLY[*]}" = "chain=" ] || { echo "got ${COMPREPLY[*]}"; exit 1; }
' sh "$moved/share/bash-completion/completions/zpoolbench" || fail "the installed completion does not work"

# back where it was installed, then uninstall: no file left, our folders gone
cd "$top"
mv "$moved" "$root"
make -s -C "$top" uninstall BUILD="$BUILD" PREFIX="$prefix" DESTDIR="$stage" > "$d/uninstall.log" 2>&1 ||
	fail "make uninstall: $(tail -n 5 "$d/uninstall.log")"
left=$(find "$stage" ! -type d)
[ -z "$left" ] || fail "make uninstall left files: $left"
for dir in share/zpoolbench libexec/zpoolbench share/doc/zpoolbench; do
	[ ! -e "$root/$dir" ] || fail "make uninstall left $dir"
done
# and a file of someone else's in our folder is kept, with a note
make -s -C "$top" install BUILD="$BUILD" PREFIX="$prefix" DESTDIR="$stage" > /dev/null 2>&1 || fail "reinstall"
echo mine > "$root/share/zpoolbench/corpora/mine.pages"
make -s -C "$top" uninstall BUILD="$BUILD" PREFIX="$prefix" DESTDIR="$stage" > "$d/un2.log" 2>&1 || fail "uninstall 2"
[ "$(cat "$root/share/zpoolbench/corpora/mine.pages")" = mine ] || fail "uninstall removed a file it did not install"
grep -q "kept $root/share/zpoolbench/corpora" "$d/un2.log" || fail "no note of the kept folder: $(cat "$d/un2.log")"
[ "$(find "$stage" -type f)" = "$root/share/zpoolbench/corpora/mine.pages" ] || fail "uninstall 2 left: $(find "$stage" -type f)"
echo "installed: $(wc -l < "$d/installed") files; install ok"
