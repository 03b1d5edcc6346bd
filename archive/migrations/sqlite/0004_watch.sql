-- 0004_watch: what `newsarchive watch` learns and plans. The watch schedule is
-- data here (next check per discovery source and per article URL), not timers
-- in a process, so a watch resumes after Ctrl-C or kill -9 where it stopped
-- and two readers (the UI, `changes`) see the same plan.

-- events: what happened to an archived URL that is not a new version:
--   unpublished  the URL answered 404 or 410 (status holds which);
--   moved        the URL redirected to another URL (detail holds the target);
--   restored     a URL that was unpublished or moved answers 200 again.
-- Kinds are checked in Go (archive.Event*), not by a CHECK constraint, so a new
-- kind needs no table rebuild.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    url        TEXT    NOT NULL,                     -- URL checked (canonical when known)
    host       TEXT    NOT NULL DEFAULT '',          -- lower-case host of url, for --site
    article_id INTEGER REFERENCES articles (id),     -- NULL when the URL has no article
    kind       TEXT    NOT NULL,
    status     INTEGER NOT NULL DEFAULT 0,           -- HTTP status that caused it
    detail     TEXT    NOT NULL DEFAULT '',          -- moved: target URL; else free text
    at         TEXT    NOT NULL,                     -- when it was observed (UTC)
    run_id     INTEGER REFERENCES runs (id)          -- run that observed it, NULL if none
);
CREATE INDEX events_at ON events (at);
CREATE INDEX events_article ON events (article_id);

-- watch_sources: discovery sources (feeds, sitemaps, listing pages) polled
-- with conditional requests. interval_s adapts to how often the source
-- changes: halved when it changed, ×1.5 when not, within the watch's bounds.
CREATE TABLE watch_sources (
    url             TEXT    PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('feed', 'sitemap', 'listing')),
    added_at        TEXT    NOT NULL,
    next_check_at   TEXT    NOT NULL,
    interval_s      INTEGER NOT NULL,
    etag            TEXT    NOT NULL DEFAULT '',     -- validator from the last 200
    last_modified   TEXT    NOT NULL DEFAULT '',     -- Last-Modified from the last 200
    content_sha256  TEXT    NOT NULL DEFAULT '',     -- body hash, for servers without validators
    last_checked_at TEXT,
    last_changed_at TEXT,
    last_status     INTEGER NOT NULL DEFAULT 0,
    checks          INTEGER NOT NULL DEFAULT 0,      -- polls so far
    changes         INTEGER NOT NULL DEFAULT 0,      -- polls that found new content
    unchanged_count INTEGER NOT NULL DEFAULT 0       -- unchanged polls in a row
) WITHOUT ROWID;
CREATE INDEX watch_sources_due ON watch_sources (next_check_at);

-- watch_urls: article URLs under watch. step counts the fetches done: 0 means
-- discovered but not fetched yet (due at once); after fetch k the next check
-- is first_seen_at + revisit[k-1]; NULL next_check_at means no more revisits
-- (schedule exhausted, or gone).
CREATE TABLE watch_urls (
    url             TEXT    PRIMARY KEY,             -- canonical form of the URL as discovered
    final_url       TEXT    NOT NULL DEFAULT '',     -- where its first fetch ended (after redirects)
    article_id      INTEGER REFERENCES articles (id),
    first_seen_at   TEXT    NOT NULL,
    next_check_at   TEXT,
    step            INTEGER NOT NULL DEFAULT 0,
    etag            TEXT    NOT NULL DEFAULT '',
    last_modified   TEXT    NOT NULL DEFAULT '',
    lastmod         TEXT    NOT NULL DEFAULT '',     -- latest sitemap <lastmod> seen for it
    last_checked_at TEXT,
    last_status     INTEGER NOT NULL DEFAULT 0,
    gone            INTEGER NOT NULL DEFAULT 0       -- 1: unpublished or moved
) WITHOUT ROWID;
CREATE INDEX watch_urls_due ON watch_urls (next_check_at);
