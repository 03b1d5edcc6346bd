-- 0002_trap_defence: robots.txt on the URL as the site linked it, and trap
-- defence by yield that survives a resume.

-- request_url: the URL as the site linked it (parameters in their order,
-- percent-encoding normalised) when it differs from the canonical url; the
-- request goes there and robots.txt must allow both. '' means url.
ALTER TABLE frontier ADD COLUMN request_url TEXT NOT NULL DEFAULT '';
-- listed: 1 when a sitemap or feed listed the URL; trap defence never cuts it.
ALTER TABLE frontier ADD COLUMN listed INTEGER NOT NULL DEFAULT 0;

-- trap_templates: per run and path template (numbers, dates, ids, slugs as
-- placeholders, query keys sorted), the pages fetched and how many of them in
-- a row yielded nothing (no article, no new link under another template).
-- A template whose since_yield reaches the crawl's budget is cut: its URLs
-- are skipped with reason trap_template and the template as detail.
CREATE TABLE trap_templates (
    run_id      INTEGER NOT NULL REFERENCES runs (id),
    template    TEXT    NOT NULL,
    fetches     INTEGER NOT NULL DEFAULT 0,
    since_yield INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, template)
) WITHOUT ROWID;
