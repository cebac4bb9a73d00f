#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# list --table: every registered allocator prints a size table; the 16 KiB
# zsmalloc class table and the zblock block-type tables carry their
# hand-computed figures; a bad spec is one line, exit 2.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-list.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$ZPB" list | awk '/^[a-z0-9]/ && $1 != "allocator" {print $1}' > "$d/names"
grep -qx zblock "$d/names" || fail "zblock not listed"
while read -r a; do
	"$ZPB" list --table "$a" "$a:page=16384" > "$d/t" || fail "$a: list --table"
	grep -q "no size table" "$d/t" && fail "$a: no size table"
	grep -q "^$a:page=16384\$" "$d/t" || fail "$a: normalised spec: $(cat "$d/t")"
	grep -q "page 16384 B" "$d/t" || fail "$a: 16 KiB table: $(cat "$d/t")"
done < "$d/names"

"$ZPB" list --table zsmalloc:page=16384 > "$d/zs" || fail "zsmalloc table"
grep -q '257 slots of 32..16384 B, 121 distinct classes' "$d/zs" || fail "zsmalloc 16k: $(head -3 "$d/zs")"
grep -q 'huge_class_size 14553 B' "$d/zs" || fail "zsmalloc 16k huge: $(head -3 "$d/zs")"
# index size pages objs: the largest multi-object class, then the huge one
grep -Eq '^ +227 +14560 +8 +9 +32$' "$d/zs" || fail "zsmalloc 16k class 227"
grep -Eq '^ +256 +16384 +1 +1 +0 huge$' "$d/zs" || fail "zsmalloc 16k huge class"
[ "$(grep -Ec '^ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+' "$d/zs")" -eq 121 ] || fail "zsmalloc 16k: not 121 rows"

# the 2026 RFC on 16 KiB pages: step 16 B, 1023 slots, 279 classes; its example class
"$ZPB" list --table zsmalloc:kernel=rfc2026,page=16384 > "$d/rfc" || fail "rfc2026 table"
grep -q 'class step 16 B (fixed: the 2026 RFC, CLASS_BITS 12), 1023 slots of 32..16384 B, 279 distinct classes' "$d/rfc" ||
	fail "rfc2026 16k: $(head -2 "$d/rfc")"
grep -Eq '^ +67 +1104 +3 +44 +576$' "$d/rfc" || fail "rfc2026 16k class 1104"
[ "$(grep -Ec '^ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+' "$d/rfc")" -eq 279 ] || fail "rfc2026 16k: not 279 rows"
# the multi-page RFC, 16 KiB units on 4 KiB pages
"$ZPB" list --table zsmalloc:mp=2 > "$d/mp" || fail "mp=2 table"
grep -q '+ 193 multi-page slots of 4096..16384 B in steps of 64 B (UNIT >> 8), 177 distinct classes' "$d/mp" ||
	fail "mp=2: $(head -1 "$d/mp")"
grep -q 'multi-page huge_class_size 14521 B' "$d/mp" || fail "mp=2 huge: $(sed -n 3p "$d/mp")"
grep -Eq '^ +257 +4224 +32 +31 +128 \(8 blocks of 4 pages\)$' "$d/mp" || fail "mp=2 class 4224"
grep -Eq '^ +447 +16384 +4 +1 +0 huge \(1 block of 4 pages\)$' "$d/mp" || fail "mp=2 unit class"
"$ZPB" list --table zsmalloc:kernel=rfc2026,mp=2 > /dev/null 2> "$d/e"
[ $? -eq 2 ] || fail "rfc2026 with mp: exit status"
grep -q 'never posted together' "$d/e" || fail "rfc2026 with mp: $(cat "$d/e")"

"$ZPB" list --table zblock > "$d/zb" || fail "zblock table"
grep -q '37 block types, block header 48 B, SLOT_BITS 6; objects 1..4079 B (4080..4096 refused' "$d/zb" ||
	fail "zblock any 4k: $(head -2 "$d/zb")"
grep -Eq '^ +0 +144 +28 +1 +2\.3  1\.\.143$' "$d/zb" || fail "zblock type 0"
grep -Eq '^ +1 +224 +18 +1 +3\.6  144\.\.223$' "$d/zb" || fail "zblock type 1 takes 144"
grep -Eq '^ +36 +4080 +4 +4 +16\.0  3632\.\.4079$' "$d/zb" || fail "zblock last type"
"$ZPB" list --table zblock:table=pow2,page=16384 > "$d/zp" || fail "zblock pow2 16k table"
grep -q '36 block types, block header 56 B, SLOT_BITS 8; objects 1..16384 B$' "$d/zp" ||
	fail "zblock pow2 16k: $(head -2 "$d/zp")"
grep -Eq '^ +35 +18712 +7 +8 ' "$d/zp" || fail "zblock pow2 16k last type"

"$ZPB" list --table zblock:page=65536 > /dev/null 2> "$d/e"
[ $? -eq 2 ] || fail "zblock:page=65536: exit status"
[ "$(cat "$d/e")" = "zpoolbench: list: --table: zblock: bad value '65536' for page (valid: 4096|16384)" ] ||
	fail "zblock:page=65536: $(cat "$d/e")"
exit 0
