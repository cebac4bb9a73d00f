#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# corpus_info: the table of a 4-page fixture (2 zero pages, 1 byte-filled,
# 1 random) in json and text, and the one-line errors of the corpus commands.
set -u
: "${ZPB:?}"
T=/tmp/zpb-test-corpus-info.$$
rm -rf "$T"
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

python3 - "$T/fx.pages" <<'PY' || fail "python3 fixture"
import random, sys
r = random.Random(1)
data = bytes(4096) + bytes([0xAB]) * 4096 + bytes(4096) + bytes(r.getrandbits(8) for _ in range(4096))
open(sys.argv[1], "wb").write(data)
PY

"$ZPB" corpus info "$T/fx.pages" --codec lz4,zstd:3,lzo --format json > "$T/out.json" ||
	fail "corpus info json"
python3 - "$T/out.json" <<'PY' || fail "json figures"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["pages"] == 4, j
assert j["zero_pages"] == 2, j
assert j["same_filled_pages"] == 3, j
assert [c["codec"] for c in j["codecs"]] == ["lz4:1", "zstd:3", "lzo"], j
for c in j["codecs"]:
    # the random page is the only large one; zram stores it whole, the others cost nothing
    assert c["pages_huge_3625"] == 1 and c["pages_over_2990"] == 1 and c["pages_over_70pct"] == 1, c
    assert c["zram_compr_bytes"] == 4096, c
    assert c["max"] > 4096 and c["p90"] == c["max"] and c["p50"] < 100, c
    assert c["pages_over_4096"] == 1, c
    assert abs(c["ratio"] - 4 * 4096 / c["compressed_bytes"]) < 1e-3, c
    assert abs(c["zram_ratio"] - 4.0) < 1e-9, c
PY

"$ZPB" corpus info "$T/fx.pages" --codec lz4 > "$T/out.txt" || fail "corpus info text"
grep -q '^pages        4 (0.0 MiB)$' "$T/out.txt" || fail "pages line: $(cat "$T/out.txt")"
grep -q '^zero          50.00 %$' "$T/out.txt" || fail "zero line"
grep -q '^same-filled   75.00 % (zero included)$' "$T/out.txt" || fail "same-filled line"
grep -q '^lz4:1 .* 25.00%  25.00%  25.00%  25.00% ' "$T/out.txt" || fail "lz4 row: $(grep lz4 "$T/out.txt")"

# errors: one line, naming the problem, non-zero exit, nothing on stdout
check_err() { # EXPECTED-STATUS EXPECTED-STDERR ARGS...
	want_rc=$1 want=$2
	shift 2
	"$ZPB" "$@" > "$T/o" 2> "$T/e"
	rc=$?
	[ "$rc" = "$want_rc" ] || fail "$*: exit $rc, expected $want_rc"
	[ "$(cat "$T/e")" = "$want" ] || fail "$*: stderr '$(cat "$T/e")', expected '$want'"
	[ -s "$T/o" ] && fail "$*: wrote to stdout"
	return 0
}
check_err 1 "zpoolbench: $T/none.pages: no such corpus file" corpus info "$T/none.pages"
check_err 1 "zpoolbench: $T: is a directory; give a page file (NAME.pages or NAME.pages.zst)" \
	corpus info "$T"
head -c 5000 "$T/fx.pages" > "$T/cut.pages"
check_err 1 "zpoolbench: $T/cut.pages: 5000 bytes is not a whole number of 4096-byte pages (1 pages + 904 bytes); truncated, or not a page file" \
	corpus info "$T/cut.pages"
zstd -q -c "$T/fx.pages" | head -c 100 > "$T/cut.pages.zst"
check_err 1 "zpoolbench: $T/cut.pages.zst: truncated zstd data (the last frame is incomplete after 100 bytes); the file was cut short, rebuild or re-fetch it" \
	corpus info "$T/cut.pages.zst"
valid=$("$ZPB" corpus info --codec lz5 "$T/fx.pages" 2>&1 | sed -n 's/.*valid: //p')
[ -n "$valid" ] || fail "bad codec message lists no valid codecs"
check_err 2 "zpoolbench: corpus info: --codec: unknown codec 'lz5'; valid: $valid" \
	corpus info "$T/fx.pages" --codec lz5
check_err 2 "zpoolbench: corpus info: --format: 'xml' is not one of table, csv, json" \
	corpus info "$T/fx.pages" --format xml
check_err 2 "zpoolbench: corpus info: give one FILE; see 'zpoolbench corpus info --help'" \
	corpus info
check_err 2 "zpoolbench: corpus info: --codec given twice; give it once" \
	corpus info --codec lz4 --codec lz5 "$T/fx.pages"

# CSV: a header and one row per codec, the same figures as the JSON
"$ZPB" corpus info "$T/fx.pages" --codec lz4,zstd:3 --format csv > "$T/out.csv" || fail "corpus info csv"
python3 - "$T/out.csv" "$T/out.json" <<'PY' || fail "csv figures"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
j = {c["codec"]: c for c in json.load(open(sys.argv[2]))["codecs"]}
assert [r["codec"] for r in rows] == ["lz4:1", "zstd:3"], rows
for r in rows:
    assert r["corpus"] == "fx" and r["pages"] == "4" and r["same_filled_pages"] == "3", r
    assert int(r["compressed_bytes"]) == j[r["codec"]]["compressed_bytes"], r
PY
"$ZPB" corpus info "$T/fx.pages" --codec lz4 --format text > "$T/out2.txt" || fail "--format text"
# the same table but for the last column, MB/s, which is measured
[ "$(awk '{ $NF = ""; print }' "$T/out.txt")" = "$(awk '{ $NF = ""; print }' "$T/out2.txt")" ] ||
	fail "--format text is not the table"

# a manifest that does not match
cp "$T/fx.pages" "$T/m.pages"
printf '{"format_version": 1, "page_size": 4096, "pages": 5, "sha256": "%s"}\n' \
	"$(sha256sum "$T/fx.pages" | cut -d' ' -f1)" > "$T/m.json"
check_err 1 "zpoolbench: $T/m.json: says 5 pages but the corpus holds 4; the manifest belongs to another file" \
	corpus info "$T/m.pages"
printf '{"format_version": 1, "page_size": 4096, "pages": 4, "sha256": "%s"}\n' \
	"$(sha256sum "$T/fx.pages" | cut -d' ' -f1)" > "$T/m.json"
"$ZPB" corpus info "$T/m.pages" > /dev/null || fail "matching manifest refused"
echo "corpus info ok"
