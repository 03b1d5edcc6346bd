-- 0001_fleet: the fleet frontier (package frontier's Fleet), the same tables
-- as the SQLite archive's migration 0005_fleet.

-- fleet_hosts: one row per host (host[:port]); a host, not a URL, is leased.
--   next_fetch_at: no claim before this (the rest after the last lease).
--   lease_token:   fencing token, incremented by every claim.
--   lease_expires: NULL when the host is not leased.
--   errors:        consecutive failed leases (the back-off grows with it).
CREATE TABLE fleet_hosts (
    host          text        NOT NULL PRIMARY KEY,
    next_fetch_at timestamptz NOT NULL DEFAULT '-infinity',
    lease_token   bigint      NOT NULL DEFAULT 0,
    leased_by     text        NOT NULL DEFAULT '',
    lease_expires timestamptz,
    errors        integer     NOT NULL DEFAULT 0
);
CREATE INDEX fleet_hosts_ready ON fleet_hosts (next_fetch_at, host);

-- fleet_urls: one row per canonical URL, ever (exact dedup). id orders
-- claims after priority (robots, sitemap, feed, page) and depth. lease_token
-- is the token of the lease a URL is in flight under. The foreign key's check
-- takes FOR KEY SHARE on the host, which a claim's FOR NO KEY UPDATE does not
-- block: enqueueing onto a leased host never waits for its lease.
CREATE TABLE fleet_urls (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url         text        NOT NULL UNIQUE,
    host        text        NOT NULL REFERENCES fleet_hosts (host),
    kind        text        NOT NULL DEFAULT 'page',
    priority    integer     NOT NULL DEFAULT 3,
    depth       integer     NOT NULL DEFAULT 0,
    via         text        NOT NULL DEFAULT '',
    request_url text        NOT NULL DEFAULT '',
    listed      boolean     NOT NULL DEFAULT false,
    last_mod    timestamptz,
    state       text        NOT NULL DEFAULT 'queued',
    reason      text        NOT NULL DEFAULT '',
    detail      text        NOT NULL DEFAULT '',
    attempts    integer     NOT NULL DEFAULT 0,
    not_before  timestamptz,
    lease_token bigint      NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fleet_urls_queued ON fleet_urls (host, priority, depth, id) WHERE state = 'queued';
CREATE INDEX fleet_urls_in_flight ON fleet_urls (host, lease_token) WHERE state = 'in_flight';
CREATE INDEX fleet_urls_state ON fleet_urls (state);

-- fleet_robots: robots.txt per host, shared by every worker.
CREATE TABLE fleet_robots (
    host       text        NOT NULL PRIMARY KEY,
    status     integer     NOT NULL,
    body       bytea       NOT NULL,
    fetched_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
