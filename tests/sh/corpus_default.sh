#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# corpus_default: the shipped corpus opens (its manifest's page count and
# sha256 match), is the one corpora/README.md records, mixes at least six
# workloads, and holds no environment, user paths or credentials.
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
