#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for trying `./harness run --executor slurm` and for its integration test.
#   scripts/slurm-local.sh up       install (Debian: slurm-wlm, munge), configure and start; idempotent
#   scripts/slurm-local.sh down     stop the daemons (the configuration stays)
#   scripts/slurm-local.sh status   say whether the cluster answers (exit 0) or not (exit 1)
# Loopback only: slurmctld and slurmd run as root on 127.0.0.1, one partition `local` with this machine's cores and
# memory, select/cons_tres, proctrack/linuxproc, no accounting storage (so `sacct` answers nothing: Harness never
# asks it). State lives under /var/lib/harness-slurm; logs under /var/log/harness-slurm.
set -euo pipefail

say() { printf '[slurm-local] %s\n' "$*" >&2; }
cmd="${1:-up}"
state=/var/lib/harness-slurm
logs=/var/log/harness-slurm
conf=/etc/slurm/slurm.conf
node="$(hostname -s)"

answers() { timeout 5 scontrol ping 2>/dev/null | grep -q 'UP' && timeout 5 sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; }

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    say "needs root (it installs packages and starts slurmctld and slurmd as root); run it with sudo."
    exit 2
  fi
}

install() {
  command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 && command -v munged >/dev/null 2>&1 && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    say "slurm-wlm and munge are missing and this is not a Debian-like system: install them, then rerun."
    exit 2
  fi
  say "installing slurm-wlm and munge (apt-get)…"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null 2>&1 || {
    apt-get update -q >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null
  }
}

configure() {
  local hardware memory
  # The node as slurmd sees it (sockets, cores, threads), with 10% of the memory left to the system.
  hardware=$(slurmd -C | head -1 | tr ' ' '\n' | grep -E '^(CPUs|Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore)=' | tr '\n' ' ')
  memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
  mkdir -p /etc/slurm "$state/ctld" "$state/d" "$logs"
  cat > "$conf.new" <<EOF
# Written by scripts/slurm-local.sh: a one-node cluster on loopback.
ClusterName=harness-local
SlurmctldHost=${node}(127.0.0.1)
SlurmUser=root
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$logs/slurmctld.log
SlurmdLogFile=$logs/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
KillWait=30
NodeName=${node} NodeAddr=127.0.0.1 ${hardware}RealMemory=${memory} State=UNKNOWN
PartitionName=local Nodes=${node} Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
  if ! cmp -s "$conf.new" "$conf" 2>/dev/null; then mv "$conf.new" "$conf"; restart=1; else rm -f "$conf.new"; fi
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
    chown munge:munge /etc/munge/munge.key 2>/dev/null || true
    chmod 400 /etc/munge/munge.key
  fi
}

stop_daemons() {
  pkill -x slurmd || true
  pkill -x slurmctld || true
  for _ in $(seq 1 10); do pgrep -x slurmctld >/dev/null || pgrep -x slurmd >/dev/null || return 0; sleep 1; done
  pkill -9 -x slurmd || true   # a slurmd waiting to register ignores SIGTERM
  pkill -9 -x slurmctld || true
  sleep 1
}

start() {
  mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
  pgrep -x munged >/dev/null || { runuser -u munge -- munged 2>/dev/null || munged --force; }
  if [ "${restart:-0}" = 1 ]; then stop_daemons; fi
  pgrep -x slurmctld >/dev/null || slurmctld
  # slurmd registers once at start and then backs off for minutes: start it only once the controller answers.
  for _ in $(seq 1 30); do timeout 5 scontrol ping 2>/dev/null | grep -q UP && break; sleep 1; done
  pgrep -x slurmd >/dev/null || slurmd
  for _ in $(seq 1 60); do
    if answers; then
      scontrol update nodename="$node" state=resume >/dev/null 2>&1 || true
      say "up: partition local, node $node ($(nproc) CPUs) on 127.0.0.1"
      return 0
    fi
    scontrol update nodename="$node" state=resume >/dev/null 2>&1 || true
    sleep 1
  done
  say "the daemons did not come up within 60 s; see $logs/slurmctld.log and $logs/slurmd.log"
  exit 1
}

case "$cmd" in
  up)
    if answers; then say "already up (partition local, node $node)"; exit 0; fi
    need_root; install; configure; start ;;
  down)
    need_root
    stop_daemons
    say "stopped slurmd and slurmctld (munged keeps running; the configuration stays in $conf)" ;;
  status)
    if answers; then sinfo; exit 0; fi
    say "not answering (start it with scripts/slurm-local.sh up)"; exit 1 ;;
  *) say "usage: $0 up|down|status"; exit 2 ;;
esac
