#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# corpora/build.sh WORKLOAD... - capture real page corpora (as root).
#
# Workloads (each writes corpora/dumps/NAME.pages + NAME.json):
#   python3 gcc sqlite redis postgres node java    running programs, snapshotted
#   files-elf files-text                           file data cut into pages (contrast)
#   all                                            every one of the above
#   default        the shipped corpus: 6000 pages sampled (seed 42) from the seven
#                  program dumps (built first if missing) -> corpora/default.pages.zst
#   default16k     its 16 KiB companion: each of the seven dumps regrouped into 16 KiB
#                  pages (corpus regroup: four address-contiguous 4 KiB pages, aligned),
#                  1500 of them sampled (seed 42) -> corpora/default16k.pages.zst; dumps
#                  without addresses (older snapshots) are built again first
#
# Each program runs from Debian packages with fixed inputs (files of named
# packages, in sorted order), a scrubbed environment (env -i with a fixed
# PATH/LANG/HOME/TZ), ASLR off (setarch -R, last in the exec chain), in a
# fixed work directory /var/tmp/zpb-corpus/NAME that is removed afterwards.
# It is snapshotted when warm (READY line, or an RSS threshold for cc1plus),
# then stopped.  Every dump is checked for the caller's environment, user
# paths and the host name.  Processes and data are cleaned up on failure and
# on SIGINT/SIGTERM too.  Packages missing are installed with apt-get.
#
# Environment: ZPB (zpoolbench binary, default build/zpoolbench),
# ZPB_CORPUS_OUT (output directory, default corpora/dumps).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${ZPB_CORPUS_OUT:-$ROOT/corpora/dumps}
ZPB=${ZPB:-$ROOT/build/zpoolbench}
WL=$ROOT/corpora/workloads
WORKROOT=/var/tmp/zpb-corpus
SAFE_PATH=/usr/sbin:/usr/bin:/sbin:/bin
ARCH=$(uname -m)
# The scrubbed environment every workload starts with.
ENVI="env -i PATH=$SAFE_PATH LANG=C.UTF-8 HOME=/nonexistent TZ=UTC"
NOASLR="setarch $ARCH -R"

PIDS=""
W=""
FD3=""

say() { echo "build.sh: $*" >&2; }
die() { say "$*"; exit 1; }

cleanup() {
	set +e
	[ -n "$FD3" ] && exec 3>&-
	FD3=""
	for p in $PIDS; do
		kill -CONT "$p" 2>/dev/null
		kill -TERM "$p" 2>/dev/null
	done
	sleep 0.5
	for p in $PIDS; do
		kill -0 "$p" 2>/dev/null && sleep 2
		kill -KILL "$p" 2>/dev/null
	done
	PIDS=""
	[ -n "$W" ] && [ -d "$W" ] && rm -rf "$W"
	W=""
}
trap 'cleanup' EXIT
trap 'cleanup; trap - INT; kill -INT $$' INT
trap 'cleanup; trap - TERM; kill -TERM $$' TERM
trap 'cleanup; trap - HUP; kill -HUP $$' HUP

[ "$(id -u)" = 0 ] || die "needs root (snapshots read /proc/PID/pagemap and /proc/kpageflags)"
[ -x "$ZPB" ] || (cd "$ROOT" && make -s) || die "cannot build $ZPB"
mkdir -p "$OUT"

need() { # Debian packages by name
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	say "installing$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing \
		>/dev/null 2>&1 || {
		apt-get update -qq >/dev/null 2>&1
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			$missing >/dev/null
	}
}

pkgargs() { # --package NAME=VERSION for each package
	for p in "$@"; do
		printf -- '--package %s=%s ' "$p" "$(dpkg-query -W -f='${Version}' "$p")"
	done
}

workdir() { # fixed work directory for workload $1, fresh
	W=$WORKROOT/$1
	rm -rf "$W"
	mkdir -p "$W"
	chmod 755 "$WORKROOT" "$W"
}

# The fixed text input: the Python standard library sources of the
# libpython3.11-stdlib package, sorted.
stdlib_list() {
	need libpython3.11-stdlib
	dpkg -L libpython3.11-stdlib | grep '\.py$' | LC_ALL=C sort > "$W/inputs.txt"
}

wait_line() { # FILE PATTERN SECONDS PID
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		kill -0 "$4" 2>/dev/null || { cat "$1" >&2 2>/dev/null; die "workload exited early"; }
		i=$((i + 1))
		[ $i -gt $(($3 * 10)) ] && die "no '$2' in $1 after $3 s"
		sleep 0.1
	done
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# Fail if a dump holds the caller's environment, user paths or the host name.
leak_check() {
	f=$1
	pat=$W/leakpat
	env | awk -F= 'length($0) >= 8 && $1 !~ /^(PATH|LANG|HOME|TZ|PWD|SHLVL|_)$/' > "$pat"
	h=$(hostname)
	[ ${#h} -ge 6 ] && echo "$h" >> "$pat" # shorter names match by chance
	printf '%s\n' /root/ /work/ /home/ "$ROOT" >> "$pat"
	if grep -aF -f "$pat" "$f" | head -c 300 | grep -q .; then
		say "LEAK in $f:"
		grep -aoF -f "$pat" "$f" | sort | uniq -c | head >&2
		rm -f "$f" "${f%.pages}.json"
		die "dump removed; scrub the workload's environment"
	fi
	found=$(strings -n6 "$f" | grep -E '^[A-Z_][A-Z0-9_]*=' |
		grep -vE '^(PATH|LANG|HOME|TZ|PYTHONHASHSEED|PGDATA)=' | sort | uniq -c |
		sort -rn | head -5)
	[ -n "$found" ] && say "note: env-like strings in $(basename "$f") (review):" &&
		echo "$found" >&2
	return 0
}

snap() { # PID NAME COMMAND [snapshot options...]
	pid=$1 name=$2 cmd=$3
	shift 3
	say "$name: snapshot of pid $pid ($(rss_kb "$pid") kB resident)"
	"$ZPB" corpus snapshot --force --pid "$pid" --out "$OUT/$name.pages" --workload "$name" \
		--command "$cmd" "$@"
	leak_check "$OUT/$name.pages"
}

start() { # LOG COMMAND... : background, PID in $pid
	log=$1
	shift
	"$@" > "$log" 2>&1 &
	pid=$!
	PIDS="$PIDS $pid"
}

build_python3() {
	need python3.11 libpython3.11-stdlib
	workdir python3
	stdlib_list
	cp "$WL/python_work.py" "$W/"
	cd "$W"
	cmd="PYTHONHASHSEED=0 python3.11 python_work.py inputs.txt"
	start "$W/log" $ENVI PYTHONHASHSEED=0 $NOASLR /usr/bin/python3.11 python_work.py inputs.txt
	wait_line "$W/log" READY 300 "$pid"
	snap "$pid" python3 "$cmd" $(pkgargs python3.11 libpython3.11-stdlib)
	cd "$ROOT"
	cleanup
}

build_gcc() {
	need g++-12 libstdc++-12-dev python3.11
	workdir gcc
	cd "$W"
	python3.11 "$WL/gen_tu.py" 400 > big.cc
	cmd="g++ -O2 -pipe -c big.cc -o big.o (big.cc = gen_tu.py 400), cc1plus at 250 MB RSS"
	start "$W/log" $ENVI $NOASLR /usr/bin/g++-12 -O2 -pipe -c big.cc -o big.o
	gpid=$pid
	cc1=""
	i=0
	while :; do
		kill -0 "$gpid" 2>/dev/null || die "g++ ended before cc1plus reached 250 MB"
		[ -z "$cc1" ] && cc1=$(pgrep -P "$gpid" -x cc1plus || true)
		if [ -n "$cc1" ] && [ "$(rss_kb "$cc1")" -ge 256000 ]; then
			break
		fi
		i=$((i + 1))
		[ $i -gt 3000 ] && die "cc1plus did not reach 250 MB in 300 s"
		sleep 0.1
	done
	PIDS="$PIDS $cc1"
	snap "$cc1" gcc "$cmd" $(pkgargs g++-12 cpp-12 libstdc++-12-dev)
	cd "$ROOT"
	cleanup
}

build_sqlite() {
	need sqlite3 python3.11 libpython3.11-stdlib
	workdir sqlite
	stdlib_list
	cd "$W"
	python3.11 "$WL/textrows.py" sql inputs.txt > load.sql
	mkfifo in
	cmd="sqlite3 :memory: < load.sql (textrows.py sql of the libpython3.11-stdlib sources) + index + fts5 table + queries"
	start "$W/log" sh -c "exec $ENVI $NOASLR /usr/bin/sqlite3 :memory: < in"
	exec 3> in
	FD3=1
	cat load.sql >&3
	cat >&3 <<-'EOF'
		CREATE INDEX lines_text ON lines(text);
		CREATE VIRTUAL TABLE ft USING fts5(text);
		INSERT INTO ft SELECT text FROM lines;
		SELECT count(*) FROM ft WHERE ft MATCH 'return AND self';
		CREATE TABLE words AS SELECT file, count(*) AS n, max(length(text)) AS longest,
			group_concat(substr(text, 1, 40), ' ') AS sample FROM lines GROUP BY file;
		SELECT count(*), sum(length(text)) FROM lines;
		SELECT count(*) FROM lines WHERE text LIKE '%def %';
		SELECT file, n FROM words ORDER BY n DESC LIMIT 3;
		.print READY
	EOF
	wait_line "$W/log" READY 600 "$pid"
	snap "$pid" sqlite "$cmd" $(pkgargs sqlite3 libsqlite3-0 libpython3.11-stdlib)
	exec 3>&-
	FD3=""
	cd "$ROOT"
	cleanup
}

build_redis() {
	need redis-server redis-tools python3.11 libpython3.11-stdlib
	workdir redis
	stdlib_list
	cd "$W"
	python3.11 "$WL/textrows.py" redis inputs.txt 4 > load.resp
	cmd="redis-server --port 0 --unixsocket sock --save '' --appendonly no; redis-cli --pipe < load.resp (textrows.py redis, 4 rounds)"
	start "$W/log" $ENVI $NOASLR /usr/bin/redis-server --port 0 --unixsocket "$W/sock" \
		--save '' --appendonly no --dir "$W" --daemonize no
	i=0
	until redis-cli -s "$W/sock" ping >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 100 ] && die "redis-server did not answer"
		sleep 0.1
	done
	redis-cli -s "$W/sock" --pipe < load.resp >/dev/null
	snap "$pid" redis "$cmd" $(pkgargs redis-server redis-tools libpython3.11-stdlib)
	cd "$ROOT"
	cleanup
}

build_postgres() {
	need postgresql-15 postgresql-contrib python3.11 libpython3.11-stdlib util-linux
	workdir postgres
	stdlib_list
	python3.11 "$WL/textrows.py" copy "$W/inputs.txt" > "$W/lines.tsv"
	chown -R postgres:postgres "$W"
	bin=/usr/lib/postgresql/15/bin
	as_pg="setpriv --reuid postgres --regid postgres --init-groups"
	cd "$W"
	$ENVI $as_pg $bin/initdb -D "$W/data" -E UTF8 --locale=C.UTF-8 -A trust >/dev/null
	cmd="postgres -c shared_buffers=128MB; pgbench -i -s 10; COPY lines (textrows.py copy); pgbench -S -T 20 -c 2; snapshot of the postmaster with shared memory"
	start "$W/log" $ENVI $as_pg $NOASLR $bin/postgres -D "$W/data" -c listen_addresses= \
		-c unix_socket_directories="$W" -c shared_buffers=128MB -c fsync=off \
		-c huge_pages=off -c logging_collector=off
	i=0
	until $ENVI $as_pg $bin/pg_isready -q -h "$W"; do
		i=$((i + 1))
		[ $i -gt 300 ] && die "postgres did not start"
		sleep 0.1
	done
	psql="$ENVI $as_pg /usr/bin/psql -q -h $W -d postgres -v ON_ERROR_STOP=1"
	$ENVI $as_pg /usr/bin/pgbench -h "$W" -i -s 10 -q postgres >/dev/null 2>&1
	$psql -c "CREATE TABLE lines(file int, n int, text text)"
	$psql -c "\\copy lines FROM '$W/lines.tsv'"
	$psql -c "CREATE INDEX ON lines(text)" -c "SELECT count(*) FROM lines" >/dev/null
	$ENVI $as_pg /usr/bin/pgbench -h "$W" -S -T 20 -c 2 postgres >/dev/null 2>&1
	snap "$pid" postgres "$cmd" --shared $(pkgargs postgresql-15 libpython3.11-stdlib)
	$ENVI $as_pg $bin/pg_ctl -D "$W/data" -m fast stop >/dev/null 2>&1 || true
	cd "$ROOT"
	cleanup
}

build_node() {
	need nodejs libpython3.11-stdlib
	workdir node
	stdlib_list
	cp "$WL/node_work.js" "$W/"
	cd "$W"
	cmd="node --random-seed=42 --hash-seed=42 --single-threaded node_work.js inputs.txt"
	start "$W/log" $ENVI $NOASLR /usr/bin/node --random-seed=42 --hash-seed=42 \
		--single-threaded --max-old-space-size=1024 node_work.js inputs.txt
	wait_line "$W/log" READY 300 "$pid"
	snap "$pid" node "$cmd" $(pkgargs nodejs libpython3.11-stdlib)
	cd "$ROOT"
	cleanup
}

build_java() {
	need openjdk-17-jdk-headless libpython3.11-stdlib
	workdir java
	stdlib_list
	cp "$WL/Work.java" "$W/"
	cd "$W"
	$ENVI /usr/bin/javac -d "$W" Work.java
	jopts="-Xms512m -Xmx512m -XX:+UseSerialGC -Xbatch -XX:CICompilerCount=2 -XX:-UseDynamicNumberOfCompilerThreads -XX:-UsePerfData"
	cmd="java $jopts -cp . Work inputs.txt"
	start "$W/log" $ENVI $NOASLR /usr/bin/java $jopts -cp "$W" Work inputs.txt
	wait_line "$W/log" READY 300 "$pid"
	snap "$pid" java "$cmd" $(pkgargs openjdk-17-jdk-headless openjdk-17-jre-headless libpython3.11-stdlib)
	cd "$ROOT"
	cleanup
}

build_files_elf() {
	need coreutils binutils
	workdir files-elf
	dpkg -L coreutils binutils | grep -E '^/usr/bin/' | LC_ALL=C sort |
		while read -r f; do [ -f "$f" ] && [ ! -L "$f" ] && echo "$f"; done > "$W/list"
	"$ZPB" corpus pack --force --out "$OUT/files-elf.pages" --workload files-elf \
		--command "the regular files under /usr/bin of coreutils and binutils, sorted" \
		$(pkgargs coreutils binutils) < "$W/list"
	cleanup
}

build_files_text() {
	workdir files-text
	stdlib_list
	"$ZPB" corpus pack --force --out "$OUT/files-text.pages" --workload files-text \
		--command "the .py files of libpython3.11-stdlib, sorted" \
		$(pkgargs libpython3.11-stdlib) < "$W/inputs.txt"
	cleanup
}

PROGRAMS="python3 gcc sqlite redis postgres node java"

build_default() {
	need zstd
	for w in $PROGRAMS; do
		[ -f "$OUT/$w.pages" ] || build_one "$w"
	done
	from=""
	for w in $PROGRAMS; do
		from="$from --from $OUT/$w.pages"
	done
	"$ZPB" corpus sample --force $from --pages 6000 --seed 42 --workload default-mix \
		--out "$ROOT/corpora/default.pages"
	leak_check_default "$ROOT/corpora/default.pages"
	rm -f "$ROOT/corpora/default.pages.zst"
	zstd -q -19 --rm "$ROOT/corpora/default.pages" -o "$ROOT/corpora/default.pages.zst"
	"$ZPB" corpus info "$ROOT/corpora/default.pages.zst" >&2
}

leak_check_default() { # CORPUS
	workdir default
	leak_check "$1"
	cleanup
}

# The 16 KiB companion of the default corpus: the same seven programs, each
# dump regrouped into 16 KiB pages (which needs the addresses a snapshot
# records), 1500 pages (the bytes of 6000 4 KiB pages) sampled with seed 42.
build_default16k() {
	need zstd
	for w in $PROGRAMS; do
		if [ ! -f "$OUT/$w.pages" ] || ! grep -q '"address_extents"' "$OUT/$w.json"; then
			build_one "$w"
		fi
	done
	from=""
	for w in $PROGRAMS; do
		"$ZPB" corpus regroup --force --from "$OUT/$w.pages" --page 16384 \
			--out "$OUT/$w-16k.pages"
		from="$from --from $OUT/$w-16k.pages"
	done
	"$ZPB" corpus sample --force $from --pages 1500 --seed 42 --workload default-mix-16k \
		--out "$ROOT/corpora/default16k.pages"
	leak_check_default "$ROOT/corpora/default16k.pages"
	rm -f "$ROOT/corpora/default16k.pages.zst"
	zstd -q -19 --rm "$ROOT/corpora/default16k.pages" -o "$ROOT/corpora/default16k.pages.zst"
	"$ZPB" corpus info "$ROOT/corpora/default16k.pages.zst" >&2
}

build_one() {
	case "$1" in
	python3) build_python3 ;;
	gcc) build_gcc ;;
	sqlite) build_sqlite ;;
	redis) build_redis ;;
	postgres) build_postgres ;;
	node) build_node ;;
	java) build_java ;;
	files-elf) build_files_elf ;;
	files-text) build_files_text ;;
	default) build_default ;;
	default16k) build_default16k ;;
	all) for w in $PROGRAMS files-elf files-text; do build_one "$w"; done ;;
	*) die "unknown workload '$1'; one of: $PROGRAMS files-elf files-text all default default16k" ;;
	esac
}

[ $# -ge 1 ] || die "usage: corpora/build.sh WORKLOAD... (one of: $PROGRAMS files-elf files-text all default default16k)"
for w in "$@"; do
	build_one "$w"
done
