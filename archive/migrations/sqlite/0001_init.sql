-- 0001_init: the newsarchive schema.
--
-- Conventions for researchers:
--   * Timestamps written by the archive (started_at, fetched_at, first_seen, ...)
--     are UTC text in a fixed-width ISO 8601 form, 2006-01-02T15:04:05.000Z, so
--     they sort as text and work with SQLite's date functions.
--   * published_at / modified_at are the page's own values (RFC 3339 when the
--     page gives an offset); substr(published_at, 1, 7) is the month.
--   * JSON columns hold JSON text; query them with json_extract / json_each.
--   * Booleans are 0/1 integers.

-- runs: one row per crawl. A crawl that did not finish (killed, Ctrl-C, disk
-- full) is resumed by the next crawl instead of starting a new run.
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT    NOT NULL,
    finished_at TEXT,                                -- NULL while running
    -- running: in progress or killed; interrupted: stopped by Ctrl-C;
    -- failed: stopped by an error (disk full, locked); finished: completed.
    status      TEXT    NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'finished', 'interrupted', 'failed')),
    seeds       TEXT    NOT NULL DEFAULT '[]',       -- JSON array of seed URLs
    settings    TEXT    NOT NULL DEFAULT '{}',       -- JSON object: crawl settings
    counts      TEXT    NOT NULL DEFAULT '{}'        -- JSON object: outcome -> count
);

-- pages: every fetched response, stored before anything is extracted from it,
-- so any record can be re-extracted later without the network.
CREATE TABLE pages (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER REFERENCES runs (id),
    url           TEXT    NOT NULL,                  -- requested URL
    final_url     TEXT    NOT NULL,                  -- URL after redirects (what is archived)
    redirects     TEXT    NOT NULL DEFAULT '[]',     -- JSON array: the chain before final_url
    status        INTEGER NOT NULL,                  -- HTTP status (304 for not-modified)
    headers       TEXT    NOT NULL DEFAULT '{}',     -- JSON object: canonical header -> [values]
    fetched_at    TEXT    NOT NULL,
    duration_ms   INTEGER NOT NULL DEFAULT 0,        -- request start to body read
    content_type  TEXT    NOT NULL DEFAULT '',
    sha256        TEXT    NOT NULL DEFAULT '',       -- hex SHA-256 of the decoded body
    size          INTEGER NOT NULL DEFAULT 0,        -- decoded body size in bytes
    body          BLOB,                              -- NULL when no body (e.g. 304)
    body_encoding TEXT    NOT NULL DEFAULT 'zstd',   -- how body is stored: 'zstd' frame
    truncated     INTEGER NOT NULL DEFAULT 0,        -- 1: body cut at the size cap
    not_modified  INTEGER NOT NULL DEFAULT 0,        -- 1: 304 answer to a conditional request
    extract_error TEXT    NOT NULL DEFAULT '',       -- why extraction failed, '' otherwise
    warc_file     TEXT,                              -- reserved: WARC file holding this capture
    warc_offset   INTEGER                            -- reserved: byte offset of its record
);
CREATE INDEX pages_url ON pages (url);
CREATE INDEX pages_final_url ON pages (final_url);
CREATE INDEX pages_run ON pages (run_id);

-- frontier: every URL the crawler discovered, one row per URL, owned by the
-- run that last queued it. States: queued, in_flight, done, failed, skipped.
CREATE TABLE frontier (
    url           TEXT    PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES runs (id),
    state         TEXT    NOT NULL DEFAULT 'queued'
                  CHECK (state IN ('queued', 'in_flight', 'done', 'failed', 'skipped')),
    reason        TEXT    NOT NULL DEFAULT '',       -- reason code for failed/skipped/retry
    detail        TEXT    NOT NULL DEFAULT '',       -- free text for people
    depth         INTEGER NOT NULL DEFAULT 0,        -- link hops from a seed
    kind          TEXT    NOT NULL DEFAULT 'page',   -- page, robots, sitemap, feed
    priority      INTEGER NOT NULL DEFAULT 3,        -- from kind: robots 0, sitemap 1, feed 2, other 3
    via           TEXT    NOT NULL DEFAULT '',       -- URL of the page it was found on
    attempts      INTEGER NOT NULL DEFAULT 0,        -- fetch attempts so far
    not_before    INTEGER NOT NULL DEFAULT 0,        -- Unix ms; not claimed earlier (retry backoff)
    discovered_at TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    page_id       INTEGER REFERENCES pages (id)      -- latest page fetched for this URL
);
-- Claim order: ready entries of the run by priority, depth, discovery (rowid).
CREATE INDEX frontier_claim ON frontier (run_id, state, priority, depth);
-- Earliest not_before among queued entries, for the scheduler's sleep.
CREATE INDEX frontier_ready ON frontier (run_id, state, not_before);

-- articles: one row per article, keyed by canonical URL (the page's final URL
-- when it declares none).
CREATE TABLE articles (
    id                INTEGER PRIMARY KEY,
    canonical_url     TEXT    NOT NULL UNIQUE,
    site_name         TEXT    NOT NULL DEFAULT '',
    first_seen        TEXT    NOT NULL,              -- first fetch that yielded it
    last_seen         TEXT    NOT NULL,              -- latest fetch (incl. unchanged and 304)
    latest_version_id INTEGER REFERENCES versions (id)
);
CREATE INDEX articles_site ON articles (site_name);

-- aliases: every URL an article was reached by (fetched, final and canonical URLs).
CREATE TABLE aliases (
    url        TEXT    PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id),
    first_seen TEXT    NOT NULL
) WITHOUT ROWID;
CREATE INDEX aliases_article ON aliases (article_id);

-- versions: one row per distinct content of an article. A new version is added
-- only when content_sha256 differs from the latest one; old versions are never
-- changed or deleted.
CREATE TABLE versions (
    id                INTEGER PRIMARY KEY,
    article_id        INTEGER NOT NULL REFERENCES articles (id),
    page_id           INTEGER NOT NULL REFERENCES pages (id), -- raw page it was extracted from
    -- SHA-256 over the normalised content (site name, language, title, authors,
    -- editors, dates, tags, description, image, body text, related links,
    -- copyright), not over the fetch URL, time or extractor bookkeeping.
    content_sha256    TEXT    NOT NULL,
    extracted_at      TEXT    NOT NULL,
    extractor_version TEXT    NOT NULL DEFAULT '',
    record            TEXT    NOT NULL,              -- the full extract.Article as JSON
    -- Flattened copies of record fields, for SQL:
    url               TEXT    NOT NULL DEFAULT '',   -- URL the record was extracted from
    title             TEXT    NOT NULL DEFAULT '',
    authors           TEXT    NOT NULL DEFAULT '',   -- author names joined by ', ' (for FTS)
    published_at      TEXT    NOT NULL DEFAULT '',
    modified_at       TEXT    NOT NULL DEFAULT '',
    description       TEXT    NOT NULL DEFAULT '',
    language          TEXT    NOT NULL DEFAULT '',
    word_count        INTEGER NOT NULL DEFAULT 0,
    body_text         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX versions_article ON versions (article_id);
CREATE INDEX versions_page ON versions (page_id);
CREATE INDEX versions_published ON versions (published_at);

-- authors: people credited with writing; version_authors: who wrote which
-- version, in byline order, with the bio and profile URL shown on that page.
CREATE TABLE authors (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE version_authors (
    version_id INTEGER NOT NULL REFERENCES versions (id),
    author_id  INTEGER NOT NULL REFERENCES authors (id),
    position   INTEGER NOT NULL,                     -- 0-based byline order
    bio        TEXT    NOT NULL DEFAULT '',
    url        TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (version_id, position)
) WITHOUT ROWID;
CREATE INDEX version_authors_author ON version_authors (author_id);

-- editors: people credited with editing, identified by handle when the page
-- gives one, else by name (key); version_editors: credits per version.
CREATE TABLE editors (
    id     INTEGER PRIMARY KEY,
    key    TEXT    NOT NULL UNIQUE,                  -- lower(handle) or lower(name)
    name   TEXT    NOT NULL DEFAULT '',              -- latest non-empty name seen
    handle TEXT    NOT NULL DEFAULT ''
);
CREATE TABLE version_editors (
    version_id INTEGER NOT NULL REFERENCES versions (id),
    editor_id  INTEGER NOT NULL REFERENCES editors (id),
    position   INTEGER NOT NULL,
    name       TEXT    NOT NULL DEFAULT '',          -- as credited on that page
    handle     TEXT    NOT NULL DEFAULT '',
    url        TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (version_id, position)
) WITHOUT ROWID;
CREATE INDEX version_editors_editor ON version_editors (editor_id);

-- tags: topic tags; version_tags: tags per version in page order.
CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE version_tags (
    version_id INTEGER NOT NULL REFERENCES versions (id),
    tag_id     INTEGER NOT NULL REFERENCES tags (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (version_id, position)
) WITHOUT ROWID;
CREATE INDEX version_tags_tag ON version_tags (tag_id);

-- links: the related-article links of each version (the related-link graph).
-- Join to_url with aliases.url to find the archived target article.
CREATE TABLE links (
    version_id INTEGER NOT NULL REFERENCES versions (id),
    position   INTEGER NOT NULL,
    to_url     TEXT    NOT NULL,
    title      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (version_id, position)
) WITHOUT ROWID;
CREATE INDEX links_to ON links (to_url);

-- articles_fts: full-text index over the LATEST version of each article
-- (rowid = versions.id). External content: the text lives in versions only.
-- unicode61 with remove_diacritics 2 folds case and accents ("Muller" finds
-- "Müller").
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body_text, authors,
    content = 'versions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Keep articles_fts on the latest versions whatever code moves the pointer
-- (crawl, import, re-extraction): the old latest leaves the index, the new
-- one enters it.
CREATE TRIGGER articles_fts_latest AFTER UPDATE OF latest_version_id ON articles
WHEN new.latest_version_id IS NOT old.latest_version_id
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body_text, authors)
        SELECT 'delete', id, title, body_text, authors FROM versions WHERE id = old.latest_version_id;
    INSERT INTO articles_fts (rowid, title, body_text, authors)
        SELECT id, title, body_text, authors FROM versions WHERE id = new.latest_version_id;
END;
