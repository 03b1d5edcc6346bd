-- 0003_credits: the record's people and tags as tables (as the SQLite
-- archive's authors, editors and tags), the columns the search filters and
-- lists read (modified_at, description), and accent folding in the full-text
-- index.

-- authors: people credited with writing, one row per name whatever its case
-- (SQLite's COLLATE NOCASE); version_authors: who wrote which version, in
-- byline order, with the bio and profile URL shown on that page.
CREATE TABLE authors (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text   NOT NULL
);
CREATE UNIQUE INDEX authors_name ON authors (lower(name));
CREATE TABLE version_authors (
    version_id bigint  NOT NULL REFERENCES versions (id),
    author_id  bigint  NOT NULL REFERENCES authors (id),
    position   integer NOT NULL,                     -- 0-based byline order
    bio        text    NOT NULL DEFAULT '',
    url        text    NOT NULL DEFAULT '',
    PRIMARY KEY (version_id, position)
);
CREATE INDEX version_authors_author ON version_authors (author_id);

-- editors: identified by handle when the page gives one, else by name (key);
-- version_editors: credits per version, as shown on that page.
CREATE TABLE editors (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key    text   NOT NULL UNIQUE,                   -- lower(handle without @) or lower(name)
    name   text   NOT NULL DEFAULT '',               -- latest non-empty name seen
    handle text   NOT NULL DEFAULT ''
);
CREATE TABLE version_editors (
    version_id bigint  NOT NULL REFERENCES versions (id),
    editor_id  bigint  NOT NULL REFERENCES editors (id),
    position   integer NOT NULL,
    name       text    NOT NULL DEFAULT '',
    handle     text    NOT NULL DEFAULT '',
    url        text    NOT NULL DEFAULT '',
    PRIMARY KEY (version_id, position)
);
CREATE INDEX version_editors_editor ON version_editors (editor_id);
CREATE INDEX editors_name ON editors (lower(name));

-- tags: topic tags, one row per name whatever its case; version_tags: tags
-- per version in page order.
CREATE TABLE tags (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text   NOT NULL
);
CREATE UNIQUE INDEX tags_name ON tags (lower(name));
CREATE TABLE version_tags (
    version_id bigint  NOT NULL REFERENCES versions (id),
    tag_id     bigint  NOT NULL REFERENCES tags (id),
    position   integer NOT NULL,
    PRIMARY KEY (version_id, position)
);
CREATE INDEX version_tags_tag ON version_tags (tag_id);

ALTER TABLE versions ADD COLUMN modified_at text NOT NULL DEFAULT '';
ALTER TABLE versions ADD COLUMN description text NOT NULL DEFAULT '';
UPDATE versions SET modified_at = coalesce(record ->> 'modified_at', ''),
                    description = coalesce(record ->> 'description', '');

-- Filled from the records already stored.
INSERT INTO authors (name)
    SELECT DISTINCT ON (lower(x.name)) x.name
    FROM versions v, jsonb_to_recordset(coalesce(v.record -> 'authors', '[]')) AS x(name text)
    WHERE coalesce(x.name, '') <> '' ORDER BY lower(x.name), v.id;
INSERT INTO version_authors (version_id, author_id, position, bio, url)
    SELECT v.id, au.id, x.ord - 1, coalesce(x.value ->> 'bio', ''), coalesce(x.value ->> 'url', '')
    FROM versions v, jsonb_array_elements(coalesce(v.record -> 'authors', '[]')) WITH ORDINALITY AS x(value, ord)
    JOIN authors au ON lower(au.name) = lower(x.value ->> 'name');
INSERT INTO tags (name)
    SELECT DISTINCT ON (lower(x.name)) x.name
    FROM versions v, jsonb_array_elements_text(coalesce(v.record -> 'tags', '[]')) AS x(name)
    WHERE x.name <> '' ORDER BY lower(x.name), v.id;
INSERT INTO version_tags (version_id, tag_id, position)
    SELECT v.id, t.id, x.ord - 1
    FROM versions v, jsonb_array_elements_text(coalesce(v.record -> 'tags', '[]')) WITH ORDINALITY AS x(name, ord)
    JOIN tags t ON lower(t.name) = lower(x.name);
-- (Editors of existing versions are left out: before this migration no
-- PostgreSQL archive was written by anything but tests.)

-- Accent folding, as FTS5's remove_diacritics 2: the newsarchive text search
-- configuration is 'simple' with the unaccent dictionary in front of it
-- (unaccent is a trusted extension of postgresql-contrib, which Debian's
-- postgresql package includes). ts_headline with it highlights the original,
-- accented text.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION newsarchive (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION newsarchive
    ALTER MAPPING FOR word, hword, hword_part, numword, numhword, hword_numpart, asciiword, asciihword, hword_asciipart
    WITH unaccent, simple;
UPDATE article_search s SET document =
    setweight(to_tsvector('newsarchive', v.title), 'A') || setweight(to_tsvector('newsarchive', v.authors), 'B')
    || setweight(to_tsvector('newsarchive', coalesce(v.record ->> 'body_text', '')), 'D')
FROM versions v WHERE v.id = s.version_id;

-- newsarchive_time reads a page's own date (published_at, modified_at) as
-- SQLite's julianday does: YYYY-MM-DD, optionally a time (HH:MM, HH:MM:SS,
-- fractions) after T or a space, and Z or ±HH:MM; no zone is UTC. Anything
-- else is NULL, which a date filter excludes. Immutable (its own time zone
-- setting), so an index can hold it.
CREATE FUNCTION newsarchive_time(t text) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET timezone = 'UTC' AS $$
BEGIN
    IF t !~ '^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$' THEN
        RETURN NULL;
    END IF;
    BEGIN
        RETURN t::timestamptz;
    EXCEPTION WHEN others THEN
        RETURN NULL;
    END;
END $$;
CREATE INDEX versions_published_time ON versions (newsarchive_time(published_at));
