package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/newsarchive/newsarchive/extract"
)

// Page returns the archived page id with its body decompressed, or ErrNotFound.
func (s *Store) Page(ctx context.Context, id int64) (*Page, error) {
	var (
		p                       Page
		runID                   sql.NullInt64
		redirects, headers, sha string
		fetched, enc            string
		durMS                   int64
		body                    []byte
		size                    int
		truncated, notModified  bool
	)
	err := s.r.QueryRowContext(ctx, `
		SELECT id, run_id, url, final_url, redirects, status, headers, fetched_at, duration_ms, content_type,
			sha256, size, body, body_encoding, truncated, not_modified, coalesce(warc_file, ''), coalesce(warc_offset, 0)
		FROM pages WHERE id = ?`, id).Scan(
		&p.ID, &runID, &p.URL, &p.FinalURL, &redirects, &p.Status, &headers, &fetched, &durMS, &p.ContentType,
		&sha, &size, &body, &enc, &truncated, &notModified, &p.WARCFile, &p.WARCOffset)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("archive: page %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, wrap(fmt.Sprintf("page %d", id), err)
	}
	p.RunID = runID.Int64
	p.SHA256 = sha
	p.FetchedAt = parseTime(fetched)
	p.Duration = time.Duration(durMS) * time.Millisecond
	p.Truncated, p.NotModified = truncated, notModified
	if err := json.Unmarshal([]byte(redirects), &p.Redirects); err != nil {
		return nil, fmt.Errorf("archive: page %d: redirects: %w", id, err)
	}
	if err := json.Unmarshal([]byte(headers), &p.Header); err != nil {
		return nil, fmt.Errorf("archive: page %d: headers: %w", id, err)
	}
	if p.Body, err = s.decode(body, enc, size); err != nil {
		return nil, fmt.Errorf("archive: page %d: %w", id, err)
	}
	return &p, nil
}

func (s *Store) decode(body []byte, enc string, size int) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	switch enc {
	case "zstd":
		out, err := s.dec.DecodeAll(body, make([]byte, 0, size))
		if err != nil {
			return nil, fmt.Errorf("decompress body: %w", err)
		}
		return out, nil
	case "identity", "":
		return body, nil
	}
	return nil, fmt.Errorf("body encoding %q unknown", enc)
}

// Previous is the latest complete successful capture of a URL: what a
// conditional request needs, and the body to re-read links from after a 304.
type Previous struct {
	PageID       int64
	Status       int
	FetchedAt    time.Time
	ETag         string // from the stored ETag header, "" when none
	LastModified string // from the stored Last-Modified header, "" when none
	ContentType  string
	Body         []byte
}

// Previous returns the latest 2xx capture whose requested or final URL is url.
// Truncated captures are ignored (a conditional request based on one would
// keep the archive incomplete for ever), as are 304s (they have no body). ok is
// false when there is none.
func (s *Store) Previous(ctx context.Context, url string) (prev *Previous, ok bool, err error) {
	var (
		p       Previous
		headers string
		fetched string
		body    []byte
		enc     string
		size    int
	)
	err = s.r.QueryRowContext(ctx, `
		SELECT id, status, fetched_at, headers, content_type, body, body_encoding, size FROM pages
		WHERE (url = ?1 OR final_url = ?1) AND status BETWEEN 200 AND 299 AND truncated = 0 AND not_modified = 0
		ORDER BY id DESC LIMIT 1`, url).Scan(&p.PageID, &p.Status, &fetched, &headers, &p.ContentType, &body, &enc, &size)
	if err == sql.ErrNoRows {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, wrap("previous "+url, err)
	}
	p.FetchedAt = parseTime(fetched)
	var h http.Header
	if err := json.Unmarshal([]byte(headers), &h); err != nil {
		return nil, false, fmt.Errorf("archive: previous %s: headers: %w", url, err)
	}
	p.ETag, p.LastModified = h.Get("Etag"), h.Get("Last-Modified")
	if p.Body, err = s.decode(body, enc, size); err != nil {
		return nil, false, fmt.Errorf("archive: previous %s: %w", url, err)
	}
	return &p, true, nil
}

// VersionInfo describes one stored version of an article.
type VersionInfo struct {
	ID               int64
	PageID           int64     // the raw page it was extracted from
	FetchedAt        time.Time // when that page was fetched: versions are in this order
	ExtractedAt      time.Time
	ContentSHA256    string
	ExtractorVersion string
	Title            string
}

// RelatedLink is a related-article link of the latest version.
type RelatedLink struct {
	Title     string
	URL       string
	ArticleID int64 // the archived target article, 0 when not archived
}

// Archived reports whether the link's target is in the archive.
func (l RelatedLink) Archived() bool { return l.ArticleID != 0 }

// ArticleRecord is an archived article with its latest record.
type ArticleRecord struct {
	ID           int64
	CanonicalURL string
	SiteName     string
	FirstSeen    time.Time
	LastSeen     time.Time
	VersionID    int64 // the latest version
	PageID       int64 // the raw page of the latest version
	Record       extract.Article
	Versions     []VersionInfo // oldest first
	Aliases      []string      // every URL the article was reached by
	Related      []RelatedLink // of the latest version, in page order
}

// Article returns article id with its latest record, or ErrNotFound.
func (s *Store) Article(ctx context.Context, id int64) (*ArticleRecord, error) {
	return s.article(ctx, `a.id = ?`, id)
}

// ArticleByURL returns the article whose canonical URL or any alias is url,
// or ErrNotFound.
func (s *Store) ArticleByURL(ctx context.Context, url string) (*ArticleRecord, error) {
	return s.article(ctx, `a.id = coalesce((SELECT article_id FROM aliases WHERE url = ?1),
		(SELECT id FROM articles WHERE canonical_url = ?1))`, url)
}

func (s *Store) article(ctx context.Context, where string, arg any) (*ArticleRecord, error) {
	// One read transaction: the record, versions and links come from one snapshot.
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, wrap("article", err)
	}
	defer tx.Rollback()
	var (
		a                         ArticleRecord
		first, last, record, text string
		html                      []byte
	)
	err = tx.QueryRowContext(ctx, `
		SELECT a.id, a.canonical_url, a.site_name, a.first_seen, a.last_seen, v.id, v.page_id, v.record,
			v.body_text, `+s.bodyHTMLCol("v")+`
		FROM articles a JOIN versions v ON v.id = a.latest_version_id
		WHERE `+where, arg).Scan(&a.ID, &a.CanonicalURL, &a.SiteName, &first, &last, &a.VersionID, &a.PageID, &record,
		&text, &html)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("archive: article %v: %w", arg, ErrNotFound)
	}
	if err != nil {
		return nil, wrap(fmt.Sprintf("article %v", arg), err)
	}
	a.FirstSeen, a.LastSeen = parseTime(first), parseTime(last)
	full, err := s.fullRecord([]byte(record), text, html)
	if err != nil {
		return nil, fmt.Errorf("archive: article %d: record: %w", a.ID, err)
	}
	if err := json.Unmarshal(full, &a.Record); err != nil {
		return nil, fmt.Errorf("archive: article %d: record: %w", a.ID, err)
	}
	if a.Versions, err = versions(ctx, tx, a.ID); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT url FROM aliases WHERE article_id = ? ORDER BY url`, a.ID)
	if err != nil {
		return nil, wrap("article aliases", err)
	}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			rows.Close()
			return nil, wrap("article aliases", err)
		}
		a.Aliases = append(a.Aliases, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("article aliases", err)
	}
	rows, err = tx.QueryContext(ctx, `
		SELECT l.title, l.to_url, coalesce(al.article_id, 0)
		FROM links l LEFT JOIN aliases al ON al.url = l.to_url
		WHERE l.version_id = ? ORDER BY l.position`, a.VersionID)
	if err != nil {
		return nil, wrap("article links", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l RelatedLink
		if err := rows.Scan(&l.Title, &l.URL, &l.ArticleID); err != nil {
			return nil, wrap("article links", err)
		}
		a.Related = append(a.Related, l)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("article links", err)
	}
	return &a, nil
}

func versions(ctx context.Context, tx *sql.Tx, articleID int64) ([]VersionInfo, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT versions.id, page_id, pages.fetched_at, extracted_at, content_sha256, extractor_version, title
		FROM versions JOIN pages ON pages.id = versions.page_id
		WHERE article_id = ? ORDER BY pages.fetched_at, versions.id`, articleID)
	if err != nil {
		return nil, wrap("article versions", err)
	}
	defer rows.Close()
	var vs []VersionInfo
	for rows.Next() {
		var (
			v           VersionInfo
			fetched, at string
		)
		if err := rows.Scan(&v.ID, &v.PageID, &fetched, &at, &v.ContentSHA256, &v.ExtractorVersion, &v.Title); err != nil {
			return nil, wrap("article versions", err)
		}
		v.FetchedAt, v.ExtractedAt = parseTime(fetched), parseTime(at)
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("article versions", err)
	}
	return vs, nil
}

// VersionRecord is one stored version of an article with its record.
type VersionRecord struct {
	VersionInfo
	ArticleID int64
	Record    extract.Article
}

// Version returns version id with its record (for diffs between versions), or
// ErrNotFound.
func (s *Store) Version(ctx context.Context, id int64) (*VersionRecord, error) {
	var (
		v                VersionRecord
		at, record, text string
		html             []byte
	)
	err := s.r.QueryRowContext(ctx, `
		SELECT id, article_id, page_id, extracted_at, content_sha256, extractor_version, title, record,
			body_text, `+s.bodyHTMLCol("versions")+`
		FROM versions WHERE id = ?`, id).Scan(&v.ID, &v.ArticleID, &v.PageID, &at, &v.ContentSHA256,
		&v.ExtractorVersion, &v.Title, &record, &text, &html)
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("archive: version %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, wrap(fmt.Sprintf("version %d", id), err)
	}
	v.ExtractedAt = parseTime(at)
	full, err := s.fullRecord([]byte(record), text, html)
	if err != nil {
		return nil, fmt.Errorf("archive: version %d: record: %w", id, err)
	}
	if err := json.Unmarshal(full, &v.Record); err != nil {
		return nil, fmt.Errorf("archive: version %d: record: %w", id, err)
	}
	return &v, nil
}

// ListOptions pages through a listing. Limit 0 means 100.
type ListOptions struct {
	Limit  int
	Offset int
}

// ArticleSummary is one line of an article listing.
type ArticleSummary struct {
	ID           int64
	CanonicalURL string
	SiteName     string
	Title        string
	Authors      []string
	PublishedAt  string // as the page gives it
	Versions     int
	LastSeen     time.Time
}

// ListArticles lists articles in archive order (oldest first).
func (s *Store) ListArticles(ctx context.Context, opts ListOptions) ([]ArticleSummary, error) {
	limit := opts.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.r.QueryContext(ctx, `
		SELECT a.id, a.canonical_url, a.site_name, v.title, v.authors, v.published_at, a.last_seen,
			(SELECT count(*) FROM versions WHERE article_id = a.id)
		FROM articles a JOIN versions v ON v.id = a.latest_version_id
		ORDER BY a.id LIMIT ? OFFSET ?`, limit, max(opts.Offset, 0))
	if err != nil {
		return nil, wrap("list articles", err)
	}
	defer rows.Close()
	var out []ArticleSummary
	for rows.Next() {
		var (
			a             ArticleSummary
			authors, last string
		)
		if err := rows.Scan(&a.ID, &a.CanonicalURL, &a.SiteName, &a.Title, &authors, &a.PublishedAt, &last, &a.Versions); err != nil {
			return nil, wrap("list articles", err)
		}
		a.Authors = splitAuthors(authors)
		a.LastSeen = parseTime(last)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("list articles", err)
	}
	return out, nil
}

func splitAuthors(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ", ")
}

// CountArticles returns the number of archived articles.
func (s *Store) CountArticles(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE latest_version_id IS NOT NULL`).Scan(&n); err != nil {
		return 0, wrap("count articles", err)
	}
	return n, nil
}

// Count is one group of a breakdown.
type Count struct {
	Key string
	N   int
}

// Stats summarises the archive.
type Stats struct {
	Articles, Versions, Pages, Authors, Editors, Tags int

	PagesByStatus    map[string]int // "2xx", "3xx" (incl. 304), "4xx", "5xx"
	FrontierByState  map[string]int // queued, in_flight, done, failed, skipped
	FrontierByReason map[string]int // reason codes of failed, skipped and retried entries
	FailedByReason   map[string]int // reason codes of failed entries (the pages given up on)
	SkippedByReason  map[string]int // reason codes of skipped entries (robots, off-site, not HTML…)
	// TruncatedPages counts raw pages cut at the body-size cap: kept, never
	// presented as complete records.
	TruncatedPages  int
	ExtractFailures int // archived pages whose extraction failed

	// Breakdowns of articles (by their latest version), largest first.
	ArticlesBySite   []Count
	ArticlesByAuthor []Count
	ArticlesByEditor []Count // editor name, or handle when no name
	ArticlesByMonth  []Count // YYYY-MM of published_at, "unknown" when absent; chronological
	// TrapTemplates are the path templates trap defence cut (frontier
	// reason trap_template), with the URLs skipped for each, most first.
	TrapTemplates []Count

	Runs []Run
}

// Stats computes the archive's summary from one snapshot.
func (s *Store) Stats(ctx context.Context) (*Stats, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, wrap("stats", err)
	}
	defer tx.Rollback()
	st := &Stats{}
	err = tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM articles WHERE latest_version_id IS NOT NULL),
		(SELECT count(*) FROM versions), (SELECT count(*) FROM pages),
		(SELECT count(*) FROM authors), (SELECT count(*) FROM editors), (SELECT count(*) FROM tags),
		(SELECT count(*) FROM pages WHERE extract_error <> ''),
		(SELECT count(*) FROM pages WHERE truncated)`).Scan(
		&st.Articles, &st.Versions, &st.Pages, &st.Authors, &st.Editors, &st.Tags, &st.ExtractFailures,
		&st.TruncatedPages)
	if err != nil {
		return nil, wrap("stats", err)
	}
	groups := []struct {
		sql string
		m   *map[string]int
		l   *[]Count
	}{
		{`SELECT (status / 100) || 'xx', count(*) FROM pages GROUP BY 1`, &st.PagesByStatus, nil},
		{`SELECT state, count(*) FROM frontier GROUP BY 1`, &st.FrontierByState, nil},
		{`SELECT reason, count(*) FROM frontier WHERE reason <> '' GROUP BY 1`, &st.FrontierByReason, nil},
		{`SELECT CASE WHEN reason <> '' THEN reason ELSE 'unknown' END, count(*) FROM frontier
			WHERE state = 'failed' GROUP BY 1`, &st.FailedByReason, nil},
		{`SELECT CASE WHEN reason <> '' THEN reason ELSE 'unknown' END, count(*) FROM frontier
			WHERE state = 'skipped' GROUP BY 1`, &st.SkippedByReason, nil},
		{`SELECT site_name, count(*) FROM articles WHERE latest_version_id IS NOT NULL
			GROUP BY 1 ORDER BY 2 DESC, 1`, nil, &st.ArticlesBySite},
		{`SELECT au.name, count(DISTINCT a.id) FROM articles a
			JOIN version_authors va ON va.version_id = a.latest_version_id JOIN authors au ON au.id = va.author_id
			GROUP BY au.id ORDER BY 2 DESC, 1`, nil, &st.ArticlesByAuthor},
		{`SELECT CASE WHEN e.name <> '' THEN e.name ELSE e.handle END, count(DISTINCT a.id) FROM articles a
			JOIN version_editors ve ON ve.version_id = a.latest_version_id JOIN editors e ON e.id = ve.editor_id
			GROUP BY e.id ORDER BY 2 DESC, 1`, nil, &st.ArticlesByEditor},
		{`SELECT CASE WHEN v.published_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' THEN substr(v.published_at, 1, 7)
				ELSE 'unknown' END, count(*)
			FROM articles a JOIN versions v ON v.id = a.latest_version_id GROUP BY 1 ORDER BY 1`, nil, &st.ArticlesByMonth},
		{`SELECT detail, count(*) FROM frontier WHERE reason = 'trap_template'
			GROUP BY 1 ORDER BY 2 DESC, 1`, nil, &st.TrapTemplates},
	}
	for _, g := range groups {
		if g.m != nil {
			*g.m = map[string]int{}
		}
		rows, err := tx.QueryContext(ctx, g.sql)
		if err != nil {
			return nil, wrap("stats", err)
		}
		for rows.Next() {
			var c Count
			if err := rows.Scan(&c.Key, &c.N); err != nil {
				rows.Close()
				return nil, wrap("stats", err)
			}
			if g.m != nil {
				(*g.m)[c.Key] = c.N
			} else {
				*g.l = append(*g.l, c)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, wrap("stats", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, wrap("stats", err)
	}
	if st.Runs, err = s.Runs(ctx); err != nil {
		return nil, err
	}
	return st, nil
}
