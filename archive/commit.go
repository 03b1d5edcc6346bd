package archive

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsarchive/newsarchive/extract"
)

// stmts are the writer's statements, prepared once on the writer connection
// and bound to each transaction with Tx.StmtContext.
type stmts struct {
	insPage, upArticle, touchAlias, upAlias, insVersion, setLatest *sql.Stmt
	upAuthor, insVersionAuthor, upEditor, insVersionEditor         *sql.Stmt
	upTag, insVersionTag, insLink, enqueue, setEntry, markTarget   *sql.Stmt
	findVersion, countTemplate                                     *sql.Stmt
}

func prepareStmts(ctx context.Context, db *sql.DB) (*stmts, error) {
	st := &stmts{}
	for _, p := range []struct {
		dst **sql.Stmt
		sql string
	}{
		{&st.insPage, `INSERT INTO pages (run_id, url, final_url, redirects, status, headers, fetched_at,
			duration_ms, content_type, sha256, size, body, body_encoding, truncated, not_modified, extract_error,
			warc_file, warc_offset)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'zstd', ?, ?, ?, ?, ?)`},
		// RETURNING the latest version's content hash spares a SELECT per page.
		// Captures may arrive out of time order (an import of older WARC
		// files): first and last seen only ever widen, and the latest
		// version's fetch time comes back so that an older capture does not
		// displace it.
		{&st.upArticle, `INSERT INTO articles (canonical_url, site_name, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3)
			ON CONFLICT (canonical_url) DO UPDATE SET
				first_seen = min(articles.first_seen, excluded.first_seen),
				last_seen = max(articles.last_seen, excluded.last_seen),
				site_name = CASE WHEN excluded.site_name <> '' THEN excluded.site_name ELSE articles.site_name END
			RETURNING id, latest_version_id,
				(SELECT content_sha256 FROM versions WHERE versions.id = articles.latest_version_id),
				(SELECT pages.fetched_at FROM versions JOIN pages ON pages.id = versions.page_id
					WHERE versions.id = articles.latest_version_id)`},
		{&st.findVersion, `SELECT id FROM versions WHERE article_id = ? AND content_sha256 = ? ORDER BY id LIMIT 1`},
		{&st.touchAlias, `UPDATE articles SET last_seen = max(last_seen, ?1)
			WHERE id = (SELECT article_id FROM aliases WHERE url = ?2)
			RETURNING id, latest_version_id`},
		{&st.upAlias, `INSERT INTO aliases (url, article_id, first_seen) VALUES (?, ?, ?)
			ON CONFLICT (url) DO UPDATE SET article_id = excluded.article_id
			WHERE aliases.article_id <> excluded.article_id`},
		{&st.insVersion, `INSERT INTO versions (article_id, page_id, content_sha256, extracted_at, extractor_version,
			record, url, title, authors, published_at, modified_at, description, language, word_count, body_text, body_html)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&st.setLatest, `UPDATE articles SET latest_version_id = ? WHERE id = ?`},
		{&st.upAuthor, `INSERT INTO authors (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id`},
		{&st.insVersionAuthor, `INSERT INTO version_authors (version_id, author_id, position, bio, url) VALUES (?, ?, ?, ?, ?)`},
		{&st.upEditor, `INSERT INTO editors (key, name, handle) VALUES (?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET
				name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE editors.name END,
				handle = CASE WHEN excluded.handle <> '' THEN excluded.handle ELSE editors.handle END
			RETURNING id`},
		{&st.insVersionEditor, `INSERT INTO version_editors (version_id, editor_id, position, name, handle, url) VALUES (?, ?, ?, ?, ?, ?)`},
		{&st.upTag, `INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id`},
		{&st.insVersionTag, `INSERT INTO version_tags (version_id, tag_id, position) VALUES (?, ?, ?)`},
		{&st.insLink, `INSERT INTO links (version_id, position, to_url, title) VALUES (?, ?, ?, ?)`},
		// Inserts a group of entries (see entryGroup) from a JSON array of URLs.
		// A URL owned by an earlier run is queued again for this run; one
		// already in this run is left alone. "WHERE true" is SQLite's required
		// disambiguation of INSERT … SELECT … ON CONFLICT.
		{&st.enqueue, `INSERT INTO frontier (url, run_id, state, depth, kind, priority, via, not_before, discovered_at, updated_at,
				request_url, listed)
			SELECT CASE WHEN type = 'array' THEN value ->> 0 ELSE value END,
				?1, 'queued', ?4, ?5, ?6, ?7, ?8, ?2, ?2,
				CASE WHEN type = 'array' THEN value ->> 1 ELSE '' END,
				CASE WHEN type = 'array' THEN value ->> 2 ELSE 0 END
			FROM json_each(?3) WHERE true
			ON CONFLICT (url) DO UPDATE SET
				run_id = excluded.run_id, state = 'queued', reason = '', detail = '',
				depth = excluded.depth, kind = excluded.kind, priority = excluded.priority, via = excluded.via,
				attempts = 0, not_before = excluded.not_before, updated_at = excluded.updated_at,
				request_url = excluded.request_url, listed = excluded.listed
			WHERE frontier.run_id < excluded.run_id`},
		// One fetch of a page under a path template (trap defence): a fetch
		// that yielded resets since_yield.
		{&st.countTemplate, `INSERT INTO trap_templates (run_id, template, fetches, since_yield) VALUES (?1, ?2, 1, 1 - ?3)
			ON CONFLICT (run_id, template) DO UPDATE SET fetches = fetches + 1,
				since_yield = CASE WHEN ?3 THEN 0 ELSE since_yield + 1 END`},
		{&st.setEntry, `INSERT INTO frontier (url, run_id, state, reason, detail, depth, kind, priority, via,
			attempts, not_before, discovered_at, updated_at, page_id)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)
			ON CONFLICT (url) DO UPDATE SET
				run_id = excluded.run_id, state = excluded.state, reason = excluded.reason, detail = excluded.detail,
				attempts = excluded.attempts, not_before = excluded.not_before, updated_at = excluded.updated_at,
				page_id = coalesce(excluded.page_id, frontier.page_id)`},
		// The final URL of a redirect is archived with the page: mark it done so
		// a link to it later in this run does not fetch the same page again.
		{&st.markTarget, `INSERT INTO frontier (url, run_id, state, reason, detail, depth, kind, priority, via,
			discovered_at, updated_at, page_id)
			VALUES (?1, ?2, 'done', 'redirect_target', ?3, ?4, 'page', 3, ?3, ?5, ?5, ?6)
			ON CONFLICT (url) DO UPDATE SET
				run_id = excluded.run_id, state = 'done', reason = 'redirect_target', detail = excluded.detail,
				updated_at = excluded.updated_at, page_id = excluded.page_id
			WHERE frontier.run_id < excluded.run_id OR frontier.state = 'queued'`},
	} {
		stmt, err := db.PrepareContext(ctx, p.sql)
		if err != nil {
			st.close()
			return nil, wrap("prepare", err)
		}
		*p.dst = stmt
	}
	return st, nil
}

func (st *stmts) close() error {
	var errs []error
	for _, s := range []*sql.Stmt{st.insPage, st.upArticle, st.touchAlias, st.upAlias, st.insVersion, st.setLatest,
		st.upAuthor, st.insVersionAuthor, st.upEditor, st.insVersionEditor,
		st.upTag, st.insVersionTag, st.insLink, st.enqueue, st.setEntry, st.markTarget, st.findVersion, st.countTemplate} {
		if s != nil {
			errs = append(errs, s.Close())
		}
	}
	return errors.Join(errs...)
}

// prepared is the CPU-heavy part of a capture (compression, hashing, JSON),
// computed before the write transaction so the write lock is held briefly.
type prepared struct {
	body        []byte // zstd frame; nil when the page has no body
	sha         string
	size        int
	headers     string
	redirects   string
	record      string // JSON of the article without its bodies (see record.go), "" when no article is stored
	bodyHTML    []byte // the article's body_html, zstd; nil when record holds both bodies
	contentHash string
	authors     string // names joined by ", "
	links       []entryGroup
	linkURLs    []string // the URLs in links
}

// Commit writes a batch of captures in one transaction and reports, in input
// order, what it stored. For each capture: the raw page first (always, also
// when extraction failed), then the article record (when Article.IsArticle): the
// article is upserted by canonical URL (the page's final URL when the record
// names none), every URL it was reached by becomes an alias, and a new version is
// added only when the content hash differs from the latest version's — old
// versions are never changed. Then the discovered links are enqueued (as
// Enqueue) and the entry's frontier state is set. A 304 page is stored without
// body and its article counts as seen but unchanged. Either the whole batch is
// committed or, on error or crash, none of it.
func (s *Store) Commit(ctx context.Context, runID int64, caps []Capture) ([]CommitResult, error) {
	if s.readOnly {
		return nil, fmt.Errorf("archive: commit: %w", ErrReadOnly)
	}
	for i := range caps {
		c := &caps[i]
		switch c.State {
		case StateQueued, StateDone, StateFailed, StateSkipped:
		default:
			return nil, fmt.Errorf("archive: commit: capture %d (%s): %w: state %q", i, c.Entry.URL, ErrInvalid, c.State)
		}
		if c.Article != nil && c.Article.IsArticle && c.Page == nil {
			return nil, fmt.Errorf("archive: commit: capture %d (%s): %w: article without page", i, c.Entry.URL, ErrInvalid)
		}
	}
	preps, err := s.prepareCaptures(runID, caps)
	if err != nil {
		return nil, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap("commit", err)
	}
	defer tx.Rollback()
	w := &batchWriter{ctx: ctx, tx: tx, runID: runID, now: fmtTime(time.Now())}
	w.bind(s.st)
	results := make([]CommitResult, len(caps))
	for i := range caps {
		if err := w.write(&caps[i], &preps[i], &results[i]); err != nil {
			return nil, wrap(fmt.Sprintf("commit %s", caps[i].Entry.URL), err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, wrap("commit", err)
	}
	var known []string
	for i := range caps {
		known = append(known, caps[i].Entry.URL)
		known = append(known, preps[i].linkURLs...)
	}
	s.known.add(runID, known)
	return results, nil
}

// prepareCaptures runs the per-capture CPU work on up to GOMAXPROCS goroutines.
func (s *Store) prepareCaptures(runID int64, caps []Capture) ([]prepared, error) {
	preps := make([]prepared, len(caps))
	workers := min(len(caps), runtime.GOMAXPROCS(0))
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		errs = make([]error, len(caps))
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := sha256.New()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(caps) {
					return
				}
				errs[i] = s.prepare(&caps[i], &preps[i], h)
				s.prepareLinks(runID, &caps[i], &preps[i])
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("archive: commit: %w", err)
	}
	return preps, nil
}

func (s *Store) prepare(c *Capture, p *prepared, h hash.Hash) error {
	if pg := c.Page; pg != nil {
		if !pg.NotModified && len(pg.Body) > 0 {
			p.size = len(pg.Body)
			p.body = s.enc.EncodeAll(pg.Body, make([]byte, 0, len(pg.Body)/4+64))
			p.sha = pg.SHA256
			if p.sha == "" {
				h.Reset()
				h.Write(pg.Body)
				p.sha = hex.EncodeToString(h.Sum(nil))
			}
		}
		p.headers = "{}"
		if len(pg.Header) > 0 {
			b, err := json.Marshal(pg.Header)
			if err != nil {
				return fmt.Errorf("page %s headers: %w", pg.URL, err)
			}
			p.headers = string(b)
		}
		p.redirects = "[]"
		if len(pg.Redirects) > 0 {
			b, err := json.Marshal(pg.Redirects)
			if err != nil {
				return fmt.Errorf("page %s redirects: %w", pg.URL, err)
			}
			p.redirects = string(b)
		}
	}
	if a := c.Article; a != nil && a.IsArticle {
		b, err := json.Marshal(a)
		if err != nil {
			return fmt.Errorf("article %s: %w", a.URL, err)
		}
		// Each body stored once: body_text in its column, body_html
		// compressed; a record that cannot be split exactly stays whole.
		if stripped, ok := splitRecord(b, a.BodyText, a.BodyHTML); ok {
			p.record = string(stripped)
			p.bodyHTML = s.enc.EncodeAll([]byte(a.BodyHTML), make([]byte, 0, len(a.BodyHTML)/3))
		} else {
			p.record, p.bodyHTML = string(b), nil
		}
		p.contentHash = ContentHash(a, h)
		names := make([]string, 0, len(a.Authors))
		for _, au := range a.Authors {
			if au.Name != "" {
				names = append(names, au.Name)
			}
		}
		p.authors = strings.Join(names, ", ")
	}
	return nil
}

// prepareLinks groups the links of c to enqueue for run runID. Links already
// in the run's frontier would be left alone by the enqueue statement: they
// are skipped before the write transaction.
func (s *Store) prepareLinks(runID int64, c *Capture, p *prepared) {
	links := s.known.filter(runID, c.Links)
	p.links = groupEntries(links)
	p.linkURLs = entryURLs(links)
}

// ContentHash returns the hex SHA-256 of an article's normalised content: the
// fields a reader sees (site name, language, title, authors with bios, byline, editors,
// dates, tags, description, image, body text, related links, copyright) and
// not the URL it was fetched from, the fetch time or the extractor's
// bookkeeping (sources, rule, version, word count, body markup). Two fetches
// with equal hashes are the same version. h may be nil.
func ContentHash(a *extract.Article, h hash.Hash) string {
	if h == nil {
		h = sha256.New()
	}
	h.Reset()
	var n [binary.MaxVarintLen64]byte
	field := func(s string) {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	count := func(k int) { h.Write(n[:binary.PutUvarint(n[:], uint64(k))]) }
	field("v1")
	field(a.SiteName)
	field(a.Language)
	field(a.Title)
	count(len(a.Authors))
	for _, x := range a.Authors {
		field(x.Name)
		field(x.Bio)
		field(x.URL)
	}
	if a.Byline != "" {
		// Added with extractor 0.2.0; records without one keep the hash
		// they had before.
		field("byline")
		field(a.Byline)
	}
	count(len(a.Editors))
	for _, x := range a.Editors {
		field(x.Name)
		field(x.Handle)
		field(x.URL)
	}
	field(a.PublishedAt)
	field(a.ModifiedAt)
	count(len(a.Tags))
	for _, t := range a.Tags {
		field(t)
	}
	field(a.Description)
	if a.Image != nil {
		count(1)
		field(a.Image.URL)
		field(a.Image.Caption)
	} else {
		count(0)
	}
	field(a.BodyText)
	count(len(a.Related))
	for _, l := range a.Related {
		field(l.Title)
		field(l.URL)
	}
	field(a.Copyright)
	return hex.EncodeToString(h.Sum(nil))
}

// batchWriter writes captures inside one transaction.
type batchWriter struct {
	ctx   context.Context
	tx    *sql.Tx
	runID int64
	now   string
	st    stmts // bound to tx
	ids   map[string]int64
}

func (w *batchWriter) bind(st *stmts) {
	b := func(s *sql.Stmt) *sql.Stmt { return w.tx.StmtContext(w.ctx, s) }
	w.st = stmts{
		insPage: b(st.insPage), upArticle: b(st.upArticle), touchAlias: b(st.touchAlias), upAlias: b(st.upAlias),
		insVersion: b(st.insVersion), setLatest: b(st.setLatest), upAuthor: b(st.upAuthor),
		insVersionAuthor: b(st.insVersionAuthor), upEditor: b(st.upEditor), insVersionEditor: b(st.insVersionEditor),
		upTag: b(st.upTag), insVersionTag: b(st.insVersionTag), insLink: b(st.insLink), enqueue: b(st.enqueue),
		setEntry: b(st.setEntry), markTarget: b(st.markTarget), findVersion: b(st.findVersion),
		countTemplate: b(st.countTemplate),
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (w *batchWriter) write(c *Capture, p *prepared, r *CommitResult) error {
	ctx, st := w.ctx, &w.st
	var pageID sql.NullInt64
	if pg := c.Page; pg != nil {
		finalURL := pg.FinalURL
		if finalURL == "" {
			finalURL = pg.URL
		}
		fetched := pg.FetchedAt
		if fetched.IsZero() {
			fetched = time.Now()
		}
		var body any
		if p.body != nil {
			body = p.body
		}
		var warcFile, warcOffset any // NULL when the capture lies in no WARC file
		if pg.WARCFile != "" {
			warcFile, warcOffset = pg.WARCFile, pg.WARCOffset
		}
		res, err := st.insPage.ExecContext(ctx, w.runID, pg.URL, finalURL, p.redirects, pg.Status, p.headers,
			fmtTime(fetched), pg.Duration.Milliseconds(), pg.ContentType, p.sha, p.size, body,
			boolInt(pg.Truncated), boolInt(pg.NotModified), c.ExtractError, warcFile, warcOffset)
		if err != nil {
			return fmt.Errorf("page: %w", err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("page: %w", err)
		}
		pageID = sql.NullInt64{Int64: id, Valid: true}
		r.PageID = id
		if finalURL != c.Entry.URL && finalURL != "" {
			if _, err := st.markTarget.ExecContext(ctx, finalURL, w.runID, c.Entry.URL, c.Entry.Depth, w.now, id); err != nil {
				return fmt.Errorf("redirect target: %w", err)
			}
		}
		switch a := c.Article; {
		case a != nil && a.IsArticle:
			if err := w.article(c, p, pageID.Int64, r); err != nil {
				return err
			}
		case pg.NotModified:
			// Unchanged and not re-extracted: the article reached by this URL
			// was seen now.
			var latest sql.NullInt64
			err := st.touchAlias.QueryRowContext(ctx, fmtTime(fetched), finalURL).Scan(&r.ArticleID, &latest)
			if err == sql.ErrNoRows && finalURL != c.Entry.URL {
				err = st.touchAlias.QueryRowContext(ctx, fmtTime(fetched), c.Entry.URL).Scan(&r.ArticleID, &latest)
			}
			if err != nil && err != sql.ErrNoRows {
				return fmt.Errorf("touch article: %w", err)
			}
			r.VersionID = latest.Int64
		}
	}
	n, err := enqueueGroups(ctx, st.enqueue, w.runID, w.now, p.links)
	if err != nil {
		return fmt.Errorf("enqueue links: %w", err)
	}
	r.LinksAdded = n
	e := &c.Entry
	kind := kindOrDefault(string(e.Kind))
	if _, err := st.setEntry.ExecContext(ctx, e.URL, w.runID, c.State, c.Reason, c.Detail, e.Depth, kind,
		kindPriority(kind), e.Via, e.Attempts, unixMilli(e.NotBefore), w.now, pageID); err != nil {
		return fmt.Errorf("frontier state: %w", err)
	}
	if c.Template != "" {
		yield := c.TemplateYield || (c.Article != nil && c.Article.IsArticle)
		if _, err := st.countTemplate.ExecContext(ctx, w.runID, c.Template, boolInt(yield)); err != nil {
			return fmt.Errorf("trap template: %w", err)
		}
	}
	return nil
}

// article stores the record of capture c, whose page is pageID.
func (w *batchWriter) article(c *Capture, p *prepared, pageID int64, r *CommitResult) error {
	ctx, st, a, pg := w.ctx, &w.st, c.Article, c.Page
	canonical := a.CanonicalURL
	if canonical == "" {
		canonical = pg.FinalURL
	}
	if canonical == "" {
		canonical = pg.URL
	}
	seen := pg.FetchedAt
	if seen.IsZero() {
		seen = time.Now()
	}
	var (
		latest                  sql.NullInt64
		latestHash, latestFetch sql.NullString
	)
	if err := st.upArticle.QueryRowContext(ctx, canonical, a.SiteName, fmtTime(seen)).Scan(&r.ArticleID, &latest, &latestHash, &latestFetch); err != nil {
		return fmt.Errorf("article: %w", err)
	}
	// older: this capture was fetched before the latest version's page (an
	// import of older WARC files). It becomes a version of its own unless
	// its content is stored already, and leaves the latest version alone.
	older := latest.Valid && latestFetch.Valid && fmtTime(seen) < latestFetch.String
	r.NewArticle = !latest.Valid
	urls := [...]string{canonical, pg.FinalURL, pg.URL, c.Entry.URL, a.URL}
	for i, u := range urls {
		if u == "" || slices.Contains(urls[:i], u) {
			continue
		}
		if _, err := st.upAlias.ExecContext(ctx, u, r.ArticleID, w.now); err != nil {
			return fmt.Errorf("alias: %w", err)
		}
	}
	if latest.Valid && !older && (pg.NotModified || latestHash.String == p.contentHash) {
		r.VersionID = latest.Int64
		return nil
	}
	if older {
		switch err := st.findVersion.QueryRowContext(ctx, r.ArticleID, p.contentHash).Scan(&r.VersionID); {
		case err == nil:
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("version: %w", err)
		}
	}
	extractor := a.ExtractorVersion
	if extractor == "" {
		extractor = extract.Version
	}
	res, err := st.insVersion.ExecContext(ctx, r.ArticleID, pageID, p.contentHash, w.now, extractor,
		p.record, a.URL, a.Title, p.authors, a.PublishedAt, a.ModifiedAt, a.Description, a.Language,
		a.WordCount, a.BodyText, p.bodyHTML)
	if err != nil {
		return fmt.Errorf("version: %w", err)
	}
	vid, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("version: %w", err)
	}
	r.VersionID, r.NewVersion = vid, true
	for i, au := range a.Authors {
		if au.Name == "" {
			continue
		}
		id, err := w.upsertID(st.upAuthor, "a\x00"+strings.ToLower(au.Name), au.Name)
		if err != nil {
			return fmt.Errorf("author: %w", err)
		}
		if _, err := st.insVersionAuthor.ExecContext(ctx, vid, id, i, au.Bio, au.URL); err != nil {
			return fmt.Errorf("version author: %w", err)
		}
	}
	for i, ed := range a.Editors {
		key := strings.ToLower(strings.TrimPrefix(ed.Handle, "@"))
		if key == "" {
			key = strings.ToLower(ed.Name)
		}
		if key == "" {
			continue
		}
		id, err := w.upsertID(st.upEditor, "e\x00"+key, key, ed.Name, ed.Handle)
		if err != nil {
			return fmt.Errorf("editor: %w", err)
		}
		if _, err := st.insVersionEditor.ExecContext(ctx, vid, id, i, ed.Name, ed.Handle, ed.URL); err != nil {
			return fmt.Errorf("version editor: %w", err)
		}
	}
	for i, t := range a.Tags {
		if t == "" {
			continue
		}
		id, err := w.upsertID(st.upTag, "t\x00"+strings.ToLower(t), t)
		if err != nil {
			return fmt.Errorf("tag: %w", err)
		}
		if _, err := st.insVersionTag.ExecContext(ctx, vid, id, i); err != nil {
			return fmt.Errorf("version tag: %w", err)
		}
	}
	for i, l := range a.Related {
		if l.URL == "" {
			continue
		}
		if _, err := st.insLink.ExecContext(ctx, vid, i, l.URL, l.Title); err != nil {
			return fmt.Errorf("related link: %w", err)
		}
	}
	if older {
		return nil
	}
	// The articles_fts_latest trigger moves the search index to this version.
	if _, err := st.setLatest.ExecContext(ctx, vid, r.ArticleID); err != nil {
		return fmt.Errorf("latest version: %w", err)
	}
	return nil
}

// upsertID runs an INSERT … RETURNING id statement once per key and batch.
func (w *batchWriter) upsertID(stmt *sql.Stmt, key string, args ...any) (int64, error) {
	if id, ok := w.ids[key]; ok {
		return id, nil
	}
	var id int64
	if err := stmt.QueryRowContext(w.ctx, args...).Scan(&id); err != nil {
		return 0, err
	}
	if w.ids == nil {
		w.ids = make(map[string]int64)
	}
	w.ids[key] = id
	return id, nil
}
