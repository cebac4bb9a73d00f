#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# corpus_default: the shipped corpora (4 KiB and its 16 KiB companion) open
# (their manifests' page counts and sha256 match), are the ones
# corpora/README.md records, mix the workloads, and hold no environment,
# user paths or credentials.
set -u
: "${ZPB:?}"
cd "$(dirname "$0")/../.."
fail() { echo "FAIL: $*"; exit 1; }
C=corpora/default.pages.zst
[ -f "$C" ] || fail "$C missing"
out=$("$ZPB" corpus info "$C" --codec lz4 --format json) || fail "corpus info $C"
sha=$(echo "$out" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["sha256"], j["pages"])')
set -- $sha
[ "$2" = 6000 ] || fail "default corpus has $2 pages"
grep -q "$1" corpora/README.md || fail "pages sha256 $1 is not the one corpora/README.md records"
zsha=$(sha256sum "$C" | cut -d' ' -f1)
grep -q "$zsha" corpora/README.md || fail "file sha256 $zsha is not the one corpora/README.md records"
python3 - corpora/default.json <<'PY' || fail "manifest sources"
import json, sys
m = json.load(open(sys.argv[1]))
w = {s["workload"] for s in m["sources"] if s["pages_taken"] > 0}
assert len(w) >= 6, w
assert sum(s["pages_taken"] for s in m["sources"]) == m["pages"]
for s in m["sources"]:
    assert s["manifest"]["sha256"] == s["sha256"]
    assert s["manifest"]["source"] == "process"
PY
# no environment of whoever built it, no user paths
if zstd -dc "$C" | strings -n6 |
	grep -E '^(USER|LOGNAME|SHELL|PWD|OLDPWD|TERM|MAIL|SSH_[A-Z_]*|SUDO_[A-Z_]*|DISPLAY|XDG_[A-Z_]*|[A-Z_]*TOKEN|[A-Z_]*SECRET|[A-Z_]*KEY|AWS_[A-Z_]*|GITHUB_[A-Z_]*|CI)=' |
	grep -v '^TERM=vt100$' | head -3 | grep .; then
	fail "environment variables in $C"
fi
zstd -dc "$C" | grep -aqE '/root/|/home/[a-z]|/work/' && fail "user paths in $C"
grep -qE '/root/|/home/|/work/' corpora/default.json && fail "user paths in corpora/default.json"
echo "default corpus ok"

# The 16 KiB companion: 1500 pages of 16 KiB from the same seven programs,
# each page four address-contiguous 4 KiB pages of one process (regrouped
# dumps), its checksums the ones corpora/README.md records.
C16=corpora/default16k.pages.zst
[ -f "$C16" ] || fail "$C16 missing"
out=$("$ZPB" corpus info "$C16" --codec lz4 --format json) || fail "corpus info $C16"
set -- $(echo "$out" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["sha256"], j["pages"], j["page_size"])')
[ "$2" = 1500 ] && [ "$3" = 16384 ] || fail "16 KiB default corpus has $2 pages of $3 bytes"
grep -q "$1" corpora/README.md || fail "pages sha256 $1 of $C16 is not the one corpora/README.md records"
zsha=$(sha256sum "$C16" | cut -d' ' -f1)
grep -q "$zsha" corpora/README.md || fail "file sha256 $zsha of $C16 is not the one corpora/README.md records"
# read as 4 KiB pages: 6000 of them, the same bytes
out4=$("$ZPB" corpus info "$C16" --codec lz4 --page 4K --format json) || fail "corpus info --page 4K"
echo "$out4" | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["pages"] == 6000 and j["page_size"] == 4096 and j["sha256"] == sys.argv[1]' "$1" \
	|| fail "the 4 KiB view of $C16"
python3 - corpora/default16k.json <<'PY' || fail "16 KiB manifest"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["page_size"] == 16384
w = {s["workload"] for s in m["sources"] if s["pages_taken"] > 0}
assert len(w) == 7, w
assert sum(s["pages_taken"] for s in m["sources"]) == m["pages"]
for s in m["sources"]:
    sm = s["manifest"]
    assert sm["sha256"] == s["sha256"] and sm["page_size"] == 16384
    assert sm["source"] == "process" and "address_extents" not in sm
    assert sm["regroup"]["from_page_size"] == 4096
    assert sm["regroup"]["pages_grouped"] == 4 * s["pages"]
# every page has an address, in the address space of its source
ext = m["address_extents"]
assert sum(e[2] for e in ext) == m["pages"]
k = 0
for i, s in enumerate(m["sources"]):
    n = 0
    while n < s["pages_taken"]:
        assert ext[k][0] == i and ext[k][1] % 16384 == 0, ext[k]
        n += ext[k][2]
        k += 1
    assert n == s["pages_taken"]
PY
if zstd -dc "$C16" | strings -n6 |
	grep -E '^(USER|LOGNAME|SHELL|PWD|OLDPWD|TERM|MAIL|SSH_[A-Z_]*|SUDO_[A-Z_]*|DISPLAY|XDG_[A-Z_]*|[A-Z_]*TOKEN|[A-Z_]*SECRET|[A-Z_]*KEY|AWS_[A-Z_]*|GITHUB_[A-Z_]*|CI)=' |
	grep -v '^TERM=vt100$' | head -3 | grep .; then
	fail "environment variables in $C16"
fi
zstd -dc "$C16" | grep -aqE '/root/|/home/[a-z]|/work/' && fail "user paths in $C16"
grep -qE '/root/|/home/|/work/' corpora/default16k.json && fail "user paths in corpora/default16k.json"
echo "16 KiB default corpus ok"
