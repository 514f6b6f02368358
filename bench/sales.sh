# bench/sales.sh: the sales suite of bench/run: issuing 5-line invoices, spread over as many businesses as pgbench has branches and in one business, against pgbench's TPC-B-like transactions on the same cluster, and a 20-line invoice's PDF against its JSON.
#
# Sourced by bench/run after bench/lib.sh. sales_setup initialises pgbench's
# tables in a database of their own in the same cluster, signs up the first
# business's owner through the API, loads bench/sales-data.sql (the other
# businesses and their owners, each business's products with plenty of stock
# and its credit customers; skipped when the stack holds them already), logs
# every owner in through the API, checks a cash and a credit sale, and issues
# the 20-line invoice whose PDF is measured; sales_run measures and reports.
# shellcheck shell=bash disable=SC2153

SALES_INVOICE_GOAL=1/3
SALES_TARGETS=(sales_invoices sales_invoices_one sales_pgbench sales_pdf sales_get)
# the first business's owner, signed up by sales_setup; one fixed device per
# owner, so that repeated logins update one device row and never reach the
# device cap
SALES_PHONE=+923000000043
SALES_PASSWORD=bench-sales-2026
SALES_DEVICE=0b5e7c4a-1d2f-4e3a-9b6c-00000000be04
# the businesses the sales are spread over (bench/run --businesses): 0 means
# as many as pgbench has branches, so that both spread their writes over the
# same number of units of contention (a business's invoice numbers, a
# branch's balance)
SALES_BUSINESSES=${SALES_BUSINESSES:-0}
# the products of all businesses together: each has SALES_PRODUCTS / the
# number of businesses, at least SALES_MIN_PRODUCTS
SALES_PRODUCTS=2000
SALES_MIN_PRODUCTS=50
SALES_PER_BUSINESS=""
# credit customers per business
SALES_CUSTOMERS=20
# the share of credit sales (to the customers, nothing paid now), in percent
SALES_CREDIT_PCT=20
# the lines of the invoice whose PDF is measured
SALES_PDF_LINES=20
# pgbench's database in the stack's cluster, and its scale (-i -s): 0 means
# as many branches as clients, so that its transactions do not all queue on
# one branch row (pgbench's documentation: a scale below the client count
# measures mostly update contention); bench/run --pgbench-scale sets another
SALES_PGBENCH_DB=bench_pgbench
SALES_PGBENCH_SCALE=${SALES_PGBENCH_SCALE:-0}
# an access token lives 15 minutes: the owners log in again before a run
# that would end later than this many seconds after their last logins
SALES_TOKEN_SECONDS=780
SALES_TOKENS_AT=""
SALES_BID=""
SALES_DIR=""
SALES_PDF_ID=""

target sales_invoices "bahi POST /invoices" "/api/v1/invoices (5 lines)" sales_measure_invoices
target sales_invoices_one "bahi POST /invoices, one business" "/api/v1/invoices (5 lines)" \
	sales_measure_invoices_one
target sales_pgbench "pgbench TPC-B-like" "(tpcb-like, same cluster)" sales_measure_pgbench
target sales_pdf "bahi invoice PDF" "/api/v1/invoices/{id}/pdf" sales_measure_pdf
target sales_get "bahi GET invoice" "/api/v1/invoices/{id}" sales_measure_get

# The number of businesses, products per business and the targets' names,
# once pgbench's scale is known; with one business, the spread target is the
# one-business target.
sales_settings() {
	local scale=$SALES_PGBENCH_SCALE
	[ "$scale" != 0 ] || scale=$CONNECTIONS
	SALES_PGBENCH_SCALE=$scale
	[ "$SALES_BUSINESSES" != 0 ] || SALES_BUSINESSES=$scale
	SALES_PER_BUSINESS=$((SALES_PRODUCTS / SALES_BUSINESSES))
	[ "$SALES_PER_BUSINESS" -ge "$SALES_MIN_PRODUCTS" ] || SALES_PER_BUSINESS=$SALES_MIN_PRODUCTS
	local name="bahi POST /invoices, $SALES_BUSINESSES businesses"
	if [ "$SALES_BUSINESSES" = 1 ]; then
		SALES_TARGETS=(sales_invoices sales_pgbench sales_pdf sales_get)
		name="bahi POST /invoices, one business"
	fi
	target sales_invoices "$name" "/api/v1/invoices (5 lines)" sales_measure_invoices
}

# The bench businesses that exist, one "no id phone device tax_bp" a line:
# business 1 (the sign-up) and 2..SALES_BUSINESSES (sales-data.sql's), each
# with its owner's phone and fixed device.
sales_businesses() {
	bench_sql_value "SELECT s.k || ' ' || s.id || ' ' || u.phone || ' ' ||
			CASE s.k WHEN 1 THEN :'device' ELSE md5(s.id || '-sales-device')::uuid::text END
			|| ' ' || b.tax_rate_bp
		FROM (SELECT 1 AS k, :'bid'::uuid AS id UNION ALL
			SELECT k, md5(:'bid' || '-sales-business-' || k)::uuid
			FROM generate_series(2, :n) AS k) AS s
		JOIN businesses AS b ON b.id = s.id
		JOIN users AS u ON u.business_id = s.id AND u.role = 'owner'
		ORDER BY s.k" -v bid="$SALES_BID" -v n="$SALES_BUSINESSES" -v device="$SALES_DEVICE"
}

# The bench businesses' ids as a PostgreSQL array, in their order.
sales_bids() {
	printf '{%s}' "$(cut -d' ' -f2 "$SALES_DIR/businesses.txt" | paste -sd,)"
}

# Loads bench/sales-data.sql unless the stack holds the businesses and their
# products already (a stack the suite ran on before); writes the files
# sales-invoices.lua reads: businesses.txt ("no id phone device tax_bp" a
# line), products.txt ("no id price") and customers.txt ("no id").
sales_data() {
	local n start want=$((SALES_BUSINESSES * SALES_PER_BUSINESS))
	sales_businesses >"$SALES_DIR/businesses.txt"
	n=$(bench_sql_value "SELECT count(*) FROM products WHERE business_id = ANY (:'bids'::uuid[])
		AND sku LIKE 'SB-%'" -v bids="$(sales_bids)")
	if [ "$(wc -l <"$SALES_DIR/businesses.txt")" = "$SALES_BUSINESSES" ] && [ "$n" = "$want" ]; then
		say "sales data: reusing the $SALES_BUSINESSES businesses and their $n products"
	else
		if [ "$(wc -l <"$SALES_DIR/businesses.txt")" != 1 ] || [ "$n" != 0 ]; then
			die "the stack holds other sales data ($n products) than $SALES_BUSINESSES" \
				"businesses of $SALES_PER_BUSINESS products"
		fi
		start=$SECONDS
		bench_psql -v bid="$SALES_BID" -v businesses="$SALES_BUSINESSES" \
			-v products="$SALES_PER_BUSINESS" -v customers="$SALES_CUSTOMERS" \
			-f "$ROOT/bench/sales-data.sql" >/dev/null || die "bench/sales-data.sql failed"
		say "sales data: $SALES_BUSINESSES businesses, each with $SALES_PER_BUSINESS products and" \
			"$SALES_CUSTOMERS customers, loaded in $((SECONDS - start))s"
		sales_businesses >"$SALES_DIR/businesses.txt"
	fi
	bench_sql_value "SELECT s.k || ' ' || p.id || ' ' || p.price
		FROM unnest(:'bids'::uuid[]) WITH ORDINALITY AS s(id, k)
		JOIN products AS p ON p.business_id = s.id
		WHERE p.sku LIKE 'SB-%' AND p.deleted_at IS NULL ORDER BY s.k, p.sku" \
		-v bids="$(sales_bids)" >"$SALES_DIR/products.txt"
	bench_sql_value "SELECT s.k || ' ' || c.id
		FROM unnest(:'bids'::uuid[]) WITH ORDINALITY AS s(id, k)
		JOIN customers AS c ON c.business_id = s.id
		WHERE c.name LIKE 'Bench customer %' AND c.deleted_at IS NULL ORDER BY s.k, c.phone" \
		-v bids="$(sales_bids)" >"$SALES_DIR/customers.txt"
	[ "$(wc -l <"$SALES_DIR/businesses.txt")" = "$SALES_BUSINESSES" ] ||
		die "found $(wc -l <"$SALES_DIR/businesses.txt") bench businesses, not $SALES_BUSINESSES"
	[ "$(wc -l <"$SALES_DIR/products.txt")" = "$want" ] ||
		die "found $(wc -l <"$SALES_DIR/products.txt") bench products, not $want"
	[ "$(wc -l <"$SALES_DIR/customers.txt")" = $((SALES_BUSINESSES * SALES_CUSTOMERS)) ] ||
		die "found $(wc -l <"$SALES_DIR/customers.txt") bench customers, not $((SALES_BUSINESSES * SALES_CUSTOMERS))"
}

# An access token of owner $1 (phone) on device $2 from the real login path.
# nginx lets each client address log in 10 times a second (burst 20): a 429
# waits a second and tries again.
sales_login() {
	local out
	for _ in 1 2 3 4 5; do
		out=$(bench_post /api/v1/auth/login "$(printf '{"phone":"%s","password":"%s",%s}' "$1" \
			"$SALES_PASSWORD" "\"device\":{\"id\":\"$2\",\"name\":\"bench\",\"platform\":\"other\"}")")
		case ${out##*$'\n'} in
		200) sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$out"; return 0 ;;
		429) sleep 1 ;;
		*) break ;;
		esac
	done
	printf 'bench: POST /api/v1/auth/login of %s: %s\n' "$1" "$out" >&2
	return 1
}

# Logs every business's owner in (paced at 9 a second, under nginx's rate)
# unless the tokens of the last logins outlive a run of $1; writes
# tokens-all.txt ("no tax_bp token" a line, sales-invoices.lua's
# BENCH_BUSINESSES) and tokens-one.txt (business 1's line).
sales_tokens() {
	local no phone device tax token
	if [ -n "$SALES_TOKENS_AT" ] &&
		[ $((SECONDS - SALES_TOKENS_AT + $(duration_seconds "$1"))) -lt "$SALES_TOKEN_SECONDS" ]; then
		return 0
	fi
	SALES_TOKENS_AT=$SECONDS
	: >"$SALES_DIR/tokens.tmp"
	while read -r no _ phone device tax <&3; do
		token=$(sales_login "$phone" "$device") || token=""
		[ -n "$token" ] || die "no access token for $phone (business $no)"
		printf '%s %s %s\n' "$no" "$tax" "$token" >>"$SALES_DIR/tokens.tmp"
		sleep 0.11
	done 3<"$SALES_DIR/businesses.txt"
	mv "$SALES_DIR/tokens.tmp" "$SALES_DIR/tokens-all.txt"
	head -n 1 "$SALES_DIR/tokens-all.txt" >"$SALES_DIR/tokens-one.txt"
}

# Business $1's token (after sales_tokens).
sales_token() { awk -v no="$1" '$1 == no { print $3 }' "$SALES_DIR/tokens-all.txt"; }

# pgbench's tables of scale SALES_PGBENCH_SCALE, in a database of their own
# in the stack's cluster (created once per stack, initialised each time the
# suite sets up).
sales_pgbench_init() {
	local start=$SECONDS
	[ -n "$(bench_sql_value "SELECT 1 FROM pg_database WHERE datname = :'db'" \
		-v db="$SALES_PGBENCH_DB")" ] ||
		bench_psql -d postgres -c "CREATE DATABASE $SALES_PGBENCH_DB" >/dev/null
	PGPASSWORD=$(cat "$VAR/secrets/super.pw") pgbench -i -q -s "$SALES_PGBENCH_SCALE" \
		-h "$VAR/run/pg" -U bahi_super "$SALES_PGBENCH_DB" >"$SALES_DIR/pgbench-init.log" 2>&1 ||
		{ cat "$SALES_DIR/pgbench-init.log" >&2; die "pgbench -i failed"; }
	say "pgbench: tables of scale $SALES_PGBENCH_SCALE initialised in database" \
		"$SALES_PGBENCH_DB in $((SECONDS - start))s"
}

# POSTs a sale (JSON $2) with token $1; dies unless it answers 201 with
# "status":"$3"; prints the body.
sales_issue() {
	local out
	out=$(bench_post /api/v1/invoices "$2" -H "Authorization: Bearer $1")
	[ "${out##*$'\n'}" = 201 ] || die "POST /api/v1/invoices: $out"
	grep -q "\"status\":\"$3\"" <<<"$out" || die "POST /api/v1/invoices: not $3: ${out:0:300}"
	printf '%s' "${out%$'\n'*}"
}

# The lines JSON of products $3.. ($4 of them) of business $1 in the
# products file, $2 of each.
sales_lines() {
	local no=$1 qty=$2 first=$3 count=$4
	awk -v no="$no" '$1 == no { print $2 }' "$SALES_DIR/products.txt" |
		sed -n "${first},$((first + count - 1))p" |
		awk -v q="$qty" '{ printf "%s{\"product_id\":\"%s\",\"qty\":%s}", (NR > 1 ? "," : ""), $1, q }'
}

# One cash sale paid in full (tendering more, the change handed back) and one
# credit sale in business $1, as the wrk script sends them.
sales_check_business() {
	local no=$1 token customer
	token=$(sales_token "$no")
	customer=$(awk -v no="$no" '$1 == no { print $2; exit }' "$SALES_DIR/customers.txt")
	sales_issue "$token" "{\"lines\":[$(sales_lines "$no" 2 1 5)],\"payment_mode\":\"cash\",\"paid_amount\":100000000}" \
		paid >/dev/null
	sales_issue "$token" "{\"customer_id\":\"$customer\",\"lines\":[$(sales_lines "$no" 1 6 5)],\"payment_mode\":\"credit\",\"paid_amount\":0}" \
		unpaid >/dev/null
}

# A cash and a credit sale in the first business and in the last; then the
# 20-line credit invoice of the first business whose PDF is measured, checked
# to come out as a PDF.
sales_check() {
	local token body customer
	sales_check_business 1
	[ "$SALES_BUSINESSES" = 1 ] || sales_check_business "$SALES_BUSINESSES"
	token=$(sales_token 1)
	customer=$(awk '$1 == 1 { print $2; exit }' "$SALES_DIR/customers.txt")
	body=$(sales_issue "$token" "{\"customer_id\":\"$customer\",\"lines\":[$(sales_lines 1 1 11 "$SALES_PDF_LINES")],\"payment_mode\":\"credit\",\"paid_amount\":0}" \
		unpaid)
	SALES_PDF_ID=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' <<<"$body")
	[ -n "$SALES_PDF_ID" ] || die "no id in the invoice answer: ${body:0:300}"
	curl -s -o "$SALES_DIR/invoice.pdf" -H "Authorization: Bearer $token" \
		"http://127.0.0.1:$PORT/api/v1/invoices/$SALES_PDF_ID/pdf" || die "GET .../pdf failed"
	[ "$(head -c 5 "$SALES_DIR/invoice.pdf")" = "%PDF-" ] ||
		die "GET /api/v1/invoices/$SALES_PDF_ID/pdf is not a PDF: $(head -c 300 "$SALES_DIR/invoice.pdf")"
	wait_200 "/api/v1/invoices/$SALES_PDF_ID" -H "Authorization: Bearer $token"
}

sales_setup() {
	SALES_DIR=$VAR/bench-sales
	mkdir -p "$SALES_DIR"
	sales_settings
	wait_200 /api/v1/invoicing/health
	sales_pgbench_init
	SALES_BID=$(bench_signup "$SALES_PHONE" "$SALES_PASSWORD" "$SALES_DEVICE" "Bench Sales")
	sales_data
	sales_tokens "$DURATION"
	sales_check
}

# wrk sending sales-invoices.lua's sales in the businesses of tokens file $1
# for $2.
sales_wrk_invoices() {
	sales_tokens "$2"
	BENCH_SCRIPT=$ROOT/bench/sales-invoices.lua BENCH_BUSINESSES=$1 \
		BENCH_PRODUCTS=$SALES_DIR/products.txt BENCH_CUSTOMERS=$SALES_DIR/customers.txt \
		BENCH_CREDIT_PCT=$SALES_CREDIT_PCT \
		wrk_measure /api/v1/invoices "$2" "$CONNECTIONS"
	bench_drain /api/v1/invoicing/health
}

sales_measure_invoices() { sales_wrk_invoices "$SALES_DIR/tokens-all.txt" "$2"; }
sales_measure_invoices_one() { sales_wrk_invoices "$SALES_DIR/tokens-one.txt" "$2"; }

# pgbench's built-in TPC-B-like script with wrk's concurrency and duration,
# as the superuser on the stack's Unix socket; TPS, and latencies from its
# per-transaction log.
sales_measure_pgbench() {
	PGPASSWORD=$(cat "$VAR/secrets/super.pw") pgbench_measure "$SALES_DIR/pgbench" "$2" -- \
		-b tpcb-like -h "$VAR/run/pg" -U bahi_super "$SALES_PGBENCH_DB"
}

sales_measure_pdf() {
	sales_tokens "$2"
	BENCH_STRICT=1 wrk_measure "/api/v1/invoices/$SALES_PDF_ID/pdf" "$2" "$CONNECTIONS" \
		-H "Authorization: Bearer $(sales_token 1)"
	bench_drain /api/v1/invoicing/health
}

sales_measure_get() {
	sales_tokens "$2"
	BENCH_STRICT=1 wrk_measure "/api/v1/invoices/$SALES_PDF_ID" "$2" "$CONNECTIONS" \
		-H "Authorization: Bearer $(sales_token 1)"
}

# What the runs issued: in every business, every sale got the next invoice
# number and every change the next change-log number, none lost.
sales_report_numbers() {
	local rows bad total first in
	rows=$(bench_sql_value "SELECT s.k, i.n, i.lo, i.hi, c.n, c.hi, coalesce(k.value, 0)
		FROM unnest(:'bids'::uuid[]) WITH ORDINALITY AS s(id, k)
		CROSS JOIN LATERAL (SELECT count(*) AS n, coalesce(min(number), 1) AS lo,
			coalesce(max(number), 0) AS hi FROM invoices WHERE business_id = s.id) AS i
		CROSS JOIN LATERAL (SELECT count(*) AS n, coalesce(max(seq), 0) AS hi
			FROM change_entries WHERE business_id = s.id) AS c
		LEFT JOIN business_counters AS k ON k.business_id = s.id AND k.name = 'change_seq'
		ORDER BY s.k" -v bids="$(sales_bids)" | tr '|' ' ')
	total=$(awk '{ t += $2 } END { print t }' <<<"$rows")
	first=$(awk '$1 == 1 { print $2 }' <<<"$rows")
	in="in $SALES_BUSINESSES businesses"
	[ "$SALES_BUSINESSES" != 1 ] || in="in 1 business"
	say "invoices issued so far: $total $in ($first in business 1," \
		"the one-business target's), $(awk '{ print $2 }' <<<"$rows" | sort -n | head -n 1) to" \
		"$(awk '{ print $2 }' <<<"$rows" | sort -n | tail -n 1) a business"
	bad=$(awk '$3 != 1 || $2 != $4 { printf "business %s: %s invoices numbered %s..%s; ", $1, $2, $3, $4 }' <<<"$rows")
	[ -z "$bad" ] || die "invoice numbers have gaps: $bad"
	say "every business's invoices are numbered 1..n without a gap"
	bad=$(awk '$5 != $6 || $6 != $7 { printf "business %s: %s changes, highest %s, counter %s; ", $1, $5, $6, $7 }' <<<"$rows")
	[ -z "$bad" ] || die "change-log numbers have gaps: $bad"
	say "every business's change log is numbered 1..n without a gap, up to its change_seq counter"
}

sales_run() {
	say "bahi sales benchmark: wrk -t$THREADS -c$CONNECTIONS -d$DURATION and pgbench" \
		"-j$THREADS -c$CONNECTIONS -T$(duration_seconds "$DURATION") (warm-up $WARMUP)," \
		"$(worker_processes invoicing) invoicing worker processes, best of $ROUNDS rounds, $(nproc) CPUs"
	say "sales: in a business drawn at random of $SALES_BUSINESSES (or in business 1 alone)," \
		"5 distinct random products of its $SALES_PER_BUSINESS, 1-3 of each; $SALES_CREDIT_PCT% credit" \
		"sales to its $SALES_CUSTOMERS customers, the rest cash paid in full; pgbench scale" \
		"$SALES_PGBENCH_SCALE ($SALES_PGBENCH_SCALE branches); the PDF and GET of one" \
		"$SALES_PDF_LINES-line invoice (A4)"
	run_rounds "${SALES_TARGETS[@]}"
	report_table "${SALES_TARGETS[@]}"
	report_ratio "invoices/pgbench" sales_invoices sales_pgbench "$SALES_INVOICE_GOAL"
	[ "$SALES_BUSINESSES" = 1 ] ||
		say "ratio one business/pgbench: $(awk -v a="${BEST_RPS[sales_invoices_one]}" \
			-v b="${BEST_RPS[sales_pgbench]}" 'BEGIN { printf "%.2f", a / b }') (no goal: one" \
			"business's invoices are serial, see bench/README.md)"
	say "ratio pdf/get: $(awk -v a="${BEST_RPS[sales_pdf]}" -v b="${BEST_RPS[sales_get]}" \
		'BEGIN { printf "%.2f", a / b }') (no goal: what rendering the PDF costs next to the invoice's JSON)"
	sales_report_numbers
	sales_instr_run
}
