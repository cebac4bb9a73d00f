#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The README's answers to published claims, on the default corpus, at the
# README's own scale: densities do not depend on timing, so a change to a
# port that would change an answer fails here and the README has to be
# measured again.  No timing is asserted.
#  - z3fold's 2016 extra compaction (docs/z3fold.md; README "The answer on
#    real data"): 24,000 objects, churn, lz4:1 and zstd:3.  The claim is 5-10 %
#    space; measured +0.2 %.  Asserted: extra gains 0-1 % over middle.
#  - zblock's "4.65 against 4.43 stored per pool page" (README, "zblock
#    against zsmalloc"): zswap front end, 120,000 objects of 4 KiB, zstd:3,
#    after the fill: zsmalloc is denser (3.79 against zblock's 3.74), the
#    opposite of the claim.
#  - chain 8 denser than chain 4 (README, "4 KiB against 16 KiB pages"): zram
#    front end, 480,000 objects, zstd:3, after the fill (0.962 against
#    0.939).  With a pool of a few thousand objects both comparisons come out
#    the other way, so the scale is part of the answer.
#  - Yosry Ahmed's 2024 pool sizes against zsmalloc's (README, "The numbers
#    behind zbud's and z3fold's removal"): zswap front end, lzo, 480,000
#    objects, fill and churn, peak pool pages.  zbud +35.0 % from the RFC's
#    raw bytes: asserted within 32-38 % (measured +35.1 %).  z3fold +1.2 %:
#    not reproduced, asserted above 3 % (measured +6.9 %).
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-findings.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v python3 > /dev/null || { echo "python3 is needed to read the results"; exit 77; }
[ -r corpora/default.pages.zst ] || { echo "no corpora/default.pages.zst"; exit 77; }
case "${BUILD:-build}" in
*asan* | *tsan*) echo "densities are the plain build's to check (the same code; minutes under a sanitizer)"; exit 77 ;;
esac

run() { # OUT ALLOCS CODECS OBJECTS WORKLOAD [FRONTEND]
	"$ZPB" run --corpus corpora/default.pages.zst --alloc "$2" --codec "$3" --objects "$4" \
		--workload "$5" --frontend "${6:-zram}" --ccache off --no-plots --quiet --force \
		--out "$d/$1" 2> "$d/err" || { cat "$d/err"; fail "run --alloc $2 failed"; }
}
run z3 'z3fold:compaction=middle,z3fold:compaction=extra' lz4:1,zstd:3 24000 churn
run zb 'zsmalloc,zblock' zstd:3 120000 fill zswap
run zs 'zsmalloc:chain=4,zsmalloc:chain=8' zstd:3 480000 fill
run ya 'zbud:kernel=6.12,z3fold:kernel=6.1,zsmalloc:kernel=6.12' lzo 480000 fill,churn \
	zswap:kernel=6.12,ram=64G

# -E: no PYTHONOPTIMIZE, which would drop the asserts
python3 -E - "$d" <<'PY' ||
import csv, sys
def rows(run):
    return csv.DictReader(l for l in open(f"{sys.argv[1]}/{run}/results.csv") if not l.startswith("#"))
z3 = {(r["codec"], r["allocator"]): float(r["density"]) for r in rows("z3")}
for codec in ("lz4:1", "zstd:3"):
    mid, ext = z3[codec, "z3fold:compaction=middle"], z3[codec, "z3fold:compaction=extra"]
    gain = ext / mid - 1
    print(f"z3fold {codec}: middle {mid:.4f}, extra {ext:.4f}, {100 * gain:+.2f} % (the 2016 claim: 5-10 %)")
    assert 0 <= gain < 0.01, gain
zs = {r["allocator"]: float(r["density"]) for r in rows("zs")}
c4, c8 = zs["zsmalloc:chain=4"], zs["zsmalloc:chain=8"]
print(f"zram, zstd:3, 480,000 objects: zsmalloc chain 8 {c8:.4f}, chain 4 {c4:.4f}")
assert c8 > c4, "chain 8 not denser than chain 4"
pages = {r["allocator"]: int(r["pages"]) / int(r["pool_pages"]) for r in rows("zb")}
print(f"zswap, zstd:3, 120,000 objects, pages per pool page: zsmalloc {pages['zsmalloc']:.2f}, "
      f"zblock {pages['zblock']:.2f} (claimed: zblock 4.65, zsmalloc 4.43)")
assert pages["zsmalloc"] > pages["zblock"], "zblock denser than zsmalloc: the README says the opposite"
peak = {}
for r in rows("ya"):
    peak[r["allocator"]] = max(peak.get(r["allocator"], 0), int(r["peak_pages"]))
zsm = peak["zsmalloc:kernel=6.12"]
zbud, z3f = peak["zbud:kernel=6.12"] / zsm - 1, peak["z3fold:kernel=6.1"] / zsm - 1
print(f"zswap, lzo, peak pool pages against zsmalloc's: zbud {100 * zbud:+.1f} % (RFC +35.0 %), "
      f"z3fold {100 * z3f:+.1f} % (RFC +1.2 %)")
assert 0.32 <= zbud <= 0.38, zbud
assert z3f > 0.03, z3f
PY
	fail "a published answer changed: measure the README's figures again"
echo "ok"
