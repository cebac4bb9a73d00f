#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A sweep as a real Slurm job array: this test (as root) starts a private
# single-node Slurm cluster on this machine (munged, slurmctld and slurmd on
# localhost with a generated slurm.conf and private ports, all under one
# temporary folder: scripts/slurm-lab.sh), submits the sweep as
# `sbatch --array=0-(N-1) --wait`, one shard per array task
# (--shard $SLURM_ARRAY_TASK_ID/N), merges the shards with `zpoolbench report`
# and checks that the merge equals the same sweep run whole (densities, Pareto
# set, baseline, recommendation; under ZPB_TEST_MODEL_CLOCK, see
# shard_parallel.sh).  The cluster is stopped and its folder removed on every
# exit path, SIGINT and SIGTERM included.  It skips, with the reason, only when
# it is not root or the packages cannot be installed (scripts/deps.sh slurm).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ZPB=${ZPB:-build/zpoolbench}
case "$ZPB" in /*) ;; *) ZPB=$PWD/$ZPB ;; esac
N=3
fail() { echo "FAIL: $*"; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
	echo "needs root: the Slurm daemons of the test cluster run as root (SlurmUser=root)"
	exit 77
fi
command -v python3 > /dev/null || { echo "python3 is needed to read the CSV"; exit 77; }
. scripts/slurm-lab.sh
if ! slurm_lab_install; then
	echo "Slurm cannot be installed: $SLURM_LAB_SKIP_REASON"
	exit 77
fi

# a short path: the munge socket under it must fit a unix socket address
DIR=$(mktemp -d /tmp/zslab.XXXXXX) || exit 1
chmod 0755 "$DIR" # munged needs o+x on every folder above its socket
child=
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then
		kill -TERM "$child" 2>/dev/null
		wait "$child" 2>/dev/null
	fi
	slurm_lab_stop "$DIR/c"
	rm -rf "$DIR"
	exit "$rc"
}
trap cleanup EXIT
trap 'echo "shard_slurm: interrupted, cleaning up" >&2; exit 130' INT
trap 'echo "shard_slurm: terminated, cleaning up" >&2; exit 143' TERM

# A program in the background, waited for: a signal to this shell runs its
# trap at once (bash runs traps only when the foreground command returns).
run_bg() {
	"$@" &
	child=$!
	wait "$child"
	local rc=$?
	child=
	return $rc
}

export ZPB_TEST_MODEL_CLOCK=1
zstd -qdc corpora/default.pages.zst | head -c $((4096 * 1200)) > "$DIR/c.pages"
ARGS="--corpus $DIR/c.pages --alloc zsmalloc:chain={2,4,8,16},zbud,z3fold --codec lz4,zstd:3 --repeat 2 --ccache $DIR/cc --no-plots --quiet"
# shellcheck disable=SC2086 # ARGS is a list of words without spaces in them
run_bg "$ZPB" sweep $ARGS --out "$DIR/whole" || fail "the whole sweep failed"

slurm_lab_start "$DIR/c" || fail "the Slurm cluster did not start"
echo "cluster up in ${SLURM_LAB_START_SECS}s: $(slurm_lab_run "$DIR/c" sinfo -h -o '%P %D %T %C')"
mkdir -p "$DIR/shards" "$DIR/log"
cat > "$DIR/sweep.sbatch" <<JOB
#!/bin/sh
#SBATCH --job-name=zpb-sweep
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --time=30
#SBATCH --output=$DIR/log/slurm-%A_%a.out
echo "task \$SLURM_ARRAY_TASK_ID of job \$SLURM_ARRAY_JOB_ID on \$(hostname -s), partition \$SLURM_JOB_PARTITION"
exec "$ZPB" sweep $ARGS --shard "\$SLURM_ARRAY_TASK_ID/$N" --out "$DIR/shards/shard-\$SLURM_ARRAY_TASK_ID"
JOB
t0=$(date +%s)
run_bg env SLURM_CONF="$(slurm_lab_conf "$DIR/c")" sbatch --parsable --wait \
	--array=0-$((N - 1)) --chdir="$DIR" "$DIR/sweep.sbatch" > "$DIR/jobid" ||
	fail "sbatch --wait exited $?: $(cat "$DIR"/log/*.out 2>/dev/null)"
jobid=$(cat "$DIR/jobid")
echo "sbatch --array=0-$((N - 1)) --wait: job $jobid done in $(($(date +%s) - t0)) s"
for i in $(seq 0 $((N - 1))); do
	log="$DIR/log/slurm-${jobid}_$i.out"
	[ -f "$log" ] || fail "task $i wrote no log"
	grep -qx "task $i of job $jobid on $(hostname -s), partition lab" "$log" ||
		fail "task $i log: $(cat "$log")"
	sed 's/^/  /' "$log"
	[ -s "$DIR/shards/shard-$i/results.json" ] || fail "task $i wrote no results"
done

run_bg "$ZPB" report "$DIR"/shards/shard-* --out "$DIR/merged" > "$DIR/report.out" ||
	fail "report exited $?"
grep -E "recommended|^results:" "$DIR/report.out" | sed 's/^/  /'
python3 - "$DIR" <<'PY' || fail "the merge of the Slurm array tasks is not the whole sweep"
import csv, json, sys
d = sys.argv[1]
def rows(p):
    return list(csv.DictReader(l for l in open(p) if not l.startswith("#")))
whole, merged = rows(d + "/whole/results.csv"), rows(d + "/merged/results.csv")
key = lambda r: (r["corpus"], r["codec"], r["allocator"], r["workload"])
assert [key(r) for r in whole] == [key(r) for r in merged]
for a, b in zip(whole, merged):
    for k in ("density", "pool_pages", "tput_mops", "pareto", "tradeoff_density"):
        assert a[k] == b[k], (key(a), k, a[k], b[k])
sw, sm = rows(d + "/whole/sweep.csv"), rows(d + "/merged/sweep.csv")
for a, b in zip(sw, sm):
    for k in ("allocator", "density", "pareto", "baseline", "recommended", "space_gain_pct"):
        assert a[k] == b[k], (a["allocator"], k, a[k], b[k])
assert len(sw) == len(sm) == 12
j = json.load(open(d + "/merged/results.json"))
assert sorted(s["shard"]["index"] for s in j["sources"]) == [0, 1, 2]
print("  merged = whole: %d rows, recommended %s" % (len(merged),
      ", ".join(r["codec"] + " " + r["allocator"] for r in sm if r["recommended"] == "1")))
PY

slurm_lab_stop "$DIR/c" || fail "the cluster did not stop"
[ ! -e "$DIR/c" ] || fail "the cluster folder is left behind"
echo "cluster stopped in ${SLURM_LAB_STOP_SECS}s"
echo "Slurm: $N array tasks merged = the whole sweep"
