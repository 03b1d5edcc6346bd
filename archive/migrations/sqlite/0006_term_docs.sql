-- 0006_term_docs: a title-only index, and how many indexed versions hold each common word, so that
-- ranking need not count them per query (docs/search-scale.md, "Term counts").
-- bm25 weighs each word by the number of rows of articles_fts that hold it;
-- FTS5 counts them by walking the word's whole doclist once per query,
-- ~45 ms per common word at a million articles. Search reads the count as
--   term_docs.docs                      (rows up to term_docs_state.upto)
-- + rows of articles_fts above upto     (an index seek to upto)
-- - rows of term_docs_gone             (rows up to upto that left the index)
-- which is the same number, exactly.

-- term_docs: the words held by at least term_docs_state.min_docs rows with
-- rowid <= upto when the table was last built (Store.RefreshTermDocs, after
-- large runs with OptimizeIndex). A word not here is rare: counted directly.
CREATE TABLE term_docs (
    term TEXT    NOT NULL PRIMARY KEY,
    docs INTEGER NOT NULL
) WITHOUT ROWID;

-- term_docs_state: one row once built. upto NULL: the counts are not
-- usable (never built, or a row at or below upto entered the index again)
-- and Search ranks with FTS5's own bm25 until the next build.
CREATE TABLE term_docs_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    upto     INTEGER,
    min_docs INTEGER NOT NULL,
    built_at TEXT    NOT NULL
);

-- term_docs_gone: the text of the indexed versions at or below upto that a
-- newer version has replaced since the build (the trigger below), indexed
-- the same way, so their words can be subtracted. Contentless, no
-- positions: only whole-word row counts are asked of it.
CREATE VIRTUAL TABLE term_docs_gone USING fts5 (
    title, body_text, authors,
    content = '', detail = none,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- articles_title_fts: the titles of articles_fts's rows alone. Search takes
-- the most recent title matches below its rank window from here: under a
-- column filter, the whole index walked back through the body doclists of
-- the query's words (24–60 ms for two common words at a million articles).
CREATE VIRTUAL TABLE articles_title_fts USING fts5 (
    title,
    content = 'versions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO articles_title_fts (rowid, title)
    SELECT v.id, v.title FROM articles a JOIN versions v ON v.id = a.latest_version_id;

DROP TRIGGER articles_fts_latest;
CREATE TRIGGER articles_fts_latest AFTER UPDATE OF latest_version_id ON articles
WHEN new.latest_version_id IS NOT old.latest_version_id
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body_text, authors)
        SELECT 'delete', id, title, body_text, authors FROM versions WHERE id = old.latest_version_id;
    INSERT INTO articles_fts (rowid, title, body_text, authors)
        SELECT id, title, body_text, authors FROM versions WHERE id = new.latest_version_id;
    INSERT INTO articles_title_fts (articles_title_fts, rowid, title)
        SELECT 'delete', id, title FROM versions WHERE id = old.latest_version_id;
    INSERT INTO articles_title_fts (rowid, title)
        SELECT id, title FROM versions WHERE id = new.latest_version_id;
    INSERT INTO term_docs_gone (rowid, title, body_text, authors)
        SELECT id, title, body_text, authors FROM versions
        WHERE id = old.latest_version_id AND id <= (SELECT upto FROM term_docs_state);
    UPDATE term_docs_state SET upto = NULL WHERE new.latest_version_id <= upto;
END;
