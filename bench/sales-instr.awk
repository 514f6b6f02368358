# sales-instr.awk: turns the statement log of one sale into a single-user replay of it, n times over, for counting PostgreSQL's instructions.
#
# Input: the server log lines (log_statement = all) of the one backend that
# served the sale: "... LOG:  execute NAME: SQL", each followed by its
# "... DETAIL:  parameters: $1 = '...', $2 = NULL" when it has parameters.
# Variables: n, the times the sale is replayed; first, the number of the
# first replay (1 if unset); ids, the ids the sale made (space-separated),
# each replaced in replay i by its first 24 characters and i in 12 hex
# digits, so that every replay writes rows of its own; prods, the sale's
# products, and pool, products of the same business (both space-separated):
# replay i sells, in place of the sale's products, the next ones of the pool
# in turn, so that the replays spread their updates over the pool's rows as
# sales do (the products' names and prices in the invoice's lines stay the
# sale's: only the ids change).
# Output, for `postgres --single -j` (statements end with ";" and a blank
# line): the role the workers connect as, one PREPARE for each statement
# with parameters (the workers' statements are prepared too), then n times
# the sale's statements in their order, as EXECUTE with the logged values.
# The device's last-seen refresh (session_touch, at most once a minute) is
# left out.

/ LOG:  execute [^ ]+: / {
	sub(/^.* LOG:  execute /, "")
	k++
	name[k] = substr($0, 1, index($0, ":") - 1)
	sql[k] = substr($0, index($0, ":") + 2)
	args[k] = ""
	next
}

/ DETAIL:  parameters: / {
	sub(/^.* DETAIL:  parameters: /, "")
	gsub(/\$[0-9]+ = /, "")
	args[k] = $0
}

END {
	if (k == 0) {
		print "sales-instr.awk: no statement in the log" > "/dev/stderr"
		exit 1
	}
	nid = split(ids, id, " ")
	nprod = split(prods, prod, " ")
	npool = split(pool, from, " ")
	printf "SET ROLE bahi_app;\n\n"
	for (j = 1; j <= k; j++)
		if (args[j] != "" && !(name[j] in prepared)) {
			prepared[name[j]] = 1
			printf "PREPARE %s AS %s;\n\n", name[j], sql[j]
		}
	if (first == "")
		first = 1
	for (i = first; i < first + n; i++)
		for (j = 1; j <= k; j++) {
			if (name[j] == "session_touch")
				continue
			line = args[j] != "" ? "EXECUTE " name[j] "(" args[j] ")" : sql[j]
			for (m = 1; m <= nid; m++)
				gsub(id[m], substr(id[m], 1, 24) sprintf("%012x", i), line)
			# in two passes: a product of the pool may be one of the sale's
			for (m = 1; m <= nprod && npool >= nprod; m++)
				gsub(prod[m], "@" m "@", line)
			for (m = 1; m <= nprod && npool >= nprod; m++)
				gsub("@" m "@", from[((i - 1) * nprod + m - 1) % npool + 1], line)
			printf "%s;\n\n", line
		}
}
