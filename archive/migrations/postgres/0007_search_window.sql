-- 0007_search_window: what Search needs to rank a window of recent matches
-- as the SQLite archive does (archive.Search: the 1,000 most recently
-- archived matches plus up to 200 recent title matches below them) instead
-- of every match.
--
-- title: the title's lexemes of document (its weight-A positions), kept by
-- PostgreSQL itself (a generated column: the commit path writes document
-- only), with a GIN index of its own: FTS5's "{title} : (query)" of the
-- title window, answered without reading any document.
--
-- toast_tuple_target = 128: a document too big to stay in the row (over
-- ~2 KB) is compressed and moved out to the TOAST table, leaving the heap rows
-- short, so that finding the window's edge (the version ids of every match)
-- reads a small heap; only the ranked window's documents are read.
--
-- Adding a stored generated column rewrites the table once (about a minute
-- at a million articles); searches wait for it.
ALTER TABLE article_search SET (toast_tuple_target = 128);
ALTER TABLE article_search ADD COLUMN title tsvector GENERATED ALWAYS AS (ts_filter(document, '{a}')) STORED;
CREATE INDEX article_search_title ON article_search USING gin (title);

-- gin_pending_list_limit = 256 kB (default 4 MB): new rows wait in a GIN
-- index's pending list until it is full, and every search reads the whole
-- list. At 100,000 articles, two common words took ~520 ms instead of 45 ms
-- with a few MB pending; with at most 256 kB, 46–55 ms. Inserting a row
-- costs ~1.0 ms of index work instead of 0.4 ms (fastupdate off: 1.8 ms).
ALTER INDEX article_search_document SET (gin_pending_list_limit = 256);
ALTER INDEX article_search_title SET (gin_pending_list_limit = 256);

-- jit = off for the archive's database: a search's estimated cost (the
-- planner cannot know how few rows the window keeps) can pass
-- jit_above_cost, and compiling the statement then cost 11–14 ms per search
-- at 100,000 articles (38 → 52 ms), ~160 ms on a session's first. The archive's statements are all short. Changing a
-- database's settings needs its owner; without that right the migration goes
-- on (jit stays as the server has it).
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'jit left on: only the database owner can turn it off';
END $$;
