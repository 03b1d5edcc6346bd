-- 0004_events: what happened to an archived URL that is not a new version
-- (unpublished, moved, restored), as the SQLite archive's events table
-- (migration 0004_watch) without its run: kinds are checked in Go
-- (archive.Event*). Written by `newsarchive copy` for now.
CREATE TABLE events (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url        text        NOT NULL,
    host       text        NOT NULL DEFAULT '',
    article_id bigint      REFERENCES articles (id),
    kind       text        NOT NULL,
    status     integer     NOT NULL DEFAULT 0,
    detail     text        NOT NULL DEFAULT '',
    at         timestamptz NOT NULL
);
CREATE INDEX events_at ON events (at);
CREATE INDEX events_article ON events (article_id);
CREATE INDEX events_url ON events (url);
