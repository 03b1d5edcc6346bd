-- 0002_archive: the archive itself, committed one page per transaction with
-- the page's frontier state (CommitPage). The same shape as the SQLite
-- archive's pages, articles, aliases, versions and links, with two
-- differences: a version's text is stored once (in record; the flattened
-- columns hold only what filters and lists need), and the full-text index is
-- a tsvector per article (its latest version) under a GIN index.

-- pages: every fetched response, stored before anything is extracted from it.
-- worker and lease_token say which lease committed it.
CREATE TABLE pages (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url           text        NOT NULL,
    final_url     text        NOT NULL,
    redirects     jsonb       NOT NULL DEFAULT '[]',
    status        integer     NOT NULL,
    headers       jsonb       NOT NULL DEFAULT '{}',
    fetched_at    timestamptz NOT NULL,
    duration_ms   bigint      NOT NULL DEFAULT 0,
    content_type  text        NOT NULL DEFAULT '',
    sha256        text        NOT NULL DEFAULT '',
    size          bigint      NOT NULL DEFAULT 0,
    body          bytea,                              -- NULL when no body (e.g. 304)
    body_encoding text        NOT NULL DEFAULT 'zstd',
    truncated     boolean     NOT NULL DEFAULT false,
    not_modified  boolean     NOT NULL DEFAULT false,
    extract_error text        NOT NULL DEFAULT '',
    warc_file     text,
    warc_offset   bigint,
    worker        text        NOT NULL DEFAULT '',
    lease_token   bigint      NOT NULL DEFAULT 0
);
CREATE INDEX pages_url ON pages (url);
CREATE INDEX pages_final_url ON pages (final_url);

CREATE TABLE articles (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    canonical_url     text        NOT NULL UNIQUE,
    site_name         text        NOT NULL DEFAULT '',
    first_seen        timestamptz NOT NULL,
    last_seen         timestamptz NOT NULL,
    latest_version_id bigint
);
CREATE INDEX articles_site ON articles (site_name);

CREATE TABLE aliases (
    url        text        PRIMARY KEY,
    article_id bigint      NOT NULL REFERENCES articles (id),
    first_seen timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX aliases_article ON aliases (article_id);

-- versions: one row per distinct content of an article (content_sha256 as
-- archive.ContentHash). record is the full extract.Article; its body text is
-- not repeated in another column.
CREATE TABLE versions (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id        bigint      NOT NULL REFERENCES articles (id),
    page_id           bigint      NOT NULL REFERENCES pages (id),
    content_sha256    text        NOT NULL,
    extracted_at      timestamptz NOT NULL DEFAULT now(),
    extractor_version text        NOT NULL DEFAULT '',
    record            jsonb       NOT NULL,
    url               text        NOT NULL DEFAULT '',
    title             text        NOT NULL DEFAULT '',
    authors           text        NOT NULL DEFAULT '',  -- names joined by ', '
    published_at      text        NOT NULL DEFAULT '',
    language          text        NOT NULL DEFAULT '',
    word_count        integer     NOT NULL DEFAULT 0
);
CREATE INDEX versions_article ON versions (article_id);
CREATE INDEX versions_page ON versions (page_id);
CREATE INDEX versions_published ON versions (published_at);
ALTER TABLE articles ADD FOREIGN KEY (latest_version_id) REFERENCES versions (id);

-- links: the related-article links of each version.
CREATE TABLE links (
    version_id bigint  NOT NULL REFERENCES versions (id),
    position   integer NOT NULL,
    to_url     text    NOT NULL,
    title      text    NOT NULL DEFAULT '',
    PRIMARY KEY (version_id, position)
);
CREATE INDEX links_to ON links (to_url);

-- article_search: the full-text row of each article's latest version:
-- title (weight A), authors (B) and body text (D) under the 'simple'
-- configuration (no stemming, like FTS5's unicode61; unlike it, accents are
-- not folded). Replaced when the latest version changes.
CREATE TABLE article_search (
    article_id bigint   PRIMARY KEY REFERENCES articles (id),
    version_id bigint   NOT NULL REFERENCES versions (id),
    document   tsvector NOT NULL
);
CREATE INDEX article_search_document ON article_search USING gin (document);
