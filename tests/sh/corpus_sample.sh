#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# corpus_sample: seeded samples are reproducible, differ by seed, take each
# source's share in its page order, record the sources; corpus pack cuts
# files into zero-padded pages.
set -u
: "${ZPB:?}"
T=/tmp/zpb-test-corpus-sample.$$
rm -rf "$T"
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

# two sources whose pages say where they come from: "A" + 8-digit index, "B" + index
python3 - "$T" <<'PY' || fail "fixture"
import sys
d = sys.argv[1]
for name, n in (("A", 300), ("B", 50)):
    with open(f"{d}/{name}.pages", "wb") as f:
        for i in range(n):
            tag = f"{name}{i:08d}".encode()
            f.write((tag * (4096 // len(tag) + 1))[:4096])
PY
"$ZPB" corpus sample --from "$T/A.pages" --from "$T/B.pages" --pages 41 --seed 7 \
	--out "$T/s1.pages" 2>/dev/null || fail "sample"
"$ZPB" corpus sample --from "$T/A.pages" --from "$T/B.pages" --pages 41 --seed 7 \
	--out "$T/s2.pages" 2>/dev/null || fail "sample again"
"$ZPB" corpus sample --from "$T/A.pages" --from "$T/B.pages" --pages 41 --seed 8 \
	--out "$T/s3.pages" 2>/dev/null || fail "sample seed 8"
cmp -s "$T/s1.pages" "$T/s2.pages" || fail "same seed, different sample"
cmp -s "$T/s1.pages" "$T/s3.pages" && fail "different seeds, same sample"
python3 - "$T" <<'PY' || fail "sample content"
import json, hashlib, sys
d = sys.argv[1]
data = open(f"{d}/s1.pages", "rb").read()
assert len(data) == 41 * 4096
tags = [data[i * 4096:i * 4096 + 9].decode() for i in range(41)]
a = [int(t[1:]) for t in tags if t[0] == "A"]
b = [int(t[1:]) for t in tags if t[0] == "B"]
assert tags[:21] == [f"A{x:08d}" for x in a], tags  # sources in order: 21 from A, then 20 from B
assert len(a) == 21 and len(b) == 20, (len(a), len(b))
assert a == sorted(set(a)) and b == sorted(set(b)), "page order kept, no repeats"
assert max(a) > 150, "drawn from the whole source, not a prefix"
m = json.load(open(f"{d}/s1.json"))
assert m["pages"] == 41 and m["seed"] == 7 and m["source"] == "sample"
assert m["sha256"] == hashlib.sha256(data).hexdigest()
src = {s["name"]: s for s in m["sources"]}
for n in ("A", "B"):
    assert src[n]["sha256"] == hashlib.sha256(open(f"{d}/{n}.pages", "rb").read()).hexdigest()
assert src["A"]["pages_taken"] == 21 and src["B"]["pages_taken"] == 20
PY
# a source's picks do not depend on the other sources
"$ZPB" corpus sample --from "$T/A.pages" --pages 21 --seed 7 --out "$T/a.pages" 2>/dev/null ||
	fail "sample of A"
head -c $((21 * 4096)) "$T/s1.pages" | cmp -s - "$T/a.pages" || fail "A's pages changed with B present"
# the sample opens with its manifest
"$ZPB" corpus info "$T/s1.pages" --codec lz4 >/dev/null || fail "info on the sample"

err=$("$ZPB" corpus sample --from "$T/B.pages" --pages 51 --seed 1 --out "$T/x.pages" 2>&1)
[ "$err" = "zpoolbench: corpus sample: $T/B.pages has 50 pages, fewer than the 51 asked of it; lower --pages" ] ||
	fail "too many pages: $err"
[ -e "$T/x.pages" ] && fail "half-written output left"
ls "$T" | grep -q tmp && fail "temporary file left"

# pack: 5000 + 4096 + 0 bytes -> 2 + 1 pages, zero-padded
head -c 5000 "$T/A.pages" > "$T/f1"
head -c 4096 "$T/B.pages" > "$T/f2"
: > "$T/f3"
printf '%s\n' "$T/f1" "$T/f2" "$T/f3" | "$ZPB" corpus pack --out "$T/p.pages" --workload t 2>/dev/null ||
	fail "pack"
[ "$(stat -c %s "$T/p.pages")" = $((3 * 4096)) ] || fail "pack size"
python3 - "$T" <<'PY' || fail "pack content"
import sys
d = sys.argv[1]
p = open(f"{d}/p.pages", "rb").read()
a = open(f"{d}/A.pages", "rb").read()
assert p[:5000] == a[:5000] and p[5000:8192] == bytes(3192)
assert p[8192:] == open(f"{d}/B.pages", "rb").read()[:4096]
PY
# an existing output (or its manifest) is refused without --force, with one line
echo "$T/f2" | "$ZPB" corpus pack --out "$T/p.pages" 2> "$T/err" && fail "pack overwrote p.pages"
[ "$(cat "$T/err")" = "zpoolbench: corpus pack: --out $T/p.pages: exists; use --force to replace it, or choose another path" ] \
	|| fail "pack over an existing file: $(cat "$T/err")"
[ "$(stat -c %s "$T/p.pages")" = $((3 * 4096)) ] || fail "the refused pack changed p.pages"
rm "$T/p.pages"
echo "$T/f2" | "$ZPB" corpus pack --out "$T/p.pages" 2> "$T/err" && fail "pack overwrote p.json"
grep -q "out (manifest) $T/p.json: exists" "$T/err" || fail "manifest not protected: $(cat "$T/err")"
echo "$T/f2" | "$ZPB" corpus pack --out "$T/p.pages" --force 2> /dev/null || fail "--force refused"
[ "$(stat -c %s "$T/p.pages")" = 4096 ] || fail "--force did not replace p.pages"
# a folder in the list is named as such; --out must end in .pages
echo "$T" | "$ZPB" corpus pack --out "$T/q.pages" 2> "$T/err" && fail "pack took a folder"
grep -q "$T is a folder; list the files in it" "$T/err" || fail "folder: $(cat "$T/err")"
echo "$T/f2" | "$ZPB" corpus pack --out "$T/p4.bin" 2> "$T/err" && fail "pack wrote p4.bin"
grep -q -- "--out: must end in .pages" "$T/err" || fail "--out p4.bin: $(cat "$T/err")"
echo "corpus sample ok"
