# bench/lib.sh: shell functions the benchmark suites share: option values, the private stack, bench-only nginx locations, superuser SQL, sign-ups and tokens, wrk runs, pgbench logs and best-of-rounds bookkeeping.
#
# Sourced by bench/run, which sets ROOT, BUILD, DURATION, WARMUP, ROUNDS,
# THREADS and PROCESSES. A suite declares each of its targets with `target`.
# shellcheck shell=bash disable=SC2153

VAR=""
PORT=""
CLEANUPS=()
declare -A TNAME=() TPATH=() TMEASURE=() TWARMUP=()
declare -A BEST_RPS=() BEST_P50=() BEST_P99=()

# Declares target $1 (an id unique across suites): its name $2 and path $3 in
# the report, and $4, a function called as `$4 ID DURATION` that measures it
# and sets RPS (per second), P50 and P99 (microseconds, or "" when they do not
# apply) or dies. A fifth argument "nowarmup" skips its warm-up.
target() {
	TNAME[$1]=$2 TPATH[$1]=$3 TMEASURE[$1]=$4
	[ "${5:-}" != nowarmup ] || TWARMUP[$1]=0
}

say() { printf '%s\n' "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# A wrk duration: a bare number means seconds.
duration_arg() {
	case $1 in
	*[!0-9smh]* | "" | [smh]*) die "bad duration: $1" ;;
	*[0-9]) printf '%ss' "$1" ;;
	*) printf '%s' "$1" ;;
	esac
}

# The whole seconds of a duration_arg value (10s, 2m, 1h).
duration_seconds() {
	local n=${1%[smh]}
	case $1 in
	*m) n=$((n * 60)) ;;
	*h) n=$((n * 3600)) ;;
	esac
	printf '%s' "$n"
}

count_arg() {
	[[ $1 =~ ^[1-9][0-9]{0,3}$ ]] || die "not a count: $1"
	printf '%s' "$1"
}

# A TCP port on 127.0.0.1 that nothing answers on, below the kernel's range of
# ephemeral ports: a client connection (wrk's, or lingering in TIME-WAIT after a
# run) may hold any port of that range and make nginx's bind() fail.
free_port() {
	local p low=32768
	read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
	[ "$low" -gt 21000 ] || die "no ports below the ephemeral range ($low)"
	for _ in $(seq 100); do
		p=$((20000 + RANDOM % (low - 20000)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			printf '%s' "$p"
			return 0
		fi
	done
	die "found no free port"
}

# Registers a function that cleanup runs (last registered first) before the
# stack stops.
on_cleanup() { CLEANUPS=("$1" "${CLEANUPS[@]}"); }

cleanup() {
	local rc=$? f
	trap - EXIT INT TERM
	if [ -n "$VAR" ]; then
		# BENCH_HOLD: keep the stack while that file exists (bench/README.md)
		while [ -n "${BENCH_HOLD:-}" ] && [ -e "$BENCH_HOLD" ]; do sleep 5; done
		for f in "${CLEANUPS[@]}"; do "$f" || true; done
		BAHI_VAR="$VAR" "$ROOT/dev" down >/dev/null 2>&1 || true
		rm -rf "$VAR"
	fi
	exit "$rc"
}

# The private stack, as the integration tests start it, with $PROCESSES
# processes per worker; $1 is --seed (the demo business of tools/bahi_seed.c)
# or --no-seed.
start_stack() {
	local seed=()
	[ "$1" = --seed ] || seed=(--no-seed)
	VAR=$(mktemp -d "${TMPDIR:-/tmp}/bahi-bench.XXXXXX")
	chmod 755 "$VAR"
	PORT=$(free_port)
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	if ! BAHI_VAR="$VAR" BAHI_PORT="$PORT" BAHI_BUILD="$BUILD" BAHI_PROCESSES="$PROCESSES" \
		"$ROOT/dev" up --no-build "${seed[@]}" >"$VAR/up.log" 2>&1; then
		cat "$VAR/up.log" >&2
		tail -n 20 "$VAR"/log/*.log >&2 2>/dev/null || true
		die "./dev up failed"
	fi
}

# Writes stdin to conf/bench/$1.conf under the stack's nginx prefix (the dev
# nginx.conf includes bench/*.conf inside its server block) and reloads nginx.
bench_locations() {
	local prefix=$VAR/nginx conf=$VAR/nginx/conf/nginx.conf
	mkdir -p "$prefix/conf/bench"
	cat >"$prefix/conf/bench/$1.conf"
	grep -q 'include[[:space:]].*bench/\*\.conf' "$conf" ||
		die "$conf does not include bench/*.conf (see nginx/dev.conf.in)"
	nginx -p "$prefix" -c conf/nginx.conf -e logs/error.log -t -q || die "nginx rejects the bench locations"
	nginx -p "$prefix" -c conf/nginx.conf -e logs/error.log -s reload
	sleep 1
}

# Waits until $1 (a path) answers 200; curl options may follow.
wait_200() {
	local path=$1
	shift
	for _ in $(seq 50); do
		curl -sf -o /dev/null "$@" "http://127.0.0.1:$PORT$path" && return 0
		sleep 0.1
	done
	die "$path does not answer 200; see $VAR/nginx/logs/error.log and $VAR/log/"
}

# The number of processes a worker group runs (children of its supervisor).
worker_processes() {
	local pid n=0 f
	pid=$(cat "$VAR/run/$1.pid") || die "no pid file for worker $1"
	for f in /proc/[0-9]*/stat; do
		# field 4 of /proc/PID/stat is the parent's pid (comm has no spaces here)
		[ "$(cut -d' ' -f4 "$f" 2>/dev/null)" = "$pid" ] && n=$((n + 1))
	done
	printf '%s' "$n"
}

# Runs wrk on path $1 for $2 with $3 connections; further arguments go to wrk
# (-H ...). BENCH_METHOD and BENCH_BODY in the environment make it send that
# method and JSON body (bench/wrk-summary.lua); BENCH_STRICT=1 counts every
# answer other than 200 as an error; BENCH_SCRIPT names another wrk script that
# prints wrk-summary.lua's line. Sets RPS, P50, P99 (microseconds). Dies
# when wrk fails or counts any socket error, timeout or error answer.
wrk_measure() {
	local path=$1 duration=$2 connections=$3 out line threads=$THREADS
	shift 3
	[ "$threads" -le "$connections" ] || threads=$connections
	if ! out=$(wrk -t"$threads" -c"$connections" -d"$duration" --timeout 10s --latency \
		-s "${BENCH_SCRIPT:-$ROOT/bench/wrk-summary.lua}" "$@" "http://127.0.0.1:$PORT$path" 2>&1); then
		printf '%s\n' "$out" >&2
		die "wrk failed on $path"
	fi
	line=$(grep '^BENCH ' <<<"$out") || { printf '%s\n' "$out" >&2; die "no wrk summary"; }
	local kv k v requests=0 errors=0
	for kv in ${line#BENCH }; do
		k=${kv%%=*} v=${kv#*=}
		case $k in
		requests) requests=$v ;;
		rps) RPS=$v ;;
		p50_us) P50=$v ;;
		p99_us) P99=$v ;;
		connect | read | write | status | timeout | non200) errors=$((errors + v)) ;;
		esac
	done
	if [ "$requests" -eq 0 ] || [ "$errors" -ne 0 ]; then
		printf '%s\n' "$out" >&2
		die "$path: $requests requests, $errors errors or unexpected answers"
	fi
}

ms() {
	[ -n "$1" ] || { printf -- '-'; return 0; }
	awk -v us="$1" 'BEGIN { printf "%.2fms", us / 1000 }'
}

# Measures target $1 for $2 and keeps its best round.
measure_target() {
	local t=$1 n w=22
	"${TMEASURE[$t]}" "$t" "$2"
	for n in "${TNAME[@]}"; do [ "${#n}" -le "$w" ] || w=${#n}; done
	printf '  round %d  %-*s %10.1f /s  p50 %s  p99 %s\n' "$ROUND" "$w" "${TNAME[$t]}" \
		"$RPS" "$(ms "$P50")" "$(ms "$P99")"
	if [ -z "${BEST_RPS[$t]:-}" ] || awk -v a="$RPS" -v b="${BEST_RPS[$t]}" 'BEGIN { exit !(a > b) }'; then
		BEST_RPS[$t]=$RPS BEST_P50[$t]=$P50 BEST_P99[$t]=$P99
	fi
}

# Warm-up (targets with TWARMUP[id]=0 skip it), then ROUNDS rounds over the
# targets given as arguments, the order reversed every other round.
run_rounds() {
	local t r i order
	for t in "$@"; do
		[ "${TWARMUP[$t]:-1}" = 0 ] || "${TMEASURE[$t]}" "$t" "$WARMUP"
	done
	for r in $(seq "$ROUNDS"); do
		ROUND=$r
		order=("$@")
		if [ $((r % 2)) -eq 0 ]; then
			order=()
			for ((i = $#; i >= 1; i--)); do order+=("${!i}"); done
		fi
		for t in "${order[@]}"; do measure_target "$t" "$DURATION"; done
	done
}

# The table of the best rounds of the targets given as arguments (the name and
# path columns widen for longer names).
report_table() {
	local t wn=22 wp=26
	for t in "$@"; do
		[ "${#TNAME[$t]}" -le "$wn" ] || wn=${#TNAME[$t]}
		[ "${#TPATH[$t]}" -le "$wp" ] || wp=${#TPATH[$t]}
	done
	say ""
	printf '%-*s %-*s %12s %10s %10s\n' "$wn" "target" "$wp" "path" "per second" "p50" "p99"
	for t in "$@"; do
		printf '%-*s %-*s %12.1f %10s %10s\n' "$wn" "${TNAME[$t]}" "$wp" "${TPATH[$t]}" \
			"${BEST_RPS[$t]}" "$(ms "${BEST_P50[$t]}")" "$(ms "${BEST_P99[$t]}")"
	done
	say ""
}

# Prints "ratio LABEL: best(A)/best(B) (goal >= GOAL: met|not met)", the
# ratio to 3 decimals and the verdict from the unrounded ratio; GOAL is a
# decimal or a fraction ("1/3").
report_ratio() {
	local label=$1 a=$2 b=$3 goal=$4
	say "ratio $label: $(awk -v a="${BEST_RPS[$a]}" -v b="${BEST_RPS[$b]}" -v g="$goal" 'BEGIN {
		n = split(g, f, "/"); want = n == 2 ? f[1] / f[2] : g + 0
		printf "%.3f (goal >= %s: %s)", a / b, g, (a / b >= want ? "met" : "not met") }')"
}

# psql as the stack's superuser (row level security does not filter it).
bench_psql() {
	PGPASSWORD=$(cat "$VAR/secrets/super.pw") psql -X -q -v ON_ERROR_STOP=1 \
		-h "$VAR/run/pg" -U bahi_super -d bahi "$@"
}

# One value of a query run as the superuser; psql variables may follow.
bench_sql_value() {
	local sql=$1
	shift
	bench_psql -At "$@" <<<"$sql"
}

# POSTs JSON $2 to $1, with further curl options (-H ...); prints the body,
# then the status on a line of its own.
bench_post() {
	local path=$1 body=$2
	shift 2
	curl -s -w '\n%{http_code}' -H 'Content-Type: application/json' "$@" --data "$body" \
		"http://127.0.0.1:$PORT$path"
}

# Signs up owner $1 (phone) with password $2 and device $3 as a shop would
# (OTP by SMS, read from the stack's outbox, then POST /auth/signup), business
# named $4, unless the phone is taken already; prints the owner's business id.
bench_signup() {
	local phone=$1 password=$2 device=$3 business=$4 out code bid
	bid=$(bench_sql_value "SELECT business_id FROM users WHERE phone = :'phone'" -v phone="$phone")
	if [ -z "$bid" ]; then
		out=$(bench_post /api/v1/auth/otp "{\"phone\":\"$phone\",\"purpose\":\"signup\"}")
		[ "${out##*$'\n'}" = 202 ] || die "POST /api/v1/auth/otp: $out"
		code=$(bench_sql_value "SELECT substring(body FROM 'code is ([0-9]{6})') FROM sms_outbox
			WHERE phone = :'phone' ORDER BY id DESC LIMIT 1" -v phone="$phone")
		[ -n "$code" ] || die "no OTP for $phone in the outbox"
		out=$(bench_post /api/v1/auth/signup "$(printf '{"phone":"%s","otp":"%s","password":"%s",%s,%s,%s}' \
			"$phone" "$code" "$password" '"name":"Bench Owner"' \
			"\"business\":{\"name\":\"$business\",\"type\":\"general store\"}" \
			"\"device\":{\"id\":\"$device\",\"name\":\"bench\",\"platform\":\"other\"}")")
		[ "${out##*$'\n'}" = 201 ] || die "POST /api/v1/auth/signup: $out"
		bid=$(bench_sql_value "SELECT business_id FROM users WHERE phone = :'phone'" -v phone="$phone")
	fi
	[ -n "$bid" ] || die "the signed-up owner $phone has no business"
	printf '%s' "$bid"
}

# A fresh access token (it lives 15 minutes) of owner $1 with password $2 on
# device $3, from the real login path.
bench_token() {
	local out token
	out=$(bench_post /api/v1/auth/login "$(printf '{"phone":"%s","password":"%s",%s}' "$1" "$2" \
		"\"device\":{\"id\":\"$3\",\"name\":\"bench\",\"platform\":\"other\"}")")
	[ "${out##*$'\n'}" = 200 ] || die "POST /api/v1/auth/login: $out"
	token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$out")
	[ -n "$token" ] || die "no access_token in the login answer: $out"
	printf '%s' "$token"
}

# Waits until the worker behind health path $1 has nothing queued: when wrk
# stops, the requests running and those waiting on the worker's socket (which
# nginx gave up on) still run, and would slow the next target down. A health
# request answered at once means the queue in front of it is empty.
bench_drain() {
	local t
	for _ in $(seq 120); do
		t=$(curl -s -o /dev/null -m 30 -w '%{time_total}' "http://127.0.0.1:$PORT$1") || t=1
		awk -v t="$t" 'BEGIN { exit !(t < 0.1) }' && return 0
		sleep 0.25
	done
	die "the worker behind $1 is still busy a minute after the run"
}

# Runs pgbench with wrk's concurrency and the duration $2 (its other
# arguments after --), logging every transaction into the fresh folder $1;
# sets RPS (TPS), P50 and P99, or dies when pgbench or a transaction failed.
# Environment for pgbench (PGPASSWORD, PGOPTIONS) is the caller's to set.
pgbench_measure() {
	local logs=$1 seconds out failed threads=$THREADS
	seconds=$(duration_seconds "$2")
	shift 3
	[ "$threads" -le "$CONNECTIONS" ] || threads=$CONNECTIONS
	rm -rf "$logs"
	mkdir -p "$logs"
	if ! out=$(cd "$logs" && pgbench -c "$CONNECTIONS" -j "$threads" -T "$seconds" \
		-l --log-prefix="$logs/tx" "$@" 2>&1); then
		printf '%s\n' "$out" >&2
		die "pgbench failed"
	fi
	failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$out")
	RPS=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<<"$out")
	if [ "${failed:-1}" != 0 ] || [ -z "$RPS" ]; then
		printf '%s\n' "$out" >&2
		die "pgbench: ${failed:-unknown} failed transactions"
	fi
	pgbench_percentiles "$logs"
}

# Sets P50 and P99 (microseconds) from the per-transaction logs of a pgbench
# run (-l --log-prefix=$1/tx: the latency is the third column).
pgbench_percentiles() {
	# shellcheck disable=SC2034  # read by measure_target
	read -r P50 P99 < <(cat "$1"/tx.* | awk '{ print $3 }' | sort -n |
		awk '{ v[NR] = $1 } END { i = int(NR * 0.5); j = int(NR * 0.99);
			if (i < 1) i = 1; if (j < 1) j = 1; print v[i], v[j] }')
}
