#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Density's numerator is the codec's output for the stored pages, the same
# for every allocator that stores the same pages: a page the zram front end
# stores raw (at or above the allocator's huge size) and zswap's 8-byte
# header are the allocator's overhead and lower its density; they do not
# inflate compressed_bytes.  A hand-made corpus: a page that lz4 leaves at
# ~3,700 bytes (raw for zsmalloc, whose huge size is 3,625 at chain 8, but
# not for ideal), a random page (raw for everybody; it counts as 4,096
# bytes, not its codec output above a page), text pages.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-density.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed to read the CSV"; exit 77; }

python3 - "$d/c.pages" <<'PY'
import random, sys
r = random.Random(7)
text = (open("README.md", "rb").read() * 4)[:8 * 4096]
a = bytes(r.getrandbits(8) for _ in range(3700)) + bytes(396)
b = bytes(r.getrandbits(8) for _ in range(4096))
open(sys.argv[1], "wb").write(a + b + text)
PY
"$ZPB" run --corpus "$d/c.pages" --alloc zsmalloc,zbud --codec lz4 --workload fill --out "$d/z" \
	--no-plots --quiet || fail "zram run failed"
"$ZPB" run --corpus "$d/c.pages" --alloc zbud --codec lz4 --workload fill --frontend zswap \
	--out "$d/s" --no-plots --quiet || fail "zswap run failed"
python3 - "$d" <<'PY' || fail "density check failed"
import csv, sys
def rows(f):
    return {r["allocator"]: r for r in csv.DictReader(l for l in open(f) if not l.startswith("#"))}
z, s = rows(sys.argv[1] + "/z/results.csv"), rows(sys.argv[1] + "/s/results.csv")
n = lambda r, k: float(r[k])
zs, ideal = z["zsmalloc"], z["ideal"]
# the same 10 pages stored; zsmalloc holds 2 raw, ideal 1 (the random page)
assert n(zs, "stored") == n(ideal, "stored") == 10, (zs, ideal)
assert n(zs, "huge") == 2 and n(ideal, "huge") == 1, (zs["huge"], ideal["huge"])
assert n(zs, "compressed_bytes") == n(ideal, "compressed_bytes"), (zs["compressed_bytes"], ideal["compressed_bytes"])
# the random page's lz4 output is above 4096: it counts as one page, no more
assert 4096 + 3700 < n(ideal, "compressed_bytes") < 4096 + 3800 + 8 * 4096, ideal["compressed_bytes"]
assert n(ideal, "density") <= 1, ideal["density"]
assert n(zs, "density") < n(ideal, "density"), (zs["density"], ideal["density"])
# ideal pages (the packing bound) come from the same bytes
assert n(zs, "ideal_pages") == n(ideal, "ideal_pages")
# zswap: zbud gets an 8-byte header per object, ideal none; the numerator is the same
zb, zi = s["zbud"], s["ideal"]
assert n(zb, "stored") == n(zi, "stored"), (zb["stored"], zi["stored"])
assert n(zb, "compressed_bytes") == n(zi, "compressed_bytes"), (zb["compressed_bytes"], zi["compressed_bytes"])
PY
# zram's mem_limit: each refusal is a limit hit, and the report says what was left out
"$ZPB" run --corpus "$d/c.pages" --alloc zbud --codec lz4 --workload fill --frontend zram:mem_limit=100 \
	--out "$d/m" --no-plots --quiet || fail "mem_limit run failed"
python3 - "$d/m/results.csv" <<'PY' || fail "mem_limit counters"
import csv, sys
for r in csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#")):
    assert int(r["rejected_limit"]) > 0 and r["pool_limit_hit"] == r["rejected_limit"], r
PY
grep -q "^\*\*Refused pages.\*\*" "$d/m/report.md" || fail "report.md does not say pages were refused"
echo "density numerator ok"
