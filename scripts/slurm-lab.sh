# SPDX-License-Identifier: GPL-2.0-only
# slurm-lab.sh - a private, throw-away single-node Slurm cluster on localhost, for
# tests/sh/shard_slurm.sh and for trying docs/scale-out.md's job script on one machine.
#
# Source this file from bash, then:
#   slurm_lab_install            install munge and Slurm when missing (scripts/deps.sh
#                                slurm); on failure returns 1 and sets SLURM_LAB_SKIP_REASON
#   slurm_lab_start DIR          start munged, slurmctld and slurmd; everything lives in DIR
#                                (config, munge key, sockets, state, spool, logs, pid files);
#                                returns once the node is idle
#   slurm_lab_run DIR CMD...     run a Slurm client (sbatch, squeue, sinfo, ...) against it
#   slurm_lab_conf DIR           print the lab's slurm.conf path (for SLURM_CONF)
#   slurm_lab_stop DIR           cancel jobs, stop every daemon and job process of this lab
#                                by pid, wait for them to exit, remove DIR (idempotent)
#
# Nothing is written outside DIR (apart from what apt-get install writes). Must run as root:
# the daemons run as root with SlurmUser=root. DIR must be a short path: the munge socket
# path (DIR/munge/munge.socket) has to fit in a 108-byte unix socket address.
#
# Why it is built this way (each point was seen failing otherwise, on Debian 12 with
# Slurm 22.05 and munge 0.5.15):
#  - munged refuses a socket below a directory that others cannot search, and a key or
#    seed directory that others can write: DIR is 0755 and the key 0600, owned by root,
#    made here (the packaged /etc/munge/munge.key belongs to user munge: refused as root);
#  - slurmctld runs only where the short host name matches SlurmctldHost, slurmd must be
#    told its NodeName (-N), and an unresolvable host name makes both loop: the node is
#    the host name, with NodeAddr and SlurmctldHost given as 127.0.0.1;
#  - RealMemory above the real figure sets the node INVAL: the node line is `slurmd -C`'s;
#  - sbatch --wait polls every 2 s only while MinJobAge is low (5), and batch jobs start
#    up to 3 s late unless batch_sched_delay=0;
#  - slurmstepd has an empty environment and ignores SIGTERM: leftovers are found by
#    their working directory and open files under DIR and by the job scripts' paths, and
#    are killed after 2 s;
#  - a stopped daemon stays a zombie of PID 1 for a while, and kill -0 succeeds on a
#    zombie: liveness is read from /proc/PID/stat;
#  - bash runs a trap only when the foreground command returns: callers run long
#    commands in the background and `wait` for them (see tests/sh/shard_slurm.sh).
#
# Every function prints one line naming the problem and returns non-zero on failure.
# Settings: SLURM_LAB_START_TIMEOUT (seconds, default 60). Results: SLURM_LAB_START_SECS,
# SLURM_LAB_STOP_SECS.

SLURM_LAB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

_slurm_lab_log() { printf 'slurm-lab: %s\n' "$*" >&2; }

_slurm_lab_now() { date +%s.%N; }

# Seconds elapsed since $1 (a _slurm_lab_now value), 2 decimals.
_slurm_lab_since() { awk -v a="$1" -v b="$(_slurm_lab_now)" 'BEGIN { printf "%.2f", b - a }'; }

# shellcheck disable=SC2034 # SLURM_LAB_SKIP_REASON is for the caller
slurm_lab_install() {
	local out
	SLURM_LAB_SKIP_REASON=
	# scripts/deps.sh installs what is missing (as root), or says why it cannot
	if ! out=$(sh "$SLURM_LAB_TOP/scripts/deps.sh" slurm 2>&1); then
		SLURM_LAB_SKIP_REASON=$(printf '%s\n' "$out" | tail -n 1)
		SLURM_LAB_SKIP_REASON=${SLURM_LAB_SKIP_REASON#zpoolbench: }
		return 1
	fi
	return 0
}

# Print a TCP port in [20000,32000) (below the default ephemeral range) that nothing is
# bound to on any address, and that is not in the space-separated list $1.
_slurm_lab_free_port() {
	local avoid=" $1 " port hex i
	for i in $(seq 1 200); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
		case "$avoid" in *" $port "*) continue ;; esac
		hex=$(printf ':%04X ' "$port")
		# Column 2 of /proc/net/tcp{,6} and udp is the local address:port in hex.
		if ! awk 'NR > 1 { print $2 " " }' /proc/net/tcp /proc/net/tcp6 \
			/proc/net/udp /proc/net/udp6 2>/dev/null | grep -q -- "$hex"; then
			echo "$port"
			return 0
		fi
	done
	_slurm_lab_log "no free TCP port found in 20000-31999"
	return 1
}

# Path of the lab's slurm.conf, for SLURM_CONF.
slurm_lab_conf() {
	case "$1" in /*) echo "$1/etc/slurm.conf" ;; *) echo "$(pwd)/$1/etc/slurm.conf" ;; esac
}

# Runs the client through env(1), so that "slurm_lab_run DIR sbatch ... &" gives $! = the
# client's own pid (a shell function run in the background would be a subshell whose
# child outlives a kill of $!).
slurm_lab_run() {
	local conf
	conf=$(slurm_lab_conf "$1")
	shift
	env SLURM_CONF="$conf" "$@"
}

# True while pid $1 exists and is not a zombie. A daemon that exited stays a zombie until
# its parent reaps it; the daemons here are children of PID 1, which on some machines
# (a container or VM init that is not a real init) reaps late, and kill -0 succeeds on
# a zombie. Field 3 of /proc/PID/stat is the state.
_slurm_lab_alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# Wait until pid $1 is gone, at most $2 tenths of a second. Returns 1 if still alive.
_slurm_lab_wait_gone() {
	local pid=$1 n=$2
	while [ "$n" -gt 0 ]; do
		_slurm_lab_alive "$pid" || return 0
		sleep 0.1
		n=$((n - 1))
	done
	! _slurm_lab_alive "$pid"
}

# Wait until all of the pids $2... are gone, at most $1 tenths of a second.
_slurm_lab_wait_all() {
	local n=$1 pid alive
	shift
	while :; do
		alive=0
		for pid in "$@"; do _slurm_lab_alive "$pid" && alive=1 && break; done
		[ $alive -eq 0 ] && return 0
		[ "$n" -le 0 ] && return 1
		sleep 0.1
		n=$((n - 1))
	done
}

# TERM pid, wait up to $2 tenths of a second, then KILL and wait again.
_slurm_lab_kill_wait() {
	local pid=$1 tenths=${2:-100}
	[ -n "$pid" ] || return 0
	_slurm_lab_alive "$pid" || return 0
	kill -TERM "$pid" 2>/dev/null
	_slurm_lab_wait_gone "$pid" "$tenths" && return 0
	_slurm_lab_log "pid $pid ignored SIGTERM, sending SIGKILL"
	kill -KILL "$pid" 2>/dev/null
	_slurm_lab_wait_gone "$pid" 50
}

# Pids of this lab's processes that may outlive its daemons:
#  - the daemons: their environment holds SLURM_LAB_DAEMON=DIR;
#  - slurmstepd: started by slurmd with an EMPTY environment, so found by its working
#    directory or an open file under DIR (it inherits slurmd's cwd, the log directory);
#  - batch scripts, run as DIR/spool/jobNNNNN/slurm_script;
#  - Slurm clients whose SLURM_CONF is this lab's (an "sbatch --wait" whose controller is
#    gone retries for ever);
#  - and every descendant of these (the job's processes).
_slurm_lab_pids() {
	local dir=$1 marker conf p pid ppid comm f changed=1
	marker="SLURM_LAB_DAEMON=$dir"
	conf="SLURM_CONF=$dir/etc/slurm.conf"
	local -A seed=() parent=()
	# One grep each over all processes (grep -z: NUL-separated /proc files).
	for f in $(grep -lzxF -- "$marker" /proc/[0-9]*/environ 2>/dev/null) \
		$(grep -lzF -- "$dir/spool/" /proc/[0-9]*/cmdline 2>/dev/null); do
		f=${f#/proc/}
		seed[${f%%/*}]=1
	done
	while read -r pid ppid comm; do
		parent[$pid]=$ppid
		case "$comm" in
		slurmstepd*)
			for f in "/proc/$pid/cwd" "/proc/$pid"/fd/*; do
				case "$(readlink "$f" 2>/dev/null)" in "$dir"/*) seed[$pid]=1; break ;; esac
			done ;;
		sbatch | srun | salloc | sattach | scancel | scontrol | squeue | sinfo | sstat)
			grep -qzxF -- "$conf" "/proc/$pid/environ" 2>/dev/null && seed[$pid]=1 ;;
		esac
	done < <(ps -e -o pid= -o ppid= -o comm=)
	unset "seed[$$]" "seed[$BASHPID]"
	[ ${#seed[@]} -eq 0 ] && return 0
	# Close over descendants.
	while [ $changed -eq 1 ]; do
		changed=0
		for pid in "${!parent[@]}"; do
			[ -n "${seed[$pid]:-}" ] && continue
			if [ -n "${seed[${parent[$pid]}]:-}" ]; then
				seed[$pid]=1
				changed=1
			fi
		done
	done
	echo "${!seed[@]}"
}

slurm_lab_start() {
	local dir=$1 t0 host addr cport dport nodeline conf sock i state
	t0=$(_slurm_lab_now)
	if [ -z "$dir" ]; then
		_slurm_lab_log "usage: slurm_lab_start DIR"
		return 2
	fi
	if [ "$(id -u)" -ne 0 ]; then
		_slurm_lab_log "must run as root (daemons run with SlurmUser=root)"
		return 1
	fi
	case "$dir" in /*) ;; *) dir=$(pwd)/$dir ;; esac
	sock="$dir/munge/munge.socket"
	if [ ${#sock} -gt 100 ]; then
		_slurm_lab_log "DIR too long for a unix socket path: $sock"
		return 1
	fi
	for i in munged slurmctld slurmd sbatch sinfo mungekey; do
		command -v "$i" >/dev/null || { _slurm_lab_log "$i not found (run slurm_lab_install)"; return 1; }
	done

	if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
		_slurm_lab_log "$dir exists and is not empty (a running lab? slurm_lab_stop it first)"
		return 1
	fi
	# munged requires execute permission for all on every directory above its socket and a
	# key directory writable by its owner only, so DIR is 0755, never 0700 nor 0777.
	mkdir -p "$dir" || return 1
	chmod 0755 "$dir"
	# Marks DIR as ours: slurm_lab_stop removes only a directory that has it (or is empty).
	: >"$dir/.slurm-lab"
	local up=$dir
	while up=$(dirname "$up") && [ "$up" != / ]; do
		if [ "$(( $(stat -c '0%a' "$up") & 01 ))" -eq 0 ]; then
			_slurm_lab_log "$up lacks execute permission for others; munged refuses a socket below it (chmod o+x, or use another DIR)"
			return 1
		fi
	done
	mkdir -p "$dir/etc" "$dir/munge" "$dir/run" "$dir/log" "$dir/state" "$dir/spool" || return 1
	chmod 0755 "$dir/etc" "$dir/munge" "$dir/run" "$dir/log" "$dir/state" "$dir/spool"

	# Node name = short host name: slurmctld only runs where gethostname() matches
	# SlurmctldHost, and slurmd is told its NodeName with -N. Addresses are given
	# explicitly, so the host name does not have to resolve.
	host=$(hostname -s)
	addr=127.0.0.1
	cport=$(_slurm_lab_free_port "") || return 1
	dport=$(_slurm_lab_free_port "$cport") || return 1
	# "NodeName=vm CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=24105"
	nodeline=$(slurmd -C 2>/dev/null | head -n 1)
	case "$nodeline" in
	NodeName=*RealMemory=*) ;;
	*) _slurm_lab_log "slurmd -C gave no node description: $nodeline"; return 1 ;;
	esac
	nodeline=${nodeline#NodeName=* }

	conf="$dir/etc/slurm.conf"
	cat >"$conf.tmp" <<EOF
# Generated by slurm-lab.sh: a private single-node cluster, everything under $dir
ClusterName=lab
SlurmctldHost=$host($addr)
SlurmctldPort=$cport
SlurmdPort=$dport
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$dir/etc/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# Batch jobs are otherwise scheduled up to 3 s late (batch_sched_delay default 3).
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
MailProg=/bin/true
InactiveLimit=0
KillWait=5
# sbatch --wait polls after 2 s, then 8 s, then 32 s, unless MinJobAge is this low: it only
# lengthens its poll while the poll stays below MinJobAge/2 (or /3), so that a finished
# job cannot be purged unseen. MinJobAge=5 keeps the poll at 2 s.
MinJobAge=5
NodeName=$host NodeAddr=$addr NodeHostname=$host $nodeline State=UNKNOWN
PartitionName=lab Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
	mv "$conf.tmp" "$conf"
	: >"$dir/etc/plugstack.conf"

	# 1024-bit random key, owned by root, mode 0600 (munged refuses group/other access).
	mungekey -c -k "$dir/munge/munge.key" 2>"$dir/log/mungekey.err" || {
		_slurm_lab_log "mungekey failed: $(cat "$dir/log/mungekey.err")"
		return 1
	}
	chmod 0600 "$dir/munge/munge.key"

	# SLURM_LAB_DAEMON marks the daemons and everything they start (see _slurm_lab_pids).
	if ! env SLURM_LAB_DAEMON="$dir" munged --key-file="$dir/munge/munge.key" \
		--socket="$sock" --pid-file="$dir/run/munged.pid" \
		--log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
		</dev/null >/dev/null 2>"$dir/log/munged.err"; then
		_slurm_lab_log "munged failed: $(tail -n 1 "$dir/log/munged.err")"
		return 1
	fi
	if ! munge -S "$sock" -n 2>/dev/null | unmunge -S "$sock" >/dev/null 2>&1; then
		_slurm_lab_log "munge round trip through $sock failed"
		return 1
	fi

	# Daemon mode (no -D): each forks, calls setsid and writes its pid file, so a
	# Ctrl-C on the caller's terminal does not reach them; slurm_lab_stop ends them.
	if ! env SLURM_LAB_DAEMON="$dir" SLURM_CONF="$conf" slurmctld -f "$conf" -i \
		</dev/null >/dev/null 2>"$dir/log/slurmctld.err"; then
		_slurm_lab_log "slurmctld failed: $(tail -n 1 "$dir/log/slurmctld.err")"
		return 1
	fi
	if ! env SLURM_LAB_DAEMON="$dir" SLURM_CONF="$conf" slurmd -f "$conf" -N "$host" \
		</dev/null >/dev/null 2>"$dir/log/slurmd.err"; then
		_slurm_lab_log "slurmd failed: $(tail -n 1 "$dir/log/slurmd.err")"
		return 1
	fi

	# Wait (at most SLURM_LAB_START_TIMEOUT, 60 s) for the node to register and become
	# idle; give up at once if a daemon died.
	local started=$SECONDS limit=${SLURM_LAB_START_TIMEOUT:-60} name pid
	state=
	while :; do
		for name in munged slurmctld slurmd; do
			pid=$(cat "$dir/run/$name.pid" 2>/dev/null)
			if [ -z "$pid" ] || ! _slurm_lab_alive "$pid"; then
				# A daemon writes its pid file a moment after forking: allow 5 s.
				[ -z "$pid" ] && [ $((SECONDS - started)) -lt 5 ] && continue
				_slurm_lab_log "$name is not running; last lines of $dir/log/$name.log:"
				tail -n 5 "$dir/log/$name.log" >&2 2>/dev/null
				return 1
			fi
		done
		state=$(SLURM_CONF="$conf" timeout 5 sinfo -h -n "$host" -o %T 2>/dev/null)
		[ "$state" = idle ] && break
		if [ $((SECONDS - started)) -ge "$limit" ]; then
			_slurm_lab_log "node $host not idle after $limit s (state '${state:-no answer}'); see $dir/log"
			tail -n 5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 2>/dev/null
			return 1
		fi
		sleep 0.1
	done
	SLURM_LAB_START_SECS=$(_slurm_lab_since "$t0")
	_slurm_lab_log "cluster up in ${SLURM_LAB_START_SECS}s: node $host ($nodeline), ports $cport/$dport"
	return 0
}

slurm_lab_stop() {
	local dir=$1 t0 conf jobs pid name pids
	t0=$(_slurm_lab_now)
	[ -n "$dir" ] || { _slurm_lab_log "usage: slurm_lab_stop DIR"; return 2; }
	case "$dir" in /*) ;; *) dir=$(pwd)/$dir ;; esac
	conf="$dir/etc/slurm.conf"
	[ -d "$dir" ] || return 0
	# DIR is removed at the end: refuse a directory that slurm_lab_start did not make.
	if [ -n "$(ls -A "$dir")" ] && [ ! -f "$dir/.slurm-lab" ]; then
		_slurm_lab_log "$dir is not a slurm-lab directory (no .slurm-lab); not touching it"
		return 1
	fi

	# 1. Cancel this cluster's jobs while the controller still answers, so slurmd
	#    ends the job steps the normal way.
	pid=$(cat "$dir/run/slurmctld.pid" 2>/dev/null)
	if [ -f "$conf" ] && [ -n "$pid" ] && _slurm_lab_alive "$pid"; then
		jobs=$(SLURM_CONF="$conf" timeout 5 squeue -h -o %F 2>/dev/null | sort -u)
		if [ -n "$jobs" ]; then
			# shellcheck disable=SC2086
			SLURM_CONF="$conf" timeout 5 scancel $jobs 2>/dev/null
			# squeue lists pending, running and completing (CG) jobs by default.
			for _ in $(seq 1 150); do
				[ -z "$(SLURM_CONF="$conf" timeout 5 squeue -h -o %i 2>/dev/null)" ] && break
				sleep 0.1
			done
		fi
	fi

	# 2. Daemons, node first, by their pid files; munged last (the others need it).
	for name in slurmd slurmctld munged; do
		pid=$(cat "$dir/run/$name.pid" 2>/dev/null)
		case "$pid" in '' | *[!0-9]*) continue ;; esac
		# Only a process that carries this lab's marker: never a recycled pid.
		grep -qzxF -- "SLURM_LAB_DAEMON=$dir" "/proc/$pid/environ" 2>/dev/null || continue
		_slurm_lab_kill_wait "$pid" 150
	done

	# 3. Whatever this lab started and is still alive (orphaned slurmstepd, job scripts
	#    after a crash or a SIGKILL of slurmd).
	pids=$(_slurm_lab_pids "$dir")
	if [ -n "$pids" ]; then
		_slurm_lab_log "ending leftover lab processes: $pids"
		# shellcheck disable=SC2086
		kill -TERM $pids 2>/dev/null
		# slurmstepd ignores SIGTERM: 2 s for all together, then SIGKILL the rest.
		# shellcheck disable=SC2086 # a list of pids
		_slurm_lab_wait_all 20 $pids || kill -KILL $pids 2>/dev/null
		# shellcheck disable=SC2086
		_slurm_lab_wait_all 30 $pids || _slurm_lab_log "survived SIGKILL: $pids"
	fi

	rm -rf "$dir"
	SLURM_LAB_STOP_SECS=$(_slurm_lab_since "$t0")
	_slurm_lab_log "cluster stopped and $dir removed in ${SLURM_LAB_STOP_SECS}s"
	return 0
}
