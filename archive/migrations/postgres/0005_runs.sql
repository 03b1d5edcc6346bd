-- 0005_runs: runs on a shared archive. A crawl run is joined by every worker
-- started while it is unfinished (crawl --db postgres://…): one row in runs,
-- one row per worker in run_workers with that worker's status and counts.
-- The run is finished when a worker ends with the fleet frontier empty
-- (nothing queued, nothing in flight). An import is a run of its own.
CREATE TABLE runs (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text        NOT NULL DEFAULT 'crawl',   -- crawl or import
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    status      text        NOT NULL DEFAULT 'running', -- running, finished, interrupted, failed
    seeds       jsonb       NOT NULL DEFAULT '[]',
    settings    jsonb       NOT NULL DEFAULT '{}'
);

-- run_workers: the workers of a run; counts are added up over a worker's
-- sessions (a worker that rejoins under the same name adds to its row).
CREATE TABLE run_workers (
    run_id      bigint      NOT NULL REFERENCES runs (id),
    worker      text        NOT NULL,
    joined_at   timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    status      text        NOT NULL DEFAULT 'running',
    counts      jsonb       NOT NULL DEFAULT '{}',
    PRIMARY KEY (run_id, worker)
);

-- The frontier's pending count (queued and in flight), asked by every idle
-- worker, reads only live rows.
CREATE INDEX fleet_urls_live ON fleet_urls (state) WHERE state IN ('queued', 'in_flight');
-- Leases held by one worker (a restarted worker hands its old leases back).
CREATE INDEX fleet_hosts_leased_by ON fleet_hosts (leased_by) WHERE lease_expires IS NOT NULL;
