#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# format-check.sh [-v | -d] - how far the C files of the tree are from
# .clang-format: the diff hunks clang-format would make, and in how many
# files.  It changes nothing.  Exit status 1 when there is any hunk (the
# tree is formatted: CI runs this), 0 when none.  -v: the count per file;
# -d: the diff.  Needs clang-format 14 (Debian: clang-format-14;
# scripts/deps.sh format).  To format a file: clang-format-14 -i FILE.
set -u
cd "$(dirname "$0")/.."
cf=$(command -v clang-format-14 || command -v clang-format) ||
	{ echo "format-check: clang-format is not installed (apt-get install clang-format-14)" >&2; exit 1; }
mode=${1:-}
tmp=$(mktemp /tmp/zpb-format.XXXXXX)
trap 'rm -f "$tmp"' EXIT
files=0 changed=0 hunks=0
for f in $(git ls-files '*.c' '*.h'); do
	files=$((files + 1))
	"$cf" --style=file "$f" | diff -U0 "$f" - > "$tmp"
	h=$(grep -c '^@@' "$tmp")
	[ "$h" -gt 0 ] || continue
	changed=$((changed + 1))
	hunks=$((hunks + h))
	case $mode in
	-v) echo "$h $f" ;;
	-d) cat "$tmp" ;;
	esac
done
echo "$hunks hunks in $changed of $files files ($("$cf" --version | sed 's/.*version \([0-9.]*\).*/clang-format \1/'))"
[ "$hunks" = 0 ]
