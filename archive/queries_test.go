package archive

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/extract"
)

// researcherQueries are the example queries of the README, run here against
// a small archive so they stay correct as the schema evolves.
var researcherQueries = []struct {
	name, sql string
	want      []string // rows, columns joined by " | "
}{
	{
		name: "articles by author",
		sql: `SELECT v.published_at, v.title, a.canonical_url
FROM authors au
JOIN version_authors va ON va.author_id = au.id
JOIN articles a ON a.latest_version_id = va.version_id
JOIN versions v ON v.id = a.latest_version_id
WHERE au.name = 'Eva Fox'
ORDER BY v.published_at`,
		want: []string{
			"2021-02-01T08:00:00-05:00 | Elon Musk joins Clubhouse | https://www.tesmanian.com/blogs/n/clubhouse",
			"2021-03-15T10:00:00Z | Giga Texas progress | https://www.tesmanian.com/blogs/n/giga-texas",
		},
	},
	{
		name: "editor credits per editor",
		sql: `SELECT coalesce(nullif(e.name, ''), e.handle) AS editor, e.handle, count(DISTINCT a.id) AS articles
FROM editors e
JOIN version_editors ve ON ve.editor_id = e.id
JOIN articles a ON a.latest_version_id = ve.version_id
GROUP BY e.id
ORDER BY articles DESC, editor`,
		want: []string{"Jane Doe | @janed | 2", "@bob | @bob | 1"},
	},
	{
		name: "related-link graph",
		sql: `SELECT a.canonical_url AS from_url, l.to_url, l.title, coalesce(al.article_id, '') AS to_article
FROM articles a
JOIN links l ON l.version_id = a.latest_version_id
LEFT JOIN aliases al ON al.url = l.to_url
ORDER BY a.id, l.position`,
		want: []string{
			"https://www.tesmanian.com/blogs/n/clubhouse | https://www.tesmanian.com/blogs/n/giga-texas | Giga Texas progress | 2",
			"https://www.tesmanian.com/blogs/n/clubhouse | https://elsewhere.example/x | Not archived | ",
		},
	},
	{
		name: "full-text search",
		sql: `SELECT a.id, v.title, snippet(articles_fts, 1, '[', ']', '…', 6) AS snippet
FROM articles_fts
JOIN versions v ON v.id = articles_fts.rowid
JOIN articles a ON a.id = v.article_id
WHERE articles_fts MATCH 'mars'
ORDER BY bm25(articles_fts, 10.0, 1.0, 5.0)
LIMIT 10`,
		want: []string{"1 | Elon Musk joins Clubhouse | …Sunday night and talked about [Mars]."},
	},
	{
		name: "articles per month",
		sql: `SELECT substr(v.published_at, 1, 7) AS month, count(*) AS articles
FROM articles a JOIN versions v ON v.id = a.latest_version_id
GROUP BY month ORDER BY month`,
		want: []string{"2021-02 | 2", "2021-03 | 2"},
	},
	{
		name: "failures by reason",
		sql: `SELECT state, reason, count(*) FROM frontier
WHERE state IN ('failed', 'skipped') GROUP BY state, reason ORDER BY 3 DESC`,
		want: []string{"skipped | robots | 1"},
	},
	{
		name: "versions of an article",
		sql: `SELECT v.id, v.page_id, length(v.content_sha256), p.status
FROM versions v JOIN pages p ON p.id = v.page_id
WHERE v.article_id = (SELECT article_id FROM aliases WHERE url = 'https://www.tesmanian.com/blogs/n/muller')
ORDER BY v.id`,
		want: []string{"3 | 3 | 64 | 200"},
	},
}

func TestResearcherQueries(t *testing.T) {
	s, ids := searchCorpus(t)
	if ids["clubhouse"] != 1 || ids["gigatexas"] != 2 {
		t.Fatalf("corpus ids changed: %v", ids)
	}
	run := startRun(t, s)
	// Give the first article related links: one archived, one not.
	a := newArticle("https://www.tesmanian.com/blogs/n/clubhouse", "Elon Musk joins Clubhouse",
		withBody("Elon Musk appeared on the Clubhouse audio app on Sunday night and talked about Mars."),
		withAuthors("Eva Fox"), withEditors(extract.Editor{Name: "Jane Doe", Handle: "@janed"}),
		withTags("Elon Musk", "Clubhouse"), withPublished("2021-02-01T08:00:00-05:00"),
		withRelated(extract.Link{Title: "Giga Texas progress", URL: "https://www.tesmanian.com/blogs/n/giga-texas"},
			extract.Link{Title: "Not archived", URL: "https://elsewhere.example/x"}))
	commit(t, s, run, captureOf(a.URL, a))
	skipped := Capture{Entry: QueueEntry{URL: "https://www.tesmanian.com/admin"}, State: StateSkipped, Reason: "robots"}
	commit(t, s, run, skipped)

	for _, q := range researcherQueries {
		t.Run(q.name, func(t *testing.T) {
			rows, err := s.r.QueryContext(t.Context(), q.sql)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			var got []string
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				parts := make([]string, len(vals))
				for i, v := range vals {
					parts[i] = fmt.Sprint(v)
				}
				got = append(got, strings.Join(parts, " | "))
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, q.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(q.want, "\n  "))
			}
		})
	}
}
