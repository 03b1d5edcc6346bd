-- 0005_fleet: the fleet frontier (package frontier's Fleet) in SQLite, the
-- same tables as PostgreSQL's (archive/pgarchive). New tables only: the
-- single-process frontier (table frontier) is untouched. Times are Unix
-- milliseconds.

-- fleet_hosts: one row per host (host[:port]); a host, not a URL, is leased.
--   next_fetch_at: no claim before this (the rest after the last lease).
--   lease_token:   fencing token, incremented by every claim.
--   lease_expires: NULL when the host is not leased.
--   errors:        consecutive failed leases (the back-off grows with it).
CREATE TABLE fleet_hosts (
    host          TEXT    NOT NULL PRIMARY KEY,
    next_fetch_at INTEGER NOT NULL DEFAULT 0,
    lease_token   INTEGER NOT NULL DEFAULT 0,
    leased_by     TEXT    NOT NULL DEFAULT '',
    lease_expires INTEGER,
    errors        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX fleet_hosts_ready ON fleet_hosts (next_fetch_at);

-- fleet_urls: one row per canonical URL, ever (exact dedup). The rowid
-- orders claims after priority (robots, sitemap, feed, page) and depth.
-- lease_token is the token of the lease a URL is in flight under.
CREATE TABLE fleet_urls (
    url         TEXT    NOT NULL UNIQUE,
    host        TEXT    NOT NULL REFERENCES fleet_hosts (host),
    kind        TEXT    NOT NULL DEFAULT 'page',
    priority    INTEGER NOT NULL DEFAULT 3,
    depth       INTEGER NOT NULL DEFAULT 0,
    via         TEXT    NOT NULL DEFAULT '',
    request_url TEXT    NOT NULL DEFAULT '',
    listed      INTEGER NOT NULL DEFAULT 0,
    last_mod    INTEGER NOT NULL DEFAULT 0,
    state       TEXT    NOT NULL DEFAULT 'queued',
    reason      TEXT    NOT NULL DEFAULT '',
    detail      TEXT    NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  INTEGER NOT NULL DEFAULT 0,
    lease_token INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX fleet_urls_queued ON fleet_urls (host, priority, depth) WHERE state = 'queued';
CREATE INDEX fleet_urls_in_flight ON fleet_urls (host, lease_token) WHERE state = 'in_flight';
CREATE INDEX fleet_urls_state ON fleet_urls (state);

-- fleet_robots: robots.txt per host, shared by every worker.
CREATE TABLE fleet_robots (
    host       TEXT    NOT NULL PRIMARY KEY,
    status     INTEGER NOT NULL,
    body       BLOB    NOT NULL,
    fetched_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
