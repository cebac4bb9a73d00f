#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run_unit: run --unit end to end.  A corpus of 64 KiB pages (text, random,
# zero, text with a same-filled first 4 KiB) run as 64, 16 and 4 KiB units
# through zram and none: every load (one 4 KiB page of its unit, the whole
# unit checked) reads back or the run fails; the rows are in units
# (page_size), the pools in 4 KiB pages (allocator specs without page=), the
# random units stored raw, the text compressing better in larger units, and
# results.json keeps the unit of every repeat.
set -u
: "${ZPB:?}"
d=$(mktemp -d /tmp/zpb-rununit.XXXXXX)
trap 'rm -rf "$d"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

python3 - "$d/c.pages" <<'PY' || fail "making the corpus"
import hashlib, json, random, sys
random.seed(7)
P = 65536
text = b"a unit of sixteen pages compresses better than one page of it, "
pages = []
for i in range(8):
    k = i % 4
    if k == 0:
        pages.append(bytes(P))
    elif k == 1:
        pages.append(bytes(random.getrandbits(8) for _ in range(P)))
    else:
        t = (text * (P // len(text) + 1))[i:i + P]
        t = bytes((b + j // 4096 * 3 + i) % 256 if j % 97 == 0 else b for j, b in enumerate(t))
        if k == 3:
            t = b"\x33" * 4096 + t[4096:]
        pages.append(t)
data = b"".join(pages)
open(sys.argv[1], "wb").write(data)
json.dump({"format": "zpoolbench-corpus", "format_version": 1, "page_size": P, "pages": 8,
           "sha256": hashlib.sha256(data).hexdigest()}, open(sys.argv[1][:-6] + ".json", "w"))
PY

for u in 64k 16k 4k; do
	case $u in 64k) zs=zsmalloc:mp=4 ;; 16k) zs=zsmalloc:mp=2 ;; 4k) zs=zsmalloc ;; esac
	for fe in zram none; do
		"$ZPB" run --corpus "$d/c.pages" --unit $u --alloc "$zs,malloc" --codec lz4,zstd:3 \
			--frontend $fe --objects 40 --churn-rounds 2 --out "$d/r-$u-$fe" --quiet \
			--no-plots --ccache off 2> "$d/err" || fail "run --unit $u through $fe: $(cat "$d/err")"
	done
done

python3 - "$d" <<'PY' || fail "results"
import csv, json, sys
d = sys.argv[1]
B = {"64k": 65536, "16k": 16384, "4k": 4096}
ratio = {}
for u, b in B.items():
    for fe in ("zram", "none"):
        f = "%s/r-%s-%s/results.csv" % (d, u, fe)
        rows = list(csv.DictReader(l for l in open(f) if not l.startswith("#")))
        assert len(rows) == 2 * 3 * 3, (f, len(rows))
        for r in rows:
            assert r["page_size"] == str(b), (f, r["page_size"])
            assert r["unit_bytes"] == (str(b) if b > 4096 else "0"), (f, r["unit_bytes"])
            assert "page=" not in r["allocator"], r["allocator"]
            assert int(r["stored"]) > 0, r
        for r in rows:
            if r["workload"] != "fill":
                continue
            # 40 objects of 64 KiB: 40 * 65536 / b units; a quarter random
            units = 40 * 65536 // b
            held = int(r["stored"]) + int(r["same_filled"])
            assert held + int(r["rejected"]) == units, (u, fe, r["allocator"], held, r["rejected"])
            if fe == "zram":
                assert int(r["huge"]) == units // 4, (u, r["allocator"], r["huge"])
                assert int(r["rejected"]) == 0, r["rejected"]
            else:
                assert int(r["rejected"]) == units // 4, (u, r["allocator"], r["rejected"])
            if fe == "zram" and r["allocator"] == "ideal":
                # the text units: compressed bytes per original byte
                ratio[(u, r["codec"])] = float(r["effective_ratio"])
    j = json.load(open("%s/r-%s-zram/results.json" % (d, u)))
    units = {rep.get("unit_bytes", 0) for row in j["rows"] for rep in row["repeats"]}
    assert units == ({0} if b == 4096 else {b}), (u, units)
for c in ("lz4:1", "zstd:3"):
    assert ratio[("64k", c)] > ratio[("16k", c)] > ratio[("4k", c)], (c, ratio)
PY
echo "ok run_unit"
