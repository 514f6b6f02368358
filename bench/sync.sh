# bench/sync.sh: the sync suite of bench/run: a device pulling 10,000 changes (and a first pull's snapshot of the same records) through nginx, 1,000 a page, against psql copying the same change-log rows joined with their records as JSON.
#
# Sourced by bench/run after bench/lib.sh. sync_setup signs the business's
# owner up through the API, pulls its change log to the end as a device does
# (the cursor kept: where the data's changes will begin), loads
# bench/sync-data.sql (8,000 products and 2,000 customers with their 10,000
# change-log rows) and checks one pull of them; sync_run measures and reports.
# shellcheck shell=bash disable=SC2153

SYNC_TARGETS=(sync_pull sync_snapshot sync_copy)
# the business's owner, signed up by sync_setup; one fixed device, so that
# repeated logins update one device row and never reach the device cap
SYNC_PHONE=+923000000044
SYNC_PASSWORD=bench-sync-2026
SYNC_DEVICE=0b5e7c4a-1d2f-4e3a-9b6c-00000000be05
SYNC_PRODUCTS=8000
SYNC_CUSTOMERS=2000
# changes a page (the API's maximum)
SYNC_LIMIT=1000
# each measurement repeats the whole pull until its duration has passed, at
# least this many times; its rate is the median repetition's
SYNC_MIN_REPS=3
# an access token lives 15 minutes: log in again before a measurement that
# could end later than this many seconds after the last login
SYNC_TOKEN_SECONDS=780
SYNC_TOKEN=""
SYNC_TOKEN_AT=""
SYNC_BID=""
SYNC_DIR=""
SYNC_CURSOR=""   # the device's position before the data's changes
SYNC_FROM=""     # the same as a change-log seq
SYNC_N=0         # what the last sync_pull_all brought: changes, pages, their
SYNC_PAGES=0     # time in nanoseconds, changes without data, and the cursor
SYNC_NS=0        # it ended with (SYNC_N and SYNC_NS also of the COPY)
SYNC_NULLS=0
SYNC_LAST=""

target sync_pull "bahi pull, 10,000 changes" "/api/v1/sync/pull?cursor=..." sync_measure_pull
target sync_snapshot "bahi first pull (snapshot)" "/api/v1/sync/pull" sync_measure_snapshot
target sync_copy "psql COPY of the same rows" "(change log + records as JSON)" sync_measure_copy

# A fresh access token unless the last one outlives a measurement of $1.
sync_token() {
	if [ -n "$SYNC_TOKEN_AT" ] &&
		[ $((SECONDS - SYNC_TOKEN_AT + $(duration_seconds "$1"))) -lt "$SYNC_TOKEN_SECONDS" ]; then
		return 0
	fi
	SYNC_TOKEN=$(bench_token "$SYNC_PHONE" "$SYNC_PASSWORD" "$SYNC_DEVICE")
	SYNC_TOKEN_AT=$SECONDS
}

# Pulls from cursor $1 ("" for a first pull) until has_more is false, 1,000
# changes a page, as a device does; sets SYNC_N (changes), SYNC_PAGES and
# SYNC_NS (the pages' times as curl measured them, from sending the request
# to the last byte of the answer, added up: the bash and process start-up
# around them left out) and appends each page's time (seconds) to
# $SYNC_DIR/pages.txt; SYNC_NULLS counts changes without data, SYNC_LAST is
# the last cursor. Dies on any answer other than 200.
sync_pull_all() {
	local cursor=$1 path out n
	SYNC_N=0 SYNC_PAGES=0 SYNC_NULLS=0 SYNC_NS=0
	while :; do
		path="/api/v1/sync/pull?limit=$SYNC_LIMIT"
		[ -z "$cursor" ] || path+="&cursor=$cursor"
		out=$(curl -s -o "$SYNC_DIR/page.json" -w '%{http_code} %{time_total}' \
			-H "Authorization: Bearer $SYNC_TOKEN" "http://127.0.0.1:$PORT$path") ||
			die "GET $path failed"
		[ "${out%% *}" = 200 ] || die "GET $path: ${out%% *} $(head -c 300 "$SYNC_DIR/page.json")"
		printf '%s\n' "${out#* }" >>"$SYNC_DIR/pages.txt"
		SYNC_NS=$((SYNC_NS + $(awk -v t="${out#* }" 'BEGIN { printf "%d", t * 1e9 }')))
		n=$({ grep -o '"seq":' "$SYNC_DIR/page.json" || true; } | wc -l)
		SYNC_N=$((SYNC_N + n)) SYNC_PAGES=$((SYNC_PAGES + 1))
		n=$({ grep -o '"data":null' "$SYNC_DIR/page.json" || true; } | wc -l)
		SYNC_NULLS=$((SYNC_NULLS + n))
		cursor=$(grep -o '"next_cursor":"[^"]*"' "$SYNC_DIR/page.json" | cut -d'"' -f4)
		[ -n "$cursor" ] || die "no next_cursor in $(head -c 300 "$SYNC_DIR/page.json")"
		SYNC_LAST=$cursor
		grep -q '"has_more":true' "$SYNC_DIR/page.json" || return 0
	done
}

# Repeats command $2.. until $1 (a duration) has passed and at least
# SYNC_MIN_REPS times; each repetition sets SYNC_N (items moved) and SYNC_NS
# (the time it took). Sets RPS to the median repetition's items a second,
# P50/P99 from pages.txt (the page times, when the command writes them).
# shellcheck disable=SC2034  # RPS, P50 and P99 are read by measure_target
sync_repeat() {
	local seconds start rates="" i
	seconds=$(duration_seconds "$1")
	shift
	: >"$SYNC_DIR/pages.txt"
	start=$SECONDS
	for ((i = 1; ; i++)); do
		"$@"
		rates+=$(awk -v n="$SYNC_N" -v ns="$SYNC_NS" 'BEGIN { printf "%.1f", n * 1e9 / ns }')$'\n'
		[ "$i" -lt "$SYNC_MIN_REPS" ] || [ $((SECONDS - start)) -lt "$seconds" ] || break
	done
	RPS=$(sort -n <<<"${rates%$'\n'}" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	P50="" P99=""
	[ -s "$SYNC_DIR/pages.txt" ] || return 0
	read -r P50 P99 < <(sort -n "$SYNC_DIR/pages.txt" | awk '{ v[NR] = $1 * 1e6 }
		END { i = int(NR * 0.5); j = int(NR * 0.99); if (i < 1) i = 1; if (j < 1) j = 1;
			printf "%d %d\n", v[i], v[j] }')
}

# One pull of the data's changes from the kept cursor; dies unless it
# brings all of them (and at most the few changes of later logins).
sync_pull_changes() {
	sync_pull_all "$SYNC_CURSOR"
	local want=$((SYNC_PRODUCTS + SYNC_CUSTOMERS))
	if [ "$SYNC_N" -lt "$want" ] || [ "$SYNC_N" -gt $((want + 50)) ]; then
		die "a pull from the kept cursor brought $SYNC_N changes, not $want"
	fi
}

# A first pull: the snapshot of every live record, then the changes after it.
sync_pull_snapshot() {
	sync_pull_all ""
	[ "$SYNC_N" -ge $((SYNC_PRODUCTS + SYNC_CUSTOMERS)) ] ||
		die "a first pull brought $SYNC_N records, fewer than $((SYNC_PRODUCTS + SYNC_CUSTOMERS))"
}

# The baseline: the same change-log rows joined with their records, each
# row's record as JSON, copied to psql (which discards them), as the
# application role with the business as tenant (row level security as for
# the worker). SYNC_NS is the COPY's time as psql's \timing measures it
# (sending the statement to the last row received; the connection and the
# tenant setting left out, as the pull's page times leave out curl's
# start-up), SYNC_N its rows.
sync_copy_rows() {
	local db_url out ms
	db_url=$(sed -n 's/^db_url = //p' "$VAR/bahi.conf")
	out=$(psql -X -q -v ON_ERROR_STOP=1 -v bid="$SYNC_BID" -v from="$SYNC_FROM" "$db_url" \
		2>"$SYNC_DIR/copy.err" <<-'SQL'
		SELECT set_config('app.business_id', :'bid', false) \g /dev/null
		\o /dev/null
		\timing on
		COPY (SELECT c.seq, c.entity, c.entity_id, c.op, c.version,
				COALESCE(to_jsonb(p), to_jsonb(u)) AS data
			FROM change_entries AS c
			LEFT JOIN products AS p ON c.entity = 'product' AND p.business_id = c.business_id
				AND p.id = c.entity_id AND p.deleted_at IS NULL
			LEFT JOIN customers AS u ON c.entity = 'customer' AND u.business_id = c.business_id
				AND u.id = c.entity_id AND u.deleted_at IS NULL
			WHERE c.business_id = :'bid' AND c.seq > :from ORDER BY c.seq) TO STDOUT;
	SQL
	) || { cat "$SYNC_DIR/copy.err" >&2; die "the COPY baseline failed"; }
	ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$out" | tail -n 1)
	[ -n "$ms" ] || die "no time from psql's \\timing: $out"
	SYNC_NS=$(awk -v ms="$ms" 'BEGIN { printf "%d", ms * 1e6 }')
	SYNC_N=$(bench_sql_value "SELECT count(*) FROM change_entries WHERE business_id = :'bid'
		AND seq > :from" -v bid="$SYNC_BID" -v from="$SYNC_FROM")
}

sync_measure_pull() { sync_token "$2"; sync_repeat "$2" sync_pull_changes; }
sync_measure_snapshot() { sync_token "$2"; sync_repeat "$2" sync_pull_snapshot; }
sync_measure_copy() { sync_repeat "$2" sync_copy_rows; }

# The data, once per stack: the device pulls the bare sign-up to its end
# (the cursor kept in cursor.txt, its position in from.txt), then
# sync-data.sql adds the records and their changes after it.
sync_data() {
	local n want=$((SYNC_PRODUCTS + SYNC_CUSTOMERS)) start
	n=$(bench_sql_value "SELECT count(*) FROM products WHERE business_id = :'bid'" -v bid="$SYNC_BID")
	if [ "$n" = "$SYNC_PRODUCTS" ] && [ -s "$SYNC_DIR/cursor.txt" ]; then
		say "sync data: reusing the $n products and $SYNC_CUSTOMERS customers of business $SYNC_BID"
	else
		[ "$n" = 0 ] || die "business $SYNC_BID holds $n products, neither 0 nor $SYNC_PRODUCTS"
		: >"$SYNC_DIR/pages.txt"
		sync_pull_all ""
		SYNC_CURSOR=$SYNC_LAST
		printf '%s\n' "$SYNC_CURSOR" >"$SYNC_DIR/cursor.txt"
		bench_sql_value "SELECT value FROM business_counters WHERE business_id = :'bid'
			AND name = 'change_seq'" -v bid="$SYNC_BID" >"$SYNC_DIR/from.txt"
		start=$SECONDS
		bench_psql -v bid="$SYNC_BID" -v products="$SYNC_PRODUCTS" -v customers="$SYNC_CUSTOMERS" \
			-f "$ROOT/bench/sync-data.sql" >/dev/null || die "bench/sync-data.sql failed"
		say "sync data: $SYNC_PRODUCTS products and $SYNC_CUSTOMERS customers with their $want" \
			"changes loaded in $((SECONDS - start))s"
	fi
	SYNC_CURSOR=$(cat "$SYNC_DIR/cursor.txt")
	SYNC_FROM=$(cat "$SYNC_DIR/from.txt")
}

# One pull of the changes, checked: all of them, each with its record's
# data (the changes of later logins, devices, carry none).
sync_check() {
	local n
	: >"$SYNC_DIR/pages.txt"
	sync_pull_changes
	n=$(bench_sql_value "SELECT count(*) FROM change_entries WHERE business_id = :'bid'
		AND seq > :from AND entity = 'device'" -v bid="$SYNC_BID" -v from="$SYNC_FROM")
	[ "$SYNC_NULLS" = "$n" ] || die "$SYNC_NULLS pulled changes have no data ($n of devices)"
	say "sync check: $SYNC_N changes in $SYNC_PAGES pages from the kept cursor, each record's with its data"
}

sync_setup() {
	SYNC_DIR=$VAR/bench-sync
	mkdir -p "$SYNC_DIR"
	wait_200 /api/v1/sync/health
	SYNC_BID=$(bench_signup "$SYNC_PHONE" "$SYNC_PASSWORD" "$SYNC_DEVICE" "Bench Sync")
	sync_token "$DURATION"
	sync_data
	sync_check
}

sync_run() {
	say "bahi sync benchmark: pulls of $SYNC_LIMIT changes a page following the cursors, one" \
		"client, each measurement repeated for $DURATION (at least $SYNC_MIN_REPS times, the" \
		"median repetition counts), $(worker_processes sync) sync worker processes, best of" \
		"$ROUNDS rounds, $(nproc) CPUs; per second = changes (records) a second"
	run_rounds "${SYNC_TARGETS[@]}"
	report_table "${SYNC_TARGETS[@]}"
	say "ratio pull/copy: $(awk -v a="${BEST_RPS[sync_pull]}" -v b="${BEST_RPS[sync_copy]}" \
		'BEGIN { printf "%.2f", a / b }') (no goal set: the share of the database's own rate of" \
		"reading the rows as JSON that a pull through nginx and the worker keeps)"
	say "ratio snapshot/copy: $(awk -v a="${BEST_RPS[sync_snapshot]}" -v b="${BEST_RPS[sync_copy]}" \
		'BEGIN { printf "%.2f", a / b }') (no goal set)"
}
