#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests that need one.
#
# Sourced by .ci/run (`. .ci/pg.sh`): it exports NEWSARCHIVE_PG (a postgres://
# URL of the cluster's admin database) and NEWSARCHIVE_REQUIRE_PG=1, and stops
# the cluster when the sourcing shell exits (an EXIT trap; a later trap in the
# same shell must call newsarchive_pg_stop too).
#
# Executed directly (`.ci/pg.sh`) for local work: it starts the cluster, prints
# the export line and the stop command, and leaves the cluster running.
#
# Debian's postgresql package is installed when no server is found (the client
# alone, psql, may be there without it). The cluster lives in a temporary
# directory, runs as the postgres user when started by root (initdb refuses
# root), listens on 127.0.0.1 only, on a free port, with trust authentication
# for loopback connections: it is a test fixture, never a server to keep.

newsarchive_pg_start() {
	local initdb bindir
	initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -z "$initdb" ]; then
		echo "pg.sh: installing Debian's postgresql" >&2
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
		initdb=$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
	fi
	bindir=$(dirname "$initdb")

	# as_pg runs a command as the cluster's owner: postgres when we are root.
	local -a as_pg=()
	if [ "$(id -u)" = 0 ]; then
		as_pg=(runuser -u postgres --)
	fi

	NEWSARCHIVE_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/newsarchive-pg.XXXXXX")
	export NEWSARCHIVE_PG_DIR NEWSARCHIVE_PG_BIN="$bindir"
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$NEWSARCHIVE_PG_DIR"
	fi
	# --no-sync and, below, fsync=off: the data is thrown away after the run;
	# a killed server still loses nothing the OS already holds.
	"${as_pg[@]}" "$bindir/initdb" -D "$NEWSARCHIVE_PG_DIR/data" -U postgres \
		--auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$NEWSARCHIVE_PG_DIR/initdb.log" 2>&1 ||
		{ cat "$NEWSARCHIVE_PG_DIR/initdb.log" >&2; return 1; }

	# A free port: try random ones until the server starts on one (another
	# process may take a port between a check and the start, so the start
	# itself is the check).
	local port try
	for try in 1 2 3 4 5 6 7 8; do
		port=$((20000 + RANDOM % 40000))
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			continue # something listens there
		fi
		# listen_addresses: loopback only. unix_socket_directories: inside the
		# temporary directory (no /var/run/postgresql needed). max_connections:
		# several test packages run at once, each with a pool per test.
		if "${as_pg[@]}" "$bindir/pg_ctl" -D "$NEWSARCHIVE_PG_DIR/data" -l "$NEWSARCHIVE_PG_DIR/server.log" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$NEWSARCHIVE_PG_DIR -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
			start >/dev/null; then
			export NEWSARCHIVE_PG="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
			export NEWSARCHIVE_REQUIRE_PG=1
			return 0
		fi
		tail -n 5 "$NEWSARCHIVE_PG_DIR/server.log" >&2 || true
	done
	echo "pg.sh: PostgreSQL did not start" >&2
	return 1
}

# newsarchive_pg_stop stops the cluster and removes its directory.
newsarchive_pg_stop() {
	if [ -n "${NEWSARCHIVE_PG_DIR:-}" ] && [ -d "$NEWSARCHIVE_PG_DIR/data" ]; then
		local -a as_pg=()
		if [ "$(id -u)" = 0 ]; then
			as_pg=(runuser -u postgres --)
		fi
		"${as_pg[@]}" "$NEWSARCHIVE_PG_BIN/pg_ctl" -D "$NEWSARCHIVE_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
		rm -rf "$NEWSARCHIVE_PG_DIR"
	fi
}

if [ "${1:-}" = --stop ]; then
	newsarchive_pg_stop
elif [ "${BASH_SOURCE[0]}" != "$0" ]; then
	# Sourced: start, and stop on exit.
	newsarchive_pg_start
	trap newsarchive_pg_stop EXIT
	echo "PostgreSQL: $NEWSARCHIVE_PG"
else
	set -euo pipefail
	newsarchive_pg_start
	echo "export NEWSARCHIVE_PG='$NEWSARCHIVE_PG' NEWSARCHIVE_REQUIRE_PG=1"
	echo "# stop: NEWSARCHIVE_PG_DIR=$NEWSARCHIVE_PG_DIR NEWSARCHIVE_PG_BIN=$NEWSARCHIVE_PG_BIN bash -c '. .ci/pg.sh --stop'"
fi
