package archive

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SearchOptions filters and pages a search. Zero values mean "no filter".
type SearchOptions struct {
	Author string    // an author's name, case-insensitive
	Editor string    // an editor's name or handle (with or without @), case-insensitive
	Tag    string    // a tag, case-insensitive
	Site   string    // site name, or host of the canonical URL
	Since  time.Time // published at or after
	Until  time.Time // published before (exclusive)
	Limit  int       // 0 means 20
	Offset int
	// HighlightStart and HighlightEnd surround matched terms in snippets;
	// "[" and "]" when empty. A web UI can pass control characters and replace
	// them after escaping the text.
	HighlightStart, HighlightEnd string
}

// SearchHit is one matching article.
type SearchHit struct {
	ArticleID    int64
	VersionID    int64
	CanonicalURL string
	SiteName     string
	Title        string
	Authors      []string
	PublishedAt  string
	Snippet      string  // matched text in context, terms highlighted
	Score        float64 // bm25; lower is better (empty query: 0)
}

// QueryError reports a full-text query SQLite could not parse.
type QueryError struct {
	Query string
	Msg   string // one line, for people
}

// Error implements error.
func (e *QueryError) Error() string {
	return fmt.Sprintf("archive: search %q: %s", e.Query, e.Msg)
}

// Search runs an FTS5 query (phrases "…", AND/OR/NOT, prefix*, NEAR, column
// filters title:/body_text:/authors:) over the latest version of every article,
// ranked by bm25 (title weighs 10, authors 5, body 1), with the filters of
// opts. An empty query lists the filtered articles, newest published first. A
// query FTS5 cannot parse returns a *QueryError.
func (s *Store) Search(ctx context.Context, query string, opts SearchOptions) ([]SearchHit, error) {
	hs, he := opts.HighlightStart, opts.HighlightEnd
	if hs == "" && he == "" {
		hs, he = "[", "]"
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = 20
	}
	var (
		q    strings.Builder
		args []any
	)
	query = strings.TrimSpace(query)
	if query != "" {
		q.WriteString(`SELECT a.id, v.id, a.canonical_url, a.site_name, v.title, v.authors, v.published_at,
			snippet(articles_fts, -1, ?, ?, '…', 16), bm25(articles_fts, 10.0, 1.0, 5.0) AS score
			FROM articles_fts
			JOIN versions v ON v.id = articles_fts.rowid
			JOIN articles a ON a.id = v.article_id
			WHERE articles_fts MATCH ?`)
		args = append(args, hs, he, query)
	} else {
		q.WriteString(`SELECT a.id, v.id, a.canonical_url, a.site_name, v.title, v.authors, v.published_at,
			CASE WHEN v.description <> '' THEN v.description ELSE substr(v.body_text, 1, 200) END, 0.0 AS score
			FROM articles a JOIN versions v ON v.id = a.latest_version_id
			WHERE 1`)
	}
	if opts.Author != "" {
		q.WriteString(` AND EXISTS (SELECT 1 FROM version_authors va JOIN authors au ON au.id = va.author_id
			WHERE va.version_id = v.id AND au.name = ?)`)
		args = append(args, strings.TrimSpace(opts.Author))
	}
	if opts.Editor != "" {
		q.WriteString(` AND EXISTS (SELECT 1 FROM version_editors ve JOIN editors e ON e.id = ve.editor_id
			WHERE ve.version_id = v.id AND (e.key = lower(?) OR e.name = ? COLLATE NOCASE))`)
		ed := strings.TrimPrefix(strings.TrimSpace(opts.Editor), "@")
		args = append(args, ed, ed)
	}
	if opts.Tag != "" {
		q.WriteString(` AND EXISTS (SELECT 1 FROM version_tags vt JOIN tags t ON t.id = vt.tag_id
			WHERE vt.version_id = v.id AND t.name = ?)`)
		args = append(args, strings.TrimSpace(opts.Tag))
	}
	if opts.Site != "" {
		q.WriteString(` AND (a.site_name = ? COLLATE NOCASE OR a.canonical_url LIKE 'http://' || ? || '/%'
			OR a.canonical_url LIKE 'https://' || ? || '/%')`)
		site := strings.TrimSpace(opts.Site)
		args = append(args, site, site, site)
	}
	// julianday reads RFC 3339 with any offset and plain dates; a published_at
	// it cannot read is NULL and excluded by a date filter.
	if !opts.Since.IsZero() {
		q.WriteString(` AND julianday(v.published_at) >= julianday(?)`)
		args = append(args, opts.Since.UTC().Format(time.RFC3339))
	}
	if !opts.Until.IsZero() {
		q.WriteString(` AND julianday(v.published_at) < julianday(?)`)
		args = append(args, opts.Until.UTC().Format(time.RFC3339))
	}
	if query != "" {
		q.WriteString(` ORDER BY score, a.id`)
	} else {
		q.WriteString(` ORDER BY julianday(v.published_at) DESC NULLS LAST, a.id DESC`)
	}
	q.WriteString(` LIMIT ? OFFSET ?`)
	args = append(args, limit, max(opts.Offset, 0))
	rows, err := s.r.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return nil, searchError(query, err)
	}
	defer rows.Close()
	var hits []SearchHit
	for rows.Next() {
		var (
			h       SearchHit
			authors string
		)
		if err := rows.Scan(&h.ArticleID, &h.VersionID, &h.CanonicalURL, &h.SiteName, &h.Title, &authors,
			&h.PublishedAt, &h.Snippet, &h.Score); err != nil {
			return nil, searchError(query, err)
		}
		h.Authors = splitAuthors(authors)
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, searchError(query, err)
	}
	return hits, nil
}

const syntaxHint = ` (FTS5 syntax: words, "phrases", AND, OR, NOT, prefix*, title:word)`

// searchError turns SQLite's complaint about a bad FTS5 query into a
// *QueryError with one line for people; other errors are wrapped as usual.
func searchError(query string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_ERROR {
		msg := se.Error()
		switch {
		case strings.Contains(msg, `fts5: syntax error near ""`):
			return &QueryError{Query: query, Msg: "incomplete query: an operator or parenthesis lacks its term" + syntaxHint}
		case strings.Contains(msg, "fts5:"):
			msg = msg[strings.Index(msg, "fts5:")+len("fts5:"):]
			msg = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(msg), "(1)"))
			return &QueryError{Query: query, Msg: msg + syntaxHint}
		case strings.Contains(msg, "unknown special query"):
			return &QueryError{Query: query, Msg: "a query cannot start with * (prefix queries need a word before *)" + syntaxHint}
		case strings.Contains(msg, "no such column"):
			col := msg[strings.Index(msg, "no such column")+len("no such column"):]
			col = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.TrimPrefix(col, ":")), "(1)"))
			return &QueryError{Query: query, Msg: fmt.Sprintf("unknown column %q (columns: title, body_text, authors)", col)}
		case strings.Contains(msg, "unterminated string"):
			return &QueryError{Query: query, Msg: "unterminated \"quoted phrase\"" + syntaxHint}
		}
	}
	return wrap("search", err)
}
