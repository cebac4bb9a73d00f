#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# File names are user text and end up in the results files (issue 12,
# defect 6): a corpus named with a newline, a quote, a comma and the byte
# 0xff.  results.csv must stay one header line after the '#' lines, with the
# name quoted per RFC 4180 and 0xff as U+FFFD; results.json must be valid
# UTF-8 JSON with the same name (0xff escaped as \ufffd).
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-names.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed to read the results"; exit 77; }

name=$(printf 'we"ird,\nname\377x')
zstd -qdc corpora/default.pages.zst | head -c $((4096 * 16)) > "$d/$name.pages"
"$ZPB" run --corpus "$d/$name.pages" --alloc zbud --codec lz4 --workload fill --ccache off \
	--no-plots --out "$d/r" > "$d/out" 2> "$d/err" || { cat "$d/err"; fail "run failed"; }
python3 - "$d/r" <<'PY' || fail "results do not name the corpus right"
import csv, io, json, sys
d = sys.argv[1]
want = 'we"ird,\nname\ufffdx'
raw = open(d + "/results.csv", "rb").read()
text = raw.decode("utf-8")          # strict: fails on a raw 0xff
lines = text.split("\n")
i = 0
while lines[i].startswith("#"):
    i += 1
assert lines[i].startswith("corpus,codec,allocator,workload,"), "stray line before the header: %r" % lines[i]
rows = list(csv.DictReader(io.StringIO("\n".join(lines[i:]))))
assert len(rows) == 2, len(rows)    # zbud and ideal
assert all(r["corpus"] == want for r in rows), [r["corpus"] for r in rows]
assert "corpus we\"ird,?name\ufffdx: 16 pages" in text, "provenance line"
j = json.loads(open(d + "/results.json", "rb").read().decode("utf-8"))
assert [r["corpus"] for r in j["rows"]] == [want, want]
assert j["provenance"]["corpora"][0]["name"] == want
for f in ("sizes.csv", "churn.csv", "bounds.csv"):
    try:
        open(d + "/" + f, "rb").read().decode("utf-8")
    except FileNotFoundError:
        pass
PY
echo "names escaped ok"
