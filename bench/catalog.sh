# bench/catalog.sh: the catalog suite of bench/run: product search against pgbench running the worker's search SQL, and the product list page against health.
#
# Sourced by bench/run after bench/lib.sh. catalog_setup signs up the measured
# business's owner through the API, loads bench/catalog-data.sql into the
# stack (300,000 products in ten businesses, 100,000 in the measured one;
# skipped when the stack already holds them), checks every search and the list
# page, and writes the pgbench script; catalog_run measures and reports.
# shellcheck shell=bash disable=SC2153

CATALOG_SEARCH_GOAL=0.70
CATALOG_LIST_GOAL=0.50
CATALOG_TARGETS=(cat_search cat_sql cat_list cat_health)
# the measured business's owner, signed up by catalog_signup; one fixed device,
# so that repeated logins update one device row and never reach the device cap
CATALOG_PHONE=+923000000042
CATALOG_PASSWORD=bench-catalog-2026
CATALOG_DEVICE=0b5e7c4a-1d2f-4e3a-9b6c-00000000be03
CATALOG_PRODUCTS=100000
# What the search sends, in turn: a typo of a word ("bearng": Bearing), two
# words, a SKU prefix (Cat-12, Cat-120...), an Urdu word (tea), a short typo
# (Hammer); catalog_setup adds the exact barcode of one product.
CATALOG_TERMS=(bearng "oil filter" Cat-12 چائے hamer)
# The product whose barcode is searched (n of bench/catalog-data.sql; n % 4 <> 0).
CATALOG_BARCODE_N=4243
CATALOG_BID=""
CATALOG_DIR=""
CATALOG_PATHS=""
CATALOG_DB=""
CATALOG_STMT=""
CATALOG_PARAMS=""
CATALOG_PGBENCH_VARS=()

target cat_search "bahi product search" "/api/v1/products?q=..." catalog_measure_search
target cat_sql "pgbench search SQL" "(same SQL, as bahi_app)" catalog_measure_pgbench
target cat_list "bahi product list" "/api/v1/products?limit=50" catalog_measure_list
target cat_health "bahi catalog health" /api/v1/catalog/health catalog_measure_health

# $1 percent-encoded for a URL query, byte by byte.
catalog_urlencode() {
	local LC_ALL=C s=$1 i c out=""
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9._~-]) out+=$c ;;
		*) printf -v c '%%%02X' "'$c"; out+=$c ;;
		esac
	done
	printf '%s' "$out"
}

# Signs up the measured business's owner (bench_signup) unless the phone is
# taken already; sets CATALOG_BID to the owner's business.
catalog_signup() {
	CATALOG_BID=$(bench_signup "$CATALOG_PHONE" "$CATALOG_PASSWORD" "$CATALOG_DEVICE" "Bench Bazaar")
}

# Loads bench/catalog-data.sql for the measured business unless it holds its
# products already (a stack the suite ran on before).
catalog_data() {
	local n start
	n=$(bench_sql_value "SELECT count(*) FROM products WHERE business_id = :'bid'" \
		-v bid="$CATALOG_BID")
	if [ "$n" = "$CATALOG_PRODUCTS" ]; then
		say "catalog data: reusing the $n products of business $CATALOG_BID"
		return 0
	fi
	[ "$n" = 0 ] || die "business $CATALOG_BID holds $n products, neither 0 nor $CATALOG_PRODUCTS"
	start=$SECONDS
	bench_psql -v bid="$CATALOG_BID" -f "$ROOT/bench/catalog-data.sql" >/dev/null ||
		die "bench/catalog-data.sql failed"
	say "catalog data: 300000 products in 10 businesses loaded in $((SECONDS - start))s"
}

# A fresh access token of the measured business's owner (it lives 15 minutes).
catalog_token() { bench_token "$CATALOG_PHONE" "$CATALOG_PASSWORD" "$CATALOG_DEVICE"; }

# GETs $2 with token $1; dies unless it answers 200 with at least $3 products
# (counted by their "sku" members); prints the body.
catalog_get_products() {
	local out n
	out=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $1" "http://127.0.0.1:$PORT$2")
	[ "${out##*$'\n'}" = 200 ] || die "GET $2: $out"
	n=$(grep -o '"sku":' <<<"$out" | wc -l)
	[ "$n" -ge "$3" ] || die "GET $2 found $n products, fewer than $3"
	printf '%s' "${out%$'\n'*}"
}

# The search paths, each checked to find something; the barcode's search must
# find that product first.
catalog_search_paths() {
	local token term barcode body
	barcode=$(bench_sql_value "SELECT barcode FROM products WHERE business_id = :'bid'
		AND id = md5(:'bid' || '-product-' || :n)::uuid" -v bid="$CATALOG_BID" -v n="$CATALOG_BARCODE_N")
	[ -n "$barcode" ] || die "no barcode for product $CATALOG_BARCODE_N"
	token=$(catalog_token)
	CATALOG_PATHS=""
	for term in "${CATALOG_TERMS[@]}" "$barcode"; do
		CATALOG_PATHS+="/api/v1/products?q=$(catalog_urlencode "$term")"$'\n'
		body=$(catalog_get_products "$token" "/api/v1/products?q=$(catalog_urlencode "$term")" 1)
		if [ "$term" = "$barcode" ]; then
			grep -q "^{\"items\":\[{[^}]*\"barcode\":\"$barcode\"" <<<"$body" ||
				die "the search for barcode $barcode does not find it first: ${body:0:300}"
		fi
	done
	CATALOG_TERMS+=("$barcode")
	catalog_get_products "$token" /api/v1/products?limit=50 50 >/dev/null
}

# Sets log_min_duration_statement to $1 milliseconds (0: log every statement),
# or back to the stack's setting with $1 = reset, in every session, the
# workers' open connections included.
catalog_log_statements() {
	if [ "$1" = reset ]; then
		bench_psql -c "ALTER SYSTEM RESET log_min_duration_statement" >/dev/null
	else
		bench_psql -c "ALTER SYSTEM SET log_min_duration_statement = $1" >/dev/null
	fi
	bench_psql -c "SELECT pg_reload_conf()" >/dev/null
	sleep 0.5
}

# The statement the catalog worker executed for one search and its parameters,
# from the lines PostgreSQL logged (catalog_pgbench_script): sets CATALOG_STMT
# (the SQL) and CATALOG_PARAMS (n=value, one a line; NULL bare, values quoted).
catalog_parse_execute() {
	local line=$1 detail=$2 rest q="'" re
	CATALOG_STMT=${line#*execute *: }
	CATALOG_PARAMS=""
	rest=${detail#*parameters: }
	# $n = NULL or $n = 'text' with quotes doubled, then the rest
	re="^[^\$]*[\$]([0-9]+) = (NULL|$q([^$q]|$q$q)*$q)(.*)\$"
	while [[ $rest =~ $re ]]; do
		CATALOG_PARAMS+="${BASH_REMATCH[1]}=${BASH_REMATCH[2]}"$'\n'
		rest=${BASH_REMATCH[4]}
	done
	[ -n "$CATALOG_PARAMS" ] || die "no parameters in the logged search: $detail"
}

# Writes the pgbench script that runs, in turn as wrk does, the very statement
# the worker runs for each search term with the very parameters it sends. Both
# come from PostgreSQL's log: every statement is logged while one request of
# each search path runs, and each search is the logged "execute" calling
# bahi_product_search. In the script a parameter becomes a pgbench variable
# (-D, sent as a parameter of the prepared statement, as the worker sends it),
# or NULL when the worker sent NULL (pgbench variables cannot be NULL).
catalog_pgbench_script() {
	local log=$VAR/pg/server.log script=$CATALOG_DIR/search.pgbench size token path k=0
	local lines line detail n v sql
	size=$(stat -c %s "$log")
	token=$(catalog_token)
	catalog_log_statements 0
	while read -r path; do
		curl -sf -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT$path" ||
			{ catalog_log_statements reset; die "GET $path failed"; }
	done <<<"${CATALOG_PATHS%$'\n'}"
	catalog_log_statements reset
	lines=$(tail -c +$((size + 1)) "$log" | grep -A1 -E 'execute [^:]*: .*bahi_product_search\(' |
		grep -E 'execute|DETAIL:  parameters:')
	CATALOG_PGBENCH_VARS=(-D k=0)
	{
		printf -- '-- written by bench/catalog.sh: the catalog worker'"'"'s search, as it ran it, one term per transaction in turn\n'
		printf '\\set k :k %% %d + 1\n' "${#CATALOG_TERMS[@]}"
		while IFS= read -r line && IFS= read -r detail; do
			k=$((k + 1))
			catalog_parse_execute "$line" "$detail"
			sql=$CATALOG_STMT
			while IFS='=' read -r n v; do
				[ -n "$n" ] || continue
				if [ "$v" = NULL ]; then
					sql=${sql//\$$n/NULL}
				else
					v=${v#\'} v=${v%\'}
					CATALOG_PGBENCH_VARS+=(-D "v${k}_$n=${v//\'\'/\'}")
					sql=${sql//\$$n/:v${k}_$n}
				fi
			done < <(sort -t= -k1,1nr <<<"$CATALOG_PARAMS")
			[ "$k" = 1 ] && printf '\\if :k = 1\n' || printf '\\elif :k = %d\n' "$k"
			printf '%s;\n' "$sql"
		done <<<"$lines"
		printf '\\endif\n'
	} >"$script"
	[ "$k" = "${#CATALOG_TERMS[@]}" ] ||
		die "found $k logged searches in $log, not ${#CATALOG_TERMS[@]}"
}

# pgbench with wrk's concurrency and duration, as the app role with the
# business set for the session; TPS, and latencies from its per-transaction
# log (microseconds in the third column).
catalog_measure_pgbench() {
	PGOPTIONS="-c app.business_id=$CATALOG_BID" pgbench_measure "$CATALOG_DIR/pgbench" "$2" -- \
		-n -M prepared "${CATALOG_PGBENCH_VARS[@]}" -f "$CATALOG_DIR/search.pgbench" "$CATALOG_DB"
}

catalog_setup() {
	CATALOG_DIR=$VAR/bench-catalog
	mkdir -p "$CATALOG_DIR"
	CATALOG_DB=$(sed -n 's/^db_url = //p' "$VAR/bahi.conf")
	[ -n "$CATALOG_DB" ] || die "no db_url in $VAR/bahi.conf"
	wait_200 /api/v1/catalog/health
	catalog_signup
	catalog_data
	catalog_search_paths
	catalog_pgbench_script
}

# Waits until the catalog worker has nothing queued (bench_drain).
catalog_drain() { bench_drain /api/v1/catalog/health; }

catalog_measure_search() {
	local token
	token=$(catalog_token)
	BENCH_STRICT=1 BENCH_SCRIPT=$ROOT/bench/catalog-search.lua BENCH_PATHS=$CATALOG_PATHS \
		wrk_measure /api/v1/products "$2" "$CONNECTIONS" -H "Authorization: Bearer $token"
	catalog_drain
}

catalog_measure_list() {
	local token
	token=$(catalog_token)
	BENCH_STRICT=1 wrk_measure "/api/v1/products?limit=50" "$2" "$CONNECTIONS" \
		-H "Authorization: Bearer $token"
}

catalog_measure_health() { BENCH_STRICT=1 wrk_measure /api/v1/catalog/health "$2" "$CONNECTIONS"; }

catalog_run() {
	say "bahi catalog benchmark: wrk -t$THREADS -c$CONNECTIONS -d$DURATION and pgbench" \
		"-j$THREADS -c$CONNECTIONS -T$(duration_seconds "$DURATION") (warm-up $WARMUP)," \
		"$(worker_processes catalog) catalog worker processes, best of $ROUNDS rounds, $(nproc) CPUs"
	say "search terms, in turn: ${CATALOG_TERMS[*]}"
	run_rounds "${CATALOG_TARGETS[@]}"
	report_table "${CATALOG_TARGETS[@]}"
	report_ratio "search/pgbench" cat_search cat_sql "$CATALOG_SEARCH_GOAL"
	report_ratio "list/health" cat_list cat_health "$CATALOG_LIST_GOAL"
}
