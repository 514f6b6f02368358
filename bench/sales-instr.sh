# bench/sales-instr.sh: the sales suite's repeatable figure: PostgreSQL's instructions for one sale and for one TPC-B-like transaction, counted by callgrind in a single-user backend.
#
# Sourced by bench/run after bench/sales.sh; sales_instr_run runs after the
# timed targets. Requests per second move with whatever else the machine
# does (bench/README.md); instruction counts do not. So a cash sale and a
# credit sale are each issued once through nginx with the server logging
# every statement, their statements (as the invoicing worker sent them, with
# its values) are replayed in a copy of the cluster by a single-user
# PostgreSQL backend under `valgrind --tool=callgrind` (bench/sales-instr.awk
# makes the replay), and pgbench's TPC-B-like statements likewise. What a
# transaction costs is the difference between a replay of 220 and one of 20,
# divided by 200: the backend's start, its first plans and its shutdown
# cancel out.
# shellcheck shell=bash disable=SC2153

SALES_INSTR_PGBIN=${BAHI_PGBIN:-/usr/lib/postgresql/15/bin}
SALES_INSTR_FEW=20
SALES_INSTR_MANY=220

# Runs a command as the owner of the stack's cluster (postgres when root).
sales_instr_as_pg() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Issues sale $2 (JSON), which must come out with status $3, with business
# 1's token while the server logs every statement; writes the statements of the backend that served it to
# $SALES_DIR/instr-$1.log and, to instr-$1.ids, the ids the sale made (the
# invoice's, then its stock movements') and, to instr-$1.prods, its products.
sales_instr_capture() {
	local kind=$1 body=$2 status=$3 log=$VAR/pg/server.log off out id pid
	bench_psql -q -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
	sleep 1   # the backends read the configuration again between statements
	off=$(wc -c <"$log")
	out=$(sales_issue "$(sales_token 1)" "$body" "$status")
	bench_psql -q -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null
	id=$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' <<<"$out")
	[ -n "$id" ] || die "no id in the $kind sale's answer: ${out:0:300}"
	tail -c +$((off + 1)) "$log" >"$SALES_DIR/instr-$kind.all"
	pid=$(sed -n 's/.* \[\([0-9]*\)\] LOG:  execute sale_issue.*/\1/p' "$SALES_DIR/instr-$kind.all" |
		head -n 1)
	[ -n "$pid" ] || die "the $kind sale's statements are not in $log"
	grep -E "\[$pid\] (LOG:  execute |DETAIL:  parameters: )" "$SALES_DIR/instr-$kind.all" \
		>"$SALES_DIR/instr-$kind.log"
	printf '%s %s\n' "$id" "$(bench_sql_value "SELECT string_agg(id::text, ' ')
		FROM stock_movements WHERE ref_id = :'id'" -v id="$id")" >"$SALES_DIR/instr-$kind.ids"
	grep -o '"product_id":"[^"]*"' <<<"$body" | cut -d'"' -f4 | paste -sd' ' \
		>"$SALES_DIR/instr-$kind.prods"
}

# The instructions (callgrind's total) of a single-user backend on the copy
# $1 in database $2 running the SQL file $3; dies on any error of a statement.
sales_instr_count() {
	local copy=$1 db=$2 sql=$3 out
	out=${sql%.sql}
	sales_instr_as_pg valgrind --tool=callgrind --callgrind-out-file="$out.cg" \
		"$SALES_INSTR_PGBIN/postgres" --single -j -D "$copy" "$db" <"$sql" >"$out.out" 2>&1 ||
		{ tail -n 20 "$out.out" >&2; die "the single-user backend failed on $sql"; }
	if grep -q ' ERROR: ' "$out.out"; then
		grep -m 3 ' ERROR: ' "$out.out" >&2
		die "a statement of $sql failed"
	fi
	sed -n 's/^summary: \([0-9]*\)$/\1/p' "$out.cg"
}

# The replay of kind $1 (cash or credit: the sale captured as that; tpcb:
# pgbench's TPC-B-like transaction, its built-in script's statements in the
# simple protocol, as pgbench sends them) from number $3, $4 times, into $2.
sales_instr_sql() {
	local kind=$1 out=$2 first=$3 n=$4
	if [ "$kind" != tpcb ]; then
		awk -v n="$n" -v first="$first" -v ids="$(cat "$SALES_DIR/instr-$kind.ids")" \
			-v prods="$(cat "$SALES_DIR/instr-$kind.prods")" \
			-v pool="$(awk '$1 == 1 { print $2 }' "$SALES_DIR/products.txt" | paste -sd' ')" \
			-f "$ROOT/bench/sales-instr.awk" "$SALES_DIR/instr-$kind.log" >"$out"
		return
	fi
	# pgbench's draws, from a fixed sequence: the same accounts every run
	awk -v first="$first" -v n="$n" -v scale="$SALES_PGBENCH_SCALE" 'BEGIN {
		srand(5)
		for (i = 1; i < first + n; i++) {
			aid = int(rand() * 100000 * scale) + 1; bid = int(rand() * scale) + 1
			tid = int(rand() * 10 * scale) + 1; delta = int(rand() * 10001) - 5000
			if (i < first)
				continue
			printf "BEGIN;\n\n"
			printf "UPDATE pgbench_accounts SET abalance = abalance + %d WHERE aid = %d;\n\n", delta, aid
			printf "SELECT abalance FROM pgbench_accounts WHERE aid = %d;\n\n", aid
			printf "UPDATE pgbench_tellers SET tbalance = tbalance + %d WHERE tid = %d;\n\n", delta, tid
			printf "UPDATE pgbench_branches SET bbalance = bbalance + %d WHERE bid = %d;\n\n", delta, bid
			printf "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime)"
			printf " VALUES (%d, %d, %d, %d, CURRENT_TIMESTAMP);\n\n", tid, bid, aid, delta
			printf "END;\n\n"
		}
	}' >"$out"
}

# The instructions a transaction of kind $2 costs in the copy $1: a replay
# of SALES_INSTR_MANY less one of SALES_INSTR_FEW (the next numbers: every
# replay writes rows of its own), over the difference.
sales_instr_per() {
	local copy=$1 kind=$2 dir=$SALES_DIR/instr db=bahi few many
	[ "$kind" != tpcb ] || db=$SALES_PGBENCH_DB
	sales_instr_sql "$kind" "$dir/$kind-few.sql" 1 "$SALES_INSTR_FEW"
	sales_instr_sql "$kind" "$dir/$kind-many.sql" $((SALES_INSTR_FEW + 1)) "$SALES_INSTR_MANY"
	few=$(sales_instr_count "$copy" "$db" "$dir/$kind-few.sql")
	many=$(sales_instr_count "$copy" "$db" "$dir/$kind-many.sql")
	{ [ -n "$few" ] && [ -n "$many" ]; } || die "callgrind gave no total for the $kind replay"
	awk -v a="$few" -v b="$many" -v d=$((SALES_INSTR_MANY - SALES_INSTR_FEW)) \
		'BEGIN { printf "%.0f", (b - a) / d }'
}

# Captures a cash and a credit sale of business 1, copies the cluster
# (pg_basebackup), counts, reports and removes the copy.
sales_instr_run() {
	local dir=$SALES_DIR/instr copy customer cash credit tpcb mix
	command -v valgrind >/dev/null || die "valgrind is not installed (./dev up installs it)"
	sales_tokens 60s
	customer=$(awk '$1 == 1 { print $2; exit }' "$SALES_DIR/customers.txt")
	sales_instr_capture cash "{\"lines\":[$(sales_lines 1 2 1 5)],\"payment_mode\":\"cash\",\"paid_amount\":100000000}" paid
	sales_instr_capture credit "{\"customer_id\":\"$customer\",\"lines\":[$(sales_lines 1 1 6 5)],\"payment_mode\":\"credit\",\"paid_amount\":0}" unpaid
	rm -rf "$dir"
	mkdir -p "$dir"
	copy=$dir/pg
	[ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
	PGPASSWORD=$(cat "$VAR/secrets/super.pw") sales_instr_as_pg "$SALES_INSTR_PGBIN/pg_basebackup" \
		-h "$VAR/run/pg" -U bahi_super -D "$copy" -X stream -c fast >"$dir/basebackup.log" 2>&1 ||
		{ cat "$dir/basebackup.log" >&2; die "pg_basebackup failed"; }
	# not counted: the first start recovers the backup; VACUUM sets every
	# row's hint bits, which the replays would otherwise set on the pages they
	# touch first (as many as the timed rounds left unvisited: pgbench's
	# accounts above all)
	local db
	for db in bahi "$SALES_PGBENCH_DB"; do
		sales_instr_as_pg "$SALES_INSTR_PGBIN/postgres" --single -j -D "$copy" "$db" \
			<<<"VACUUM;" >"$dir/prepare-$db.out" 2>&1 ||
			{ cat "$dir/prepare-$db.out" >&2; die "the copy did not start"; }
	done
	cash=$(sales_instr_per "$copy" cash)
	credit=$(sales_instr_per "$copy" credit)
	tpcb=$(sales_instr_per "$copy" tpcb)
	mix=$(awk -v a="$cash" -v b="$credit" -v p="$SALES_CREDIT_PCT" 'BEGIN { printf "%.0f", a + (b - a) * p / 100 }')
	say "PostgreSQL's instructions a transaction (callgrind, single-user replay; bench/sales-instr.sh):" \
		"cash sale $(sales_instr_m "$cash"), credit sale $(sales_instr_m "$credit"), the wrk" \
		"script's mix ($SALES_CREDIT_PCT% credit) $(sales_instr_m "$mix"), TPC-B-like $(sales_instr_m "$tpcb")"
	say "ratio TPC-B/sale in instructions: $(awk -v a="$tpcb" -v b="$mix" 'BEGIN { printf "%.3f", a / b }')" \
		"(no goal: PostgreSQL's own work alone, without nginx, the worker, round trips or the disk; repeatable)"
	rm -rf "$copy"
}

# Millions, to two decimals.
sales_instr_m() { awk -v n="$1" 'BEGIN { printf "%.2fM", n / 1000000 }'; }
