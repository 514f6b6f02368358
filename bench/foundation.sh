# bench/foundation.sh: the foundation suite of bench/run: nginx's static file, a trivial FastCGI SELECT 1 and bahi's health.
#
# Sourced by bench/run after bench/lib.sh. foundation_setup starts
# bench/baseline-fcgi next to the stack and adds its nginx locations;
# foundation_run measures and reports.
# shellcheck shell=bash

FOUNDATION_GOAL=0.80
FOUNDATION_TARGETS=(static baseline bahi)
BASELINE_PID=""

target static "nginx static file" /bench/static.json foundation_measure
target baseline "baseline FastCGI" /bench/baseline foundation_measure
target bahi "bahi health" /api/v1/health foundation_measure

stop_baseline() {
	local pid=$BASELINE_PID
	[ -f "$VAR/run/baseline.pid" ] && pid=$(cat "$VAR/run/baseline.pid")
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null || true
}

# baseline-fcgi on run/baseline.sock, with bahi's own app-role conninfo.
start_baseline() {
	local db_url sock=$VAR/run/baseline.sock
	db_url=$(sed -n 's/^db_url = //p' "$VAR/bahi.conf")
	[ -n "$db_url" ] || die "no db_url in $VAR/bahi.conf"
	on_cleanup stop_baseline
	setsid "$BUILD/bench/baseline-fcgi" --socket "$sock" --processes "$PROCESSES" \
		--db "$db_url" --pidfile "$VAR/run/baseline.pid" \
		>>"$VAR/log/baseline.log" 2>&1 </dev/null &
	BASELINE_PID=$!
	for _ in $(seq 100); do [ -S "$sock" ] && return 0; sleep 0.05; done
	cat "$VAR/log/baseline.log" >&2
	die "baseline-fcgi did not start"
}

# The baseline and static locations.
foundation_setup() {
	start_baseline
	mkdir -p "$VAR/bench-static"
	printf '{"status":"ok","db":"ok"}' >"$VAR/bench-static/static.json"
	bench_locations baseline <<-EOF
		# written by bench/run: the foundation benchmark's baseline
		# locations. The baseline includes the very snippet of bahi's
		# /api/v1/health location, so nginx does the same work for both.
		location = /bench/baseline {
			include snippets/bahi-api.conf;
			fastcgi_pass unix:$VAR/run/baseline.sock;
		}
		location = /bench/static.json {
			alias $VAR/bench-static/static.json;
		}
	EOF
	local t
	for t in "${FOUNDATION_TARGETS[@]}"; do wait_200 "${TPATH[$t]}"; done
}

foundation_measure() { wrk_measure "${TPATH[$1]}" "$2" "$CONNECTIONS"; }

foundation_run() {
	say "bahi foundation benchmark: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (warm-up $WARMUP)," \
		"$PROCESSES FastCGI processes each, best of $ROUNDS rounds, $(nproc) CPUs"
	run_rounds "${FOUNDATION_TARGETS[@]}"
	report_table "${FOUNDATION_TARGETS[@]}"
	report_ratio "bahi/baseline" bahi baseline "$FOUNDATION_GOAL"
}
