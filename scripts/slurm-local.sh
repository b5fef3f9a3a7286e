#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for testing `./lab sweep submit --slurm` locally and in CI.
#
#   scripts/slurm-local.sh start    install Debian's slurm + munge if missing, configure, start, wait for the node
#   scripts/slurm-local.sh stop     stop the daemons this script started (jobs and their state are kept)
#   scripts/slurm-local.sh status   say whether the cluster is up; exit 0 iff it is
#
# Needs root and apt-get (Debian/Ubuntu). Runs the daemons directly, without systemd, so it works the
# same whether or not systemd is PID 1. Everything it writes lives in $STATE_DIR, except the files the
# packages own (/etc/munge, /run/munge) and /etc/slurm/slurm.conf, where every Slurm command looks; that
# file carries a marker line and the script refuses to overwrite a slurm.conf without it.
# On failure the last line on stderr is "slurm-local: <reason>" and the exit code is 1, so CI can print
# "skipped: <reason>". Design notes and pitfalls: docs/slurm.md.
set -euo pipefail

STATE_DIR="${SLURM_LOCAL_DIR:-/var/lib/attention-lab-slurm}"
CONF=/etc/slurm/slurm.conf
MARKER="# written by attention-lab scripts/slurm-local.sh"
PARTITION=local
PACKAGES=(slurmctld slurmd slurm-client munge)
POLICY=/usr/sbin/policy-rc.d
START_TIMEOUT="${SLURM_LOCAL_TIMEOUT:-90}"   # seconds to wait for the node to become idle

say() { echo "slurm-local: $*" >&2; }
die() { say "$*"; exit 1; }

node_name() { hostname -s; }

# ---------------------------------------------------------------- install

installed() {
  local p
  for p in "${PACKAGES[@]}"; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || return 1
  done
}

install_packages() {
  installed && return 0
  command -v apt-get >/dev/null || die "cannot install slurm: apt-get not found (needs Debian or Ubuntu)"
  say "installing ${PACKAGES[*]} with apt-get (log: $STATE_DIR/apt.log)"
  # Keep the packages' maintainer scripts from starting daemons with the packaged (empty) config:
  # invoke-rc.d and deb-systemd-invoke both obey policy-rc.d exit code 101 ("action forbidden").
  local own_policy=0
  if [[ ! -e "$POLICY" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$POLICY" && chmod 755 "$POLICY" && own_policy=1
    trap 'rm -f "$POLICY"' EXIT
  fi
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300 -o Acquire::http::Timeout=30 -o Acquire::Retries=1)
  if ! { "${apt[@]}" update && "${apt[@]}" install --no-install-recommends "${PACKAGES[@]}"; } \
      >>"$STATE_DIR/apt.log" 2>&1; then
    local why
    why="$(grep -E '^(E|Err):' "$STATE_DIR/apt.log" | tail -1 || true)"
    die "cannot install slurm: apt-get failed (${why:-$(tail -1 "$STATE_DIR/apt.log")}; see $STATE_DIR/apt.log)"
  fi
  if ((own_policy)); then rm -f "$POLICY"; trap - EXIT; fi
  installed || die "cannot install slurm: packages still missing after apt-get"
}

# ---------------------------------------------------------------- configure

# munged refuses a key or directories that others can read or write; the packages set this up, but
# a key copied in by hand (or a tmpfs /run without systemd-tmpfiles) is the usual cause of failure.
prepare_munge() {
  local key=/etc/munge/munge.key
  if [[ ! -s "$key" ]]; then
    if command -v mungekey >/dev/null; then mungekey --create --keyfile="$key" --force
    else dd if=/dev/urandom of="$key" bs=1024 count=1 status=none; fi
  fi
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge /etc/munge
  chown munge:munge "$key" && chmod 0400 "$key"
}

# The node line comes from `slurmd -C` (CPUs, sockets, cores, threads, RealMemory as slurmd will see
# them), so the node is never drained for claiming more than the machine has.
write_config() {
  if [[ -e "$CONF" ]] && ! grep -qxF "$MARKER" "$CONF"; then
    die "cannot configure: $CONF exists and was not written by this script (a real cluster's config?)"
  fi
  local node hw
  node="$(node_name)"
  hw="$(slurmd -C 2>/dev/null | grep -m1 '^NodeName=' | sed -E "s/^NodeName=[^ ]+ //" || true)"
  [[ "$hw" == *CPUs=* ]] || die "cannot configure: 'slurmd -C' did not report the node's CPUs"
  install -d -m 0755 /etc/slurm "$STATE_DIR/state" "$STATE_DIR/spool" "$STATE_DIR/log"
  local tmp="$CONF.tmp.$$"
  cat >"$tmp" <<EOF
$MARKER
# A single-node test cluster; state, spool, logs and pid files under $STATE_DIR.
ClusterName=attentionlab
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$STATE_DIR/log/jobcomp.txt
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=$STATE_DIR/state
SlurmdSpoolDir=$STATE_DIR/spool
SlurmctldPidFile=$STATE_DIR/slurmctld.pid
SlurmdPidFile=$STATE_DIR/slurmd.pid
SlurmctldLogFile=$STATE_DIR/log/slurmctld.log
SlurmdLogFile=$STATE_DIR/log/slurmd.log
NodeName=$node NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=$PARTITION Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  if [[ -e "$CONF" ]] && cmp -s "$tmp" "$CONF"; then rm -f "$tmp"; else mv "$tmp" "$CONF"; CONFIG_CHANGED=1; fi
}

# ---------------------------------------------------------------- daemons

# A process that exists and is not a zombie (PID 1 here may be slow to reap exited daemons).
# Reads /proc, not ps: minimal images have no procps.
running() { local st; st="$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || true)"; [[ -n "$st" && "$st" != Z ]]; }
alive() { [[ -s "$1" ]] && running "$(cat "$1")"; }
munge_works() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

start_munge() {
  munge_works && return 0     # a munged is already serving (ours, or one started by systemd)
  /usr/sbin/runuser -u munge -- /usr/sbin/munged >>"$STATE_DIR/log/munged.start.log" 2>&1 9>&- \
    || die "munged failed to start ($(tail -1 "$STATE_DIR/log/munged.start.log"); see /var/log/munge/munged.log)"
  echo /run/munge/munged.pid >"$STATE_DIR/munged.started-here"
  local i
  for i in $(seq 50); do munge_works && return 0; sleep 0.1; done
  die "munged started but 'munge -n | unmunge' fails (see /var/log/munge/munged.log)"
}

start_daemon() {  # name, pid file, command...
  local name="$1" pid="$2"; shift 2
  alive "$pid" && return 0
  local log="$STATE_DIR/log/$name.log" seen=0 i
  [[ -f "$log" ]] && seen="$(stat -c %s "$log")"
  "$@" >>"$STATE_DIR/log/$name.start.log" 2>&1 9>&- \
    || die "$name failed to start ($(tail -1 "$STATE_DIR/log/$name.start.log"); see $log)"
  for i in $(seq 50); do alive "$pid" && return 0; sleep 0.1; done
  local why  # the last error this start appended to the daemon's log
  why="$(tail -c +$((seen + 1)) "$log" 2>/dev/null | grep -iE 'fatal|error' | tail -1 || true)"
  die "$name exited right after starting (${why:-no error logged}; see $log)"
}

# Waits for the process itself, not its pid file: slurmctld removes the file seconds before it exits.
stop_daemon() {  # name, pid file
  local name="$1" file="$2" pid i
  alive "$file" || { rm -f "$file"; return 0; }
  pid="$(cat "$file")"
  kill "$pid" 2>/dev/null || true
  for i in $(seq 300); do running "$pid" || { rm -f "$file"; return 0; }; sleep 0.1; done
  say "$name did not stop within 30 s; killing it"
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$file"
}

node_state() { sinfo -h -N -n "$(node_name)" -o '%t' 2>/dev/null | head -1 || true; }

# True once slurmd has registered with slurmctld at or after epoch second $1: after a restart,
# slurmctld reports the node's saved state (e.g. idle) before the new slurmd has said hello.
registered_since() {
  local t
  t="$(scontrol show node "$(node_name)" 2>/dev/null | grep -oE 'SlurmdStartTime=[^ ]+' | cut -d= -f2 || true)"
  [[ -n "$t" && "$t" != None ]] && (($(date -d "$t" +%s) >= $1))
}

wait_for_idle() {  # epoch second slurmd was started at (0: it was already running)
  local deadline=$((SECONDS + START_TIMEOUT)) state=""
  while ((SECONDS < deadline)); do
    state="$(node_state)"
    case "$state" in
      idle|mix|alloc|comp) registered_since "$1" && return 0 ;;
      drain*|drng|down)    # ReturnToService=2 revives a DOWN node that registers; a DRAIN needs a resume
        scontrol update NodeName="$(node_name)" State=RESUME >/dev/null 2>&1 || true ;;
    esac
    sleep 1
  done
  local reason
  reason="$(sinfo -h -N -n "$(node_name)" -o '%E' 2>/dev/null | head -1 || true)"
  die "node $(node_name) not idle after ${START_TIMEOUT}s (state '${state:-no answer from slurmctld}'${reason:+, reason: $reason}; see $STATE_DIR/log/)"
}

# ---------------------------------------------------------------- commands

init_system() { [[ "$(cat /proc/1/comm 2>/dev/null)" == systemd ]] && echo systemd || echo "no systemd"; }

cmd_start() {
  [[ $EUID -eq 0 ]] || die "cannot start: must run as root (installs packages and starts daemons)"
  take_lock
  install -d -m 0755 "$STATE_DIR/log"
  install_packages
  prepare_munge
  CONFIG_CHANGED=0
  write_config
  if ((CONFIG_CHANGED)) && alive "$STATE_DIR/slurmctld.pid"; then
    say "slurm.conf changed; restarting slurmctld and slurmd (jobs are kept)"
    stop_daemon slurmd "$STATE_DIR/slurmd.pid"
    stop_daemon slurmctld "$STATE_DIR/slurmctld.pid"
  fi
  start_munge
  start_daemon slurmctld "$STATE_DIR/slurmctld.pid" /usr/sbin/slurmctld
  local since=0
  alive "$STATE_DIR/slurmd.pid" || since="$(date +%s)"
  start_daemon slurmd "$STATE_DIR/slurmd.pid" /usr/sbin/slurmd -N "$(node_name)"
  wait_for_idle "$since"
  cmd_status
}

cmd_stop() {
  [[ $EUID -eq 0 ]] || die "cannot stop: must run as root"
  take_lock
  stop_daemon slurmd "$STATE_DIR/slurmd.pid"
  stop_daemon slurmctld "$STATE_DIR/slurmctld.pid"
  if [[ -f "$STATE_DIR/munged.started-here" ]]; then
    stop_daemon munged "$(cat "$STATE_DIR/munged.started-here")"
    rm -f "$STATE_DIR/munged.started-here"
  fi
  say "stopped"
}

cmd_status() {
  command -v sinfo >/dev/null || { echo "down: slurm is not installed"; return 1; }
  local state
  state="$(node_state)"
  if [[ -z "$state" ]]; then echo "down: no answer from slurmctld ($CONF)"; return 1; fi
  local node; node="$(node_name)"
  case "$state" in
    idle|mix|alloc|comp)
      echo "up: node $node $state, $(sinfo -h -N -n "$node" -o '%c CPUs, %m MB'), partition $PARTITION ($(init_system); state in $STATE_DIR)" ;;
    *) echo "down: node $node is $state ($(sinfo -h -N -n "$node" -o '%E' | head -1 || true))"; return 1 ;;
  esac
}

# start and stop of concurrent callers (several test runs on one machine) take turns. The daemons are
# started with fd 9 closed, or they would hold the lock for ever.
take_lock() {
  install -d -m 0755 "$STATE_DIR"
  exec 9>"$STATE_DIR/lock"
  flock -w 300 9 || die "another slurm-local.sh start/stop held $STATE_DIR/lock for 300 s"
}

case "${1:-}" in
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
