#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# zpoolbench compare: rows matched by corpus sha256, codec, allocator, workload,
# front end and objects; densities exact; rates over every repeat; verdicts;
# rows on one side only; provenance differences first; the gate's exit status
# (0 pass, 1 fail, 2 usage or input error); --format csv|json; --out.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-compare.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed to read the JSON"; exit 77; }

zstd -qdc corpora/default.pages.zst | head -c $((4096 * 600)) > "$d/c.pages"
run() { # OUT ALLOCS [more options]
	out=$1 allocs=$2
	shift 2
	"$ZPB" run --corpus "$d/c.pages" --alloc "$allocs" --codec lz4 --repeat 5 --ccache "$d/cc" \
		--no-plots --quiet --out "$d/$out" "$@" || fail "run $out"
}
run a 'zsmalloc:chain={8,16},zbud'
run b 'zsmalloc:chain={8,16},z3fold'

# the same settings: densities and pool pages exactly the same, rates tested
"$ZPB" compare "$d/a" "$d/b" --max-density-drop 0 > "$d/ab" 2> "$d/ab.err" || fail "a vs b: $(cat "$d/ab.err")"
grep -q "^compare $d/a (BASE) with $d/b (NEW): 9 rows matched, 3 only in BASE, 3 only in NEW$" "$d/ab" ||
	fail "header: $(head -n 1 "$d/ab")"
grep -q "^only in BASE: c lz4:1 zbud fill" "$d/ab" || fail "zbud not listed as only in BASE"
grep -q "^only in NEW:  c lz4:1 z3fold churn" "$d/ab" || fail "z3fold not listed as only in NEW"
grep -q "^  density      12 compared: 12 same" "$d/ab" || fail "densities: $(grep density "$d/ab" | tail -n 1)"
"$ZPB" compare "$d/a" "$d/b" --format json > "$d/ab.json" || fail "--format json"
"$ZPB" compare "$d/a" "$d/b" --format csv > "$d/ab.csv" || fail "--format csv"
python3 - "$d/ab.json" "$d/ab.csv" <<'PY' || fail "compare documents"
import csv, json, sys
j = json.load(open(sys.argv[1]))
assert j["format"] == "zpoolbench-compare" and len(j["only_base"]) == 3 and len(j["only_new"]) == 3
lines = j["lines"]
for l in lines:
    assert l["verdict"] in ("same", "better", "worse", "noise"), l
    if l["figure"] in ("density", "pool_pages"):
        assert l["exact"] and l["change_pct"] == 0 and l["verdict"] == "same" and l["p_value"] is None, l
    else:
        assert not l["exact"] and l["n_base"] == 5 and l["n_new"] == 5 and 0 < l["p_value"] <= 1, l
        assert l["ci_lo_pct"] <= l["change_pct"] <= l["ci_hi_pct"], l
    assert l["corpus_sha256"] and l["frontend"] == "zram" and l["objects"] == 600
figs = {(l["workload"], l["figure"]) for l in lines}
assert ("setting", "tput") in figs and ("churn", "mops") in figs and ("load", "p99_ns") in figs, figs
rows = list(csv.DictReader(l for l in open(sys.argv[2]) if not l.startswith("#")))
assert len(rows) == len(lines) and rows[0]["verdict"] in ("same", "noise", "better", "worse")
PY

# chain 8 against chain 16 in one folder: a real difference in density, the gate fails
"$ZPB" compare "$d/a" "$d/a" --base-alloc zsmalloc:chain=8 --new-alloc zsmalloc:chain=16 \
	--max-density-drop 1 > "$d/ch" 2> "$d/ch.err"
[ $? -eq 1 ] || fail "chain 8 -> 16 with --max-density-drop 1: exit status not 1"
grep -q "^c lz4:1 zsmalloc:chain=8 -> zsmalloc:chain=16 fill  *density .* worse  GATE$" "$d/ch" ||
	fail "chain 8 -> 16: $(grep density "$d/ch" | head -n 2)"
grep -q "^zpoolbench: compare: gate: c lz4:1 zsmalloc:chain=8 -> zsmalloc:chain=16 fill: density fell by .* (limit 1.00%)$" \
	"$d/ch.err" || fail "gate message: $(cat "$d/ch.err")"
# the other way round the density rises: no gate fails
"$ZPB" compare "$d/a" "$d/a" --base-alloc zsmalloc:chain=16 --new-alloc zsmalloc:chain=8 \
	--max-density-drop 1 > "$d/ch2" 2>&1 || fail "chain 16 -> 8: exit status $?"
grep -q "fill  *density .* better$" "$d/ch2" || fail "chain 16 -> 8: $(grep density "$d/ch2" | head -n 2)"

# a throughput gate that fails: the same folder with every store 4 times as slow
python3 - "$d/a/results.json" "$d/slow.json" <<'PY' || fail "making the slow copy"
import json, sys
def bucket(v):  # metrics.h: one bucket per ns below 256, then 128 per power of two
    if v < 256:
        return v
    e = v.bit_length() - 1
    return 256 + (e - 8) * 128 + ((v >> (e - 7)) & 127)
j = json.load(open(sys.argv[1]))
for r in j["rows"]:
    for rep in r["repeats"]:
        h = rep["latency_ns"].get("store")
        if not h:
            continue
        out = {}
        for b, c, s in zip(h["bucket"], h["count"], h["sum"]):
            v = round(4 * s / c)  # each sample at 4 x its bucket's mean
            o = out.setdefault(bucket(v), [0, 0])
            o[0] += c
            o[1] += c * v
        h["bucket"] = sorted(out)
        h["count"] = [out[b][0] for b in h["bucket"]]
        h["sum"] = [out[b][1] for b in h["bucket"]]
json.dump(j, open(sys.argv[2], "w"))
PY
"$ZPB" compare "$d/a" "$d/slow.json" --max-tput-drop 10 > "$d/slow" 2> "$d/slow.err"
[ $? -eq 1 ] || fail "4 x slower stores with --max-tput-drop 10: exit status not 1: $(tail -n 3 "$d/slow")"
grep -q "fill: mops fell by .*, significant$" "$d/slow.err" || fail "tput gate: $(cat "$d/slow.err")"
"$ZPB" compare "$d/a" "$d/slow.json" --max-density-drop 0 > /dev/null 2>&1 || fail "densities are unchanged"

# provenance differences come first, as warnings
python3 - "$d/a/results.json" "$d/other.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["provenance"]["git"] = "0123abc"
j["provenance"]["kernel"] = "Linux 6.1.0 x86_64"
json.dump(j, open(sys.argv[2], "w"))
PY
"$ZPB" compare "$d/a" "$d/other.json" > "$d/prov" || fail "provenance compare"
head -n 1 "$d/prov" | grep -q "^warning: provenance: zpoolbench commit differs: '.*' vs '0123abc'$" ||
	fail "provenance warning: $(head -n 2 "$d/prov")"
grep -q "^warning: provenance: kernel differs" "$d/prov" || fail "kernel difference"

# a results.csv: medians only, no tests
"$ZPB" compare "$d/a/results.csv" "$d/b" > "$d/csvin" || fail "compare with a results.csv"
grep -q "^note: a side is a results.csv (medians only)" "$d/csvin" || fail "csv note"

# --out: the files and the figure, whole
"$ZPB" compare "$d/a" "$d/b" --out "$d/cmp" > /dev/null || fail "--out"
for f in compare.csv compare.json compare_settings.csv; do [ -s "$d/cmp/$f" ] || fail "no $f"; done
if command -v gnuplot > /dev/null; then [ -s "$d/cmp/compare.png" ] || fail "no compare.png"; fi
[ "$(grep -vc '^#' "$d/cmp/compare_settings.csv")" = 4 ] || fail "settings: $(cat "$d/cmp/compare_settings.csv")"

# usage and input errors: exit status 2, one line
"$ZPB" compare "$d/a" 2> "$d/e1"; [ $? -eq 2 ] || fail "one operand: not 2"
"$ZPB" compare "$d/a" "$d/nosuch" 2> "$d/e2"; [ $? -eq 2 ] || fail "missing NEW: not 2"
grep -qx "zpoolbench: compare: NEW: $d/nosuch: No such file or directory" "$d/e2" || fail "missing NEW: $(cat "$d/e2")"
mkdir "$d/empty"
"$ZPB" compare "$d/empty" "$d/a" 2> "$d/e3"; [ $? -eq 2 ] || fail "not a results folder: not 2"
grep -qx "zpoolbench: compare: BASE: $d/empty: not a results folder (no results.json in it)" "$d/e3" || fail "$(cat "$d/e3")"
"$ZPB" compare "$d/a" "$d/b" --base-alloc zbud 2> "$d/e4"; [ $? -eq 2 ] || fail "--base-alloc alone: not 2"
"$ZPB" compare "$d/a" "$d/b" --max-tput-drop 101 2> "$d/e5"; [ $? -eq 2 ] || fail "--max-tput-drop 101: not 2"
grep -qx "zpoolbench: compare: --max-tput-drop: '101' is out of range (expected 0..100)" "$d/e5" || fail "$(cat "$d/e5")"
# $d/@1.json: a's results.json with a copy of its first row, its pool pages
# doubled, changed by the Python statement @3 (on r), put at index @2 (or
# last, for "end"); compared with itself, every density must stay the same
# (each row meets its own, not a row of the same sha256 or name)
self_same() {
	python3 - "$d/a/results.json" "$d/$1.json" "$2" "$3" <<'PY'
import json, sys, copy
j = json.load(open(sys.argv[1]))
r = copy.deepcopy(j["rows"][0])
for rep in r["repeats"]:
    rep["pool_pages"] *= 2
exec(sys.argv[4])
j["rows"].insert(len(j["rows"]) if sys.argv[3] == "end" else int(sys.argv[3]), r)
json.dump(j, open(sys.argv[2], "w"))
PY
	"$ZPB" compare "$d/$1.json" "$d/$1.json" > "$d/$1" || fail "$1: compare failed"
	grep -q "^  density      18 compared: 18 same, 0 better, 0 worse" "$d/$1" ||
		fail "$1: $(grep -E '^  density' "$d/$1")"
}
# one corpus under two names in one document
self_same two end 'r["corpus"] = "c2"'
# the same name with the sha256 and without it
self_same nosha 0 'del r["corpus_sha256"]'

# a page size no pool has, in a repeat (a row without its own page_size
# takes its first repeat's) and in a results.csv: refused, one line
python3 - "$d/a/results.json" "$d/p8k.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
del j["rows"][0]["page_size"]
j["rows"][0]["repeats"][0]["page_size"] = 8192
json.dump(j, open(sys.argv[2], "w"))
PY
"$ZPB" compare "$d/a" "$d/p8k.json" 2> "$d/e6"; [ $? -eq 2 ] || fail "repeat page_size 8192: not 2"
grep -qx "zpoolbench: compare: NEW: $d/p8k.json: rows\[0\].repeats\[0\]: page_size 8192 is not 4096, 16384 or 65536" \
	"$d/e6" || fail "repeat page_size 8192: $(cat "$d/e6")"
awk -F, 'BEGIN { OFS = "," } /^#/ { print; next }
	!n++ { for (i = 1; i <= NF; i++) if ($i == "page_size") k = i; print; next }
	{ $k = 8192; print }' "$d/a/results.csv" > "$d/p8k.csv"
"$ZPB" compare "$d/a" "$d/p8k.csv" 2> "$d/e7"; [ $? -eq 2 ] || fail "csv page_size 8192: not 2"
grep -qx "zpoolbench: compare: NEW: $d/p8k.csv: line [0-9]*: page_size '8192' is not 4096, 16384 or 65536" \
	"$d/e7" || fail "csv page_size 8192: $(cat "$d/e7")"
echo "compare ok"
