#!/usr/bin/env bash
# etcd-cluster.sh: a local etcd cluster of separate processes on loopback, for
# the process-level fault tests and for trying nashra's etcd mode by hand.
#
#   scripts/etcd-cluster.sh start DIR [BASE_PORT]   start MEMBERS members (default 3) with data and logs
#                                                   in DIR, wait until each is healthy, print the client
#                                                   endpoints (comma-separated; also in DIR/endpoints).
#                                                   Member i listens for clients on BASE_PORT+2i and for
#                                                   peers on BASE_PORT+2i+1 (BASE_PORT default 23790).
#   scripts/etcd-cluster.sh kill DIR I              kill -9 member I (0-based)
#   scripts/etcd-cluster.sh restart DIR I           start member I again from its data, wait until healthy
#   scripts/etcd-cluster.sh stop DIR                SIGTERM every member, wait for them to exit
#
# The members are internal/etcdmember (etcd's own embed package at the
# version go.mod names), built into DIR/etcdmember. ETCD_BIN=/usr/bin/etcd
# runs another etcd binary with the same flags instead.
set -euo pipefail

die() { echo "etcd-cluster.sh: $*" >&2; exit 1; }

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start|stop|kill|restart DIR [BASE_PORT|I]"
root=$(cd "$(dirname "$0")/.." && pwd)

# healthy URL: the member answers /health with health true (it has a leader).
healthy() {
	local body
	body=$(curl -fsS -m 1 "$1/health" 2>/dev/null) || return 1
	case $body in *'"health":"true"'*) return 0 ;; esac
	return 1
}

wait_healthy() { # URL...
	local deadline=$((SECONDS + 30)) u
	for u in "$@"; do
		until healthy "$u"; do
			[ $SECONDS -lt $deadline ] || die "$u not healthy after 30 s (logs in $dir/*.log)"
			sleep 0.1
		done
	done
}

# launch I: start member I with the arguments written at start.
launch() {
	local i=$1 args
	mapfile -t args <"$dir/m$i.args"
	"${args[@]}" >>"$dir/m$i.log" 2>&1 &
	echo $! >"$dir/m$i.pid"
}

# alive PID: running, not a zombie left for a parent that does not reap.
alive() {
	local state
	state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
	[ "$state" != Z ]
}

client_url() { sed -n "$(($1 + 1))p" "$dir/clients"; }

case $cmd in
start)
	base=${3:-23790}
	n=${MEMBERS:-3}
	mkdir -p "$dir"
	bin=${ETCD_BIN:-}
	if [ -z "$bin" ]; then
		bin=$dir/etcdmember
		(cd "$root" && go build -o "$bin" ./internal/etcdmember)
	fi
	initial=""
	for ((i = 0; i < n; i++)); do
		initial+="${initial:+,}m$i=http://127.0.0.1:$((base + 2 * i + 1))"
	done
	: >"$dir/clients"
	for ((i = 0; i < n; i++)); do
		c=http://127.0.0.1:$((base + 2 * i))
		p=http://127.0.0.1:$((base + 2 * i + 1))
		echo "$c" >>"$dir/clients"
		# One argument a line, so that restart runs exactly this again.
		printf '%s\n' "$bin" --name "m$i" --data-dir "$dir/m$i" \
			--listen-client-urls "$c" --advertise-client-urls "$c" \
			--listen-peer-urls "$p" --initial-advertise-peer-urls "$p" \
			--initial-cluster "$initial" --initial-cluster-token nashra-etcd-cluster \
			--initial-cluster-state new --heartbeat-interval 50 --election-timeout 500 \
			--log-level warn >"$dir/m$i.args"
		launch "$i"
	done
	mapfile -t clients <"$dir/clients"
	wait_healthy "${clients[@]}"
	(IFS=,; echo "${clients[*]}") | tee "$dir/endpoints"
	;;
kill)
	i=${3:?member number}
	kill -9 "$(cat "$dir/m$i.pid")"
	# Wait until it is gone, so that a restart can take its ports.
	while alive "$(cat "$dir/m$i.pid")"; do sleep 0.05; done
	;;
restart)
	i=${3:?member number}
	launch "$i"
	wait_healthy "$(client_url "$i")"
	;;
stop)
	# One at a time: members stopped together wait for each other (a leader
	# stopping hands its leadership to a member that is stopping too).
	for f in "$dir"/m*.pid; do
		[ -e "$f" ] || continue
		pid=$(cat "$f")
		rm -f "$f"
		kill -TERM "$pid" 2>/dev/null || continue
		deadline=$((SECONDS + 20))
		while alive "$pid"; do
			if [ $SECONDS -ge $deadline ]; then
				echo "etcd-cluster.sh: member $pid still running 20 s after SIGTERM: killed" >&2
				kill -9 "$pid"
			fi
			sleep 0.05
		done
	done
	;;
*)
	die "unknown command $cmd: start, kill, restart or stop"
	;;
esac
