-- 0003_text_once: each version's text stored once, and an index on the
-- publication time for date-range searches.

-- body_html: the record's body_html as a zstd frame. versions.record no
-- longer holds body_text nor body_html: body_text is the column above (the
-- one copy, which the full-text index reads), body_html this one; newsarchive
-- puts both back into the record it shows and exports. NULL: the record
-- still holds both (one newsarchive could not split exactly).
-- Filled for existing versions by the migration (Go code, same transaction).
ALTER TABLE versions ADD COLUMN body_html BLOB;

-- versions_published_jd: the publication time as a Julian day, for date
-- ranges (Search reads the versions in a range from here instead of reading
-- every match's row). A published_at containing 'now' (julianday would read
-- it as the current time, which an index cannot hold) is -1: such rows are
-- checked with julianday itself. NULL: no date julianday can read.
CREATE INDEX versions_published_jd ON versions (
    CASE WHEN instr(lower(published_at), 'now') > 0 THEN -1 ELSE julianday(published_at) END);
