#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The bash completion: the one `make` built is what scripts/gen-completion.sh
# writes from the program now; sourced in bash it registers _zpoolbench, and
# completing command lines (COMP_WORDS split at ':' and '=' as bash does)
# offers the commands, every option of every command from `help --options`,
# allocator names, keys and values from `list --format csv`, enum values,
# codecs, front ends and their keys, corpus files.
set -u
ZPB=${ZPB:-build/zpoolbench}
BUILD=${BUILD:-build}
d=$(mktemp -d /tmp/zpb-compl.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v bash > /dev/null || { echo "bash is not installed"; exit 77; }

scripts/gen-completion.sh "$ZPB" > "$d/zpoolbench.bash" || fail "gen-completion.sh failed"
cmp -s "$d/zpoolbench.bash" "$BUILD/zpoolbench.bash" || fail "$BUILD/zpoolbench.bash is stale"
bash -n "$d/zpoolbench.bash" || fail "not valid bash"
"$ZPB" help --options | awk -F'\t' '$4 != "operand" { print $1 "|" $2 }' > "$d/options"
[ "$(wc -l < "$d/options")" -ge 100 ] || fail "too few options in help --options"
"$ZPB" list --format csv > "$d/allocs"

mkdir "$d/w" "$d/w/sub"
: > "$d/w/a.pages"
: > "$d/w/b.pages.zst"
: > "$d/w/notes.txt"

cat > "$d/t.bash" <<'EOF'
set -u
# loaded as bash-completion's loader does: sourced inside a function
load() { source "$1"; }
load "$COMPLETION"
complete -p zpoolbench | grep -qx 'complete -F _zpoolbench zpoolbench' || { echo "not registered"; exit 1; }

# comp LINE: the completions of the last word of LINE, sorted, one line
comp() {
	local line=$1 w="" c i
	COMP_WORDS=()
	for ((i = 0; i < ${#line}; i++)); do
		c=${line:i:1}
		case $c in
		' ') [[ -n $w ]] && COMP_WORDS+=("$w"); w="" ;;
		[:=]) [[ -n $w && $w != [:=] ]] && { COMP_WORDS+=("$w"); w=""; }; w+=$c ;;
		*) [[ $w == [:=] ]] && { COMP_WORDS+=("$w"); w=""; }; w+=$c ;;
		esac
	done
	COMP_WORDS+=("$w")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_zpoolbench zpoolbench "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
bad=0
expect() {
	local got
	got=$(comp "$1")
	if [[ $got != "$2" ]]; then
		echo "completing '$1': got '$got', expected '$2'"
		bad=1
	fi
}
cd "$WORK"
expect "zpoolbench ru" "run"
expect "zpoolbench corpus " "--help info pack regroup sample snapshot"
expect "zpoolbench oracle q" "qemu qemu-zram"
expect "zpoolbench help --m" "--man"
expect "zpoolbench run --fo" "--force --format"
expect "zpoolbench run --format " "csv json table"
expect "zpoolbench run --format=j" "json"
# what `list --format csv` says: names, keys, values (sorted, one line)
names() { awk -F, -v p="${1-}" 'NR > 1 && $2 == "" && (p == "" || index($1, p) == 1) { print $1 }' "$ALLOCS" | sort | tr '\n' ' ' | sed 's/ $//'; }
keys() { awk -F, -v a="$1" -v pre="${2-}" 'NR > 1 && $1 == a && $2 != "" { print pre $2 "=" }' "$ALLOCS" | sort | tr '\n' ' ' | sed 's/ $//'; }
vals() { awk -F, -v a="$1" -v k="$2" -v p="$3" -v pre="${4-}" 'NR > 1 && $1 == a && $2 == k { n = split($3, v, "|"); for (i = 1; i <= n; i++) if (p == "" || index(v[i], p) == 1) print pre v[i] }' "$ALLOCS" | sort | tr '\n' ' ' | sed 's/ $//'; }
expect "zpoolbench run --alloc zs" "$(names zs)"
expect "zpoolbench run --alloc zsmalloc:" "$(keys zsmalloc :)"
expect "zpoolbench run --alloc zsmalloc:ch" "chain="
expect "zpoolbench run --alloc zsmalloc:chain=1" "1 10 11 12 13 14 15 16"
expect "zpoolbench run --alloc z3fold:compaction=" "$(vals z3fold compaction "" =)"
expect "zpoolbench sweep --alloc z3fold:compaction=gated,g" "gated,gap="
expect "zpoolbench run --alloc zbud,z3" "$(names z3 | sed 's/^/zbud,/; s/ / zbud,/g')"
expect "zpoolbench run --alloc=zb" "$(names zb)"
expect "zpoolbench list zsmalloc:kernel=6" "$(vals zsmalloc kernel 6)"
[[ $(names zs) == *zsmalloc* && $(keys zsmalloc :) == *:chain=* ]] || { echo "list --format csv lacks zsmalloc:chain"; bad=1; }
expect "zpoolbench run --codec lz4,zs" "lz4,zstd"
expect "zpoolbench run --frontend z" "zram zswap"
expect "zpoolbench run --frontend zswap:ram=1G,max" "1G,max_pool_percent="
expect "zpoolbench run --workload fill,l" "fill,load"
expect "zpoolbench run --corpus " "a.pages b.pages.zst sub"
expect "zpoolbench corpus info " "a.pages b.pages.zst sub"
expect "zpoolbench run --out " "sub"
expect "zpoolbench replay --trace n" "notes.txt"
expect "zpoolbench capture -v" "-v"
expect "zpoolbench run --no-plots --c" "--ccache --churn-percent --churn-rounds --codec --compact-every --corpus"

# every option of every command, from the table
while IFS='|' read -r cmd opt; do
	got=" $(comp "zpoolbench $cmd --") "
	[[ $got == *" $opt "* ]] || { echo "'zpoolbench $cmd --' does not offer $opt"; bad=1; }
done < "$OPTIONS"
# every allocator, every key, every listed value
while IFS=, read -r a key values rest; do
	[[ $a == allocator ]] && continue
	if [[ -z $key ]]; then
		[[ " $(comp "zpoolbench run --alloc ") " == *" $a "* ]] || { echo "no allocator $a"; bad=1; }
		continue
	fi
	[[ " $(comp "zpoolbench run --alloc $a:") " == *" :$key= "* ]] || { echo "no key $a:$key"; bad=1; }
	if [[ $values == *"|"* ]]; then
		want=$(tr '|' '\n' <<< "$values" | sed 's/^/=/' | sort | tr '\n' ' ' | sed 's/ $//')
		expect "zpoolbench run --alloc $a:$key=" "$want"
	fi
done < "$ALLOCS"
exit $bad
EOF
COMPLETION="$d/zpoolbench.bash" OPTIONS="$d/options" ALLOCS="$d/allocs" WORK="$d/w" \
	bash "$d/t.bash" || fail "completions differ (above)"
echo "completion ok"
