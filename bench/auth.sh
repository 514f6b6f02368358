# bench/auth.sh: the auth suite of bench/run: GET /api/v1/me against health, and login against the raw Argon2id verification rate.
#
# Sourced by bench/run after bench/lib.sh; needs the demo business of
# tools/bahi_seed.c. auth_setup adds the bench-only login location and checks
# that the worker sees it as the login route; auth_run measures and reports.
# shellcheck shell=bash

AUTH_ME_GOAL=0.70
AUTH_LOGIN_GOAL=0.80
AUTH_TARGETS=(auth_health auth_me auth_login auth_argon2)
# the demo shop of tools/bahi_seed.c
DEMO_PHONE=+923000000001
DEMO_PASSWORD=demo-shop-2026
# fixed devices, so that repeated logins update one device row each and never
# reach the device cap (3): one for the login runs, one for GET /me's token
LOGIN_DEVICE=0b5e7c4a-1d2f-4e3a-9b6c-00000000be01
ME_DEVICE=0b5e7c4a-1d2f-4e3a-9b6c-00000000be02
AUTH_PROCESSES=""

target auth_health "bahi health" /api/v1/health auth_measure_health
target auth_me "bahi GET /me" /api/v1/me auth_measure_me
target auth_login "bahi login" "/bench/login (auth/login)" auth_measure_login
target auth_argon2 "raw Argon2id verify" bench/pwhash-rate auth_measure_argon2 nowarmup

login_body() {
	printf '{"phone":"%s","password":"%s","device":{"id":"%s","name":"%s","platform":"other"}}' \
		"$DEMO_PHONE" "$DEMO_PASSWORD" "$1" "$2"
}

# The bench-only login location: the auth worker's upstream and the API
# snippet of /api/v1/auth/, without the per-address rate limit (wrk sends
# everything from one address). The worker routes on DOCUMENT_URI; nginx sends
# both DOCUMENT_URI parameters, and libfcgi's FCGX_GetParam returns the first
# of equal names, so the override must come before the snippet's.
auth_setup() {
	AUTH_PROCESSES=$(worker_processes auth)
	[ "$AUTH_PROCESSES" -ge 1 ] || die "found no auth worker processes"
	bench_locations login <<-EOF
		# written by bench/run: POST /api/v1/auth/login without its rate limit.
		location = /bench/login {
			fastcgi_param DOCUMENT_URI /api/v1/auth/login;
			include snippets/bahi-api.conf;
			fastcgi_pass bahi_auth;
		}
	EOF
	wait_200 /api/v1/health
	auth_check_login_route
}

# One login through /bench/login: 200, and the worker logged its request id
# with the path /api/v1/auth/login.
auth_check_login_route() {
	local head rid status
	head=$(curl -s -o /dev/null -D - -H 'Content-Type: application/json' \
		--data "$(login_body "$LOGIN_DEVICE" bench)" "http://127.0.0.1:$PORT/bench/login" | tr -d '\r')
	status=$(sed -n '1s/^HTTP[^ ]* \([0-9]*\).*/\1/p' <<<"$head")
	rid=$(sed -n 's/^[Xx]-[Rr]equest-[Ii]d: //p' <<<"$head")
	[ "$status" = 200 ] || die "POST /bench/login answered ${status:-nothing}, not 200; see $VAR/log/auth.log"
	for _ in $(seq 20); do
		grep -F "\"request_id\":\"$rid\"" "$VAR/log/auth.log" |
			grep -qF '"method":"POST","path":"/api/v1/auth/login","status":200' && return 0
		sleep 0.1
	done
	die "the auth worker did not log request $rid as POST /api/v1/auth/login; see $VAR/log/auth.log"
}

# A fresh access token (it lives 15 minutes) from the real login path.
auth_token() {
	local body token
	body=$(curl -sf -H 'Content-Type: application/json' --data "$(login_body "$ME_DEVICE" bench-me)" \
		"http://127.0.0.1:$PORT/api/v1/auth/login") || die "POST /api/v1/auth/login failed"
	token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$body")
	[ -n "$token" ] || die "no access_token in the login answer: $body"
	printf '%s' "$token"
}

# health and /me share wrk's settings, and both check every status.
auth_measure_health() { BENCH_STRICT=1 wrk_measure /api/v1/health "$2" "$CONNECTIONS"; }

auth_measure_me() {
	local token
	token=$(auth_token)
	BENCH_STRICT=1 wrk_measure /api/v1/me "$2" "$CONNECTIONS" -H "Authorization: Bearer $token"
}

auth_measure_login() {
	BENCH_STRICT=1 BENCH_METHOD=POST BENCH_BODY=$(login_body "$LOGIN_DEVICE" bench) \
		wrk_measure /bench/login "$2" "$LOGIN_CONNECTIONS"
}

# bench/pwhash-rate with as many processes as the auth worker runs.
auth_measure_argon2() {
	local out
	out=$("$BUILD/bench/pwhash-rate" --processes "$AUTH_PROCESSES" \
		--duration "$(duration_seconds "$2")") || die "bench/pwhash-rate failed"
	RPS=$(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' <<<"$out")
	[ -n "$RPS" ] || die "no rate from bench/pwhash-rate: $out"
	# shellcheck disable=SC2034  # read by measure_target
	P50="" P99=""
}

auth_run() {
	say "bahi auth benchmark: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (login -c$LOGIN_CONNECTIONS;" \
		"warm-up $WARMUP), $AUTH_PROCESSES auth worker processes and as many Argon2id" \
		"processes, best of $ROUNDS rounds, $(nproc) CPUs"
	run_rounds "${AUTH_TARGETS[@]}"
	report_table "${AUTH_TARGETS[@]}"
	report_ratio "me/health" auth_me auth_health "$AUTH_ME_GOAL"
	report_ratio "login/argon2id" auth_login auth_argon2 "$AUTH_LOGIN_GOAL"
}
