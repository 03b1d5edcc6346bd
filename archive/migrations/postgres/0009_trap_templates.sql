-- 0009_trap_templates: trap defence's per-template counters, shared by every
-- worker of a run (the SQLite archive's trap_templates, migration
-- 0002_trap_defence, plus the host and the skip count).
--
-- Per run and path template (scraper.Template: the host, then numbers,
-- dates, ids and slugs as placeholders, query keys sorted): the pages
-- fetched, how many of them in a row yielded nothing (no article, no link new
-- to the fleet frontier under another template), and how many URLs trap
-- defence skipped under it (reason trap_template). Each row is updated in the
-- transaction that commits the page or the skip. A worker that leases a host
-- reads its templates' rows (host), so whichever worker fetches a host cuts a
-- template at the same count.
CREATE TABLE trap_templates (
    run_id      bigint  NOT NULL REFERENCES runs (id),
    template    text    NOT NULL,
    host        text    NOT NULL,
    fetches     integer NOT NULL DEFAULT 0,
    since_yield integer NOT NULL DEFAULT 0,
    skipped     bigint  NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, template)
);
CREATE INDEX trap_templates_host ON trap_templates (run_id, host);
