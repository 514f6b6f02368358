# bench/events.sh: the events suite of bench/run: many open GET /api/v1/events streams through nginx: how many get a change, how fast, and the memory each open stream costs.
#
# Sourced by bench/run after bench/lib.sh. events_setup signs a business up
# through the API (a fixed phone and device) and logs its owner in; events_run
# starts bench/events-client, which opens --streams streams (one epoll thread,
# HTTP/1.0 through nginx, the owner's token) and waits for every ready event;
# the suite then reads the resident memory of bahi-events and of nginx's
# workers, compared with before the streams opened, and lets the client commit
# one change per round (POST /api/v1/categories) and report, per round, how
# many streams got it and the latency from the moment the POST was sent.
# shellcheck shell=bash disable=SC2153

EVENTS_STREAMS=${EVENTS_STREAMS:-500}
EVENTS_PHONE=+923000000045
EVENTS_PASSWORD=bench-events-2026
EVENTS_DEVICE=0b5e7c4a-1d2f-4e3a-9b6c-00000000be06
EVENTS_TOKEN=""
EVENTS_CLIENT=""
EVENTS_GO=""

events_setup() {
	bench_signup "$EVENTS_PHONE" "$EVENTS_PASSWORD" "$EVENTS_DEVICE" "Bench Events" >/dev/null
	EVENTS_TOKEN=$(bench_token "$EVENTS_PHONE" "$EVENTS_PASSWORD" "$EVENTS_DEVICE")
	wait_200 /api/v1/events/health
}

# Resident memory of process $1, in kB.
events_rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# Resident memory of nginx's worker processes (the master's children), in kB.
events_nginx_rss() {
	local master total=0 f pid
	master=$(cat "$VAR/nginx/logs/nginx.pid")
	for f in /proc/[0-9]*/stat; do
		[ "$(cut -d' ' -f4 "$f" 2>/dev/null)" = "$master" ] || continue
		pid=${f#/proc/}
		total=$((total + $(events_rss "${pid%/stat}")))
	done
	printf '%s' "$total"
}

# "NAME: A kB idle, B kB with N streams open: (B - A) / N per stream".
events_memory_line() {
	awk -v name="$1" -v a="$2" -v b="$3" -v n="$EVENTS_STREAMS" -v extra="$4" 'BEGIN {
		printf "%s: %.1f MB idle, %.1f MB with %d streams open%s: %.1f kB per stream\n",
			name, a / 1024, b / 1024, n, extra, (b - a) / n }'
}

# Starts bench/events-client, its output in $1/out, its input (one line:
# go) from the FIFO $1/go; waits for its ready line. Sets EVENTS_CLIENT (its
# pid) and EVENTS_GO (the FIFO's write end).
events_client_start() {
	local dir=$1
	rm -f "$dir/go" "$dir/out"
	mkfifo "$dir/go"
	"$BUILD/bench/events-client" --port "$PORT" --token "$EVENTS_TOKEN" \
		--streams "$EVENTS_STREAMS" --rounds "$ROUNDS" <"$dir/go" >"$dir/out" &
	EVENTS_CLIENT=$!
	exec {EVENTS_GO}>"$dir/go"
	for _ in $(seq 900); do
		grep -q '^ready:' "$dir/out" && return 0
		kill -0 "$EVENTS_CLIENT" 2>/dev/null || break
		sleep 0.1
	done
	die "bench/events-client opened no $EVENTS_STREAMS streams; see $dir/out"
}

events_run() {
	local pid idle idle_nginx open open_nginx threads rc=0 dir=$VAR/bench-events
	pid=$(cat "$VAR/run/events.pid") || die "no pid file for bahi-events"
	mkdir -p "$dir"
	say "bahi events benchmark: $EVENTS_STREAMS streams of one business through nginx," \
		"$ROUNDS rounds of one change each, $(nproc) CPUs"
	idle=$(events_rss "$pid")
	idle_nginx=$(events_nginx_rss)
	events_client_start "$dir"
	open=$(events_rss "$pid")
	open_nginx=$(events_nginx_rss)
	threads=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
	echo go >&"$EVENTS_GO"
	exec {EVENTS_GO}>&-
	wait "$EVENTS_CLIENT" || rc=$?
	cat "$dir/out"
	events_memory_line "bahi-events" "$idle" "$open" " ($threads threads)"
	events_memory_line "nginx workers" "$idle_nginx" "$open_nginx" ""
	[ "$rc" = 0 ] || die "bench/events-client failed (exit $rc; 3: a stream missed a change)"
	say "goal: every stream gets every change within 1 s"
}
