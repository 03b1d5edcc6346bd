package web

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/extract"
)

// changesPageSize is the number of changes the changes page, the feed and
// /api/changes list by default; apiMaxLimit bounds limit=.
const changesPageSize = 50

// homeChanges is the number of recent changes the home page lists.
const homeChanges = 5

// changesForm is the changes page's filters, as given.
type changesForm struct {
	Since, Until, Site, Field, Kind string
	Limit                           int
}

// changesFormOf reads the filters of /changes, /changes.atom and
// /api/changes; field and kind may repeat or be comma-separated.
func changesFormOf(r *http.Request) (changesForm, archive.ChangesFilter, error) {
	q := r.URL.Query()
	f := changesForm{Since: q.Get("since"), Until: q.Get("until"), Site: q.Get("site"),
		Field: strings.Join(q["field"], ","), Kind: strings.Join(q["kind"], ","), Limit: changesPageSize}
	filter := archive.ChangesFilter{Site: f.Site, Fields: splitList(f.Field), Kinds: splitList(f.Kind)}
	if v := q.Get("limit"); v != "" {
		l, err := strconv.Atoi(v)
		if err != nil || l < 1 {
			return f, filter, fmt.Errorf("limit %q is not a whole number from 1 to %d", excerpt(v), apiMaxLimit)
		}
		f.Limit = min(l, apiMaxLimit)
	}
	filter.Limit = f.Limit
	var err error
	if filter.Since, filter.Until, err = archive.ParseTimeRange(f.Since, f.Until, time.Now()); err != nil {
		return f, filter, err
	}
	return f, filter, filter.Validate()
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// query returns the filters as a query string.
func (f changesForm) query() string {
	v := url.Values{}
	for k, x := range map[string]string{"since": f.Since, "until": f.Until, "site": f.Site, "field": f.Field, "kind": f.Kind} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v.Encode()
}

// changeView is one change as the UI lists it.
type changeView struct {
	archive.Change
	DiffURL string // "" for an event
}

func viewChanges(cs []archive.Change) []changeView {
	out := make([]changeView, 0, len(cs))
	for _, c := range cs {
		v := changeView{Change: c}
		if c.Kind == archive.KindEdit {
			v.DiffURL = fmt.Sprintf("/articles/%d/diff?from=%d&to=%d", c.ArticleID, c.FromVersion, c.ToVersion)
		}
		out = append(out, v)
	}
	return out
}

// recentChanges lists the newest changes for the home page; an error there
// is logged and leaves the list empty rather than failing the search page.
func (s *Server) recentChanges(ctx context.Context) []changeView {
	cs, err := s.store.Changes(ctx, archive.ChangesFilter{Limit: homeChanges})
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			s.log.Error("recent changes", "err", err)
		}
		return nil
	}
	return viewChanges(cs)
}

func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request) {
	form, filter, err := changesFormOf(r)
	data := map[string]any{"Form": form, "Fields": archive.DiffFields, "Feed": "/changes.atom"}
	if q := form.query(); q != "" {
		data["Feed"] = "/changes.atom?" + q
	}
	if err != nil {
		data["Error"] = err.Error()
		s.render(w, r, http.StatusBadRequest, "changes", "Changes", data)
		return
	}
	cs, err := s.store.Changes(r.Context(), filter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data["Changes"] = viewChanges(cs)
	act, err := s.store.Activity(r.Context(), form.Site)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if data["EditsChart"], err = drawBars("Edits per day", "edits-per-day", daily(act.EditsPerDay)); err != nil {
		s.fail(w, r, err)
		return
	}
	if data["EventsChart"], err = drawBars("Unpublished and moved per day", "events-per-day", daily(act.EventsPerDay)); err != nil {
		s.fail(w, r, err)
		return
	}
	if data["PublishedChart"], err = drawBars("Articles published per day", "published-per-day", daily(act.PublishedPerDay)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "changes", "Changes", data)
}

// apiChange is a change in /api/changes: without the paragraph diff.
type apiChange struct {
	archive.Change
	DiffURL string `json:"diff_url,omitempty"`
}

// handleAPIChanges lists changes as JSON, with the changes page's filters
// (since, until, site, field, kind, limit up to 100).
func (s *Server) handleAPIChanges(w http.ResponseWriter, r *http.Request) {
	_, filter, err := changesFormOf(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	cs, err := s.store.Changes(r.Context(), filter)
	if err != nil {
		s.log.Error("request failed", "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	out := struct {
		Changes []apiChange `json:"changes"`
	}{Changes: []apiChange{}}
	for _, v := range viewChanges(cs) {
		if v.Diff != nil {
			d := *v.Diff
			d.Body = nil
			v.Diff = &d
		}
		out.Changes = append(out.Changes, apiChange{v.Change, v.DiffURL})
	}
	writeJSON(w, http.StatusOK, out)
}

// Atom 1.0 (RFC 4287) documents.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID       string         `xml:"id"`
	Title    string         `xml:"title"`
	Updated  string         `xml:"updated"`
	Links    []atomLink     `xml:"link"`
	Summary  atomText       `xml:"summary"`
	Category []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// handleChangesAtom serves the changes as an Atom feed, one entry per
// change, with the changes page's filters. Text goes through encoding/xml,
// which escapes it; ids and links are absolute URLs of this server.
func (s *Server) handleChangesAtom(w http.ResponseWriter, r *http.Request) {
	form, filter, err := changesFormOf(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	cs, err := s.store.Changes(r.Context(), filter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := scheme + "://" + r.Host
	self := base + "/changes.atom"
	page := base + "/changes"
	if q := form.query(); q != "" {
		self += "?" + q
		page += "?" + q
	}
	feed := atomFeed{ID: self, Title: "newsarchive: changes", Author: atomPerson{Name: "newsarchive"},
		Links:   []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}, {Rel: "alternate", Type: "text/html", Href: page}},
		Updated: time.Unix(0, 0).UTC().Format(time.RFC3339)}
	if len(cs) > 0 {
		feed.Updated = cs[0].At.UTC().Format(time.RFC3339)
	}
	for _, v := range viewChanges(cs) {
		e := atomEntry{Updated: v.At.UTC().Format(time.RFC3339), Category: []atomCategory{{Term: v.Kind}}}
		link := fmt.Sprintf("%s/articles/%d", base, v.ArticleID)
		if v.DiffURL != "" {
			link = base + v.DiffURL
		}
		e.ID = link
		if v.Kind != archive.KindEdit {
			e.ID = fmt.Sprintf("%s/articles/%d#%s", base, v.ArticleID, v.ID())
		}
		e.Links = []atomLink{{Rel: "alternate", Type: "text/html", Href: link}}
		e.Title, e.Summary = changeText(&v.Change)
		feed.Entries = append(feed.Entries, e)
	}
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
}

// changeText is a change's title and plain-text summary for the feed.
func changeText(c *archive.Change) (string, atomText) {
	title := c.Title
	if title == "" {
		title = c.URL
	}
	var b strings.Builder
	if d := c.Diff; d != nil {
		fmt.Fprintf(&b, "Changed: %s.", d.Summary())
		if d.OldTitle != d.NewTitle {
			fmt.Fprintf(&b, "\nHeadline: “%s” → “%s”.", d.OldTitle, d.NewTitle)
		}
		for _, l := range []struct {
			what string
			v    []string
		}{{"Authors added", d.AuthorsAdded}, {"Authors removed", d.AuthorsRemoved}, {"Editors added", d.EditorsAdded}, {"Editors removed", d.EditorsRemoved}} {
			if len(l.v) > 0 {
				fmt.Fprintf(&b, "\n%s: %s.", l.what, strings.Join(l.v, ", "))
			}
		}
		title = "Edited: " + title
	} else {
		fmt.Fprintf(&b, "%s", strings.ToUpper(c.Kind[:1])+c.Kind[1:])
		if c.Status != 0 {
			fmt.Fprintf(&b, " (HTTP %d)", c.Status)
		}
		if c.Detail != "" {
			fmt.Fprintf(&b, ": %s", c.Detail)
		}
		b.WriteString(".")
		title = strings.ToUpper(c.Kind[:1]) + c.Kind[1:] + ": " + title
	}
	fmt.Fprintf(&b, "\n%s", c.URL)
	return title, atomText{Type: "text", Body: b.String()}
}

// diffRow is one row of the side-by-side diff: the old and new value, each
// absent when the row exists on one side only.
type diffRow struct {
	Old, New       string
	HasOld, HasNew bool
	Same           bool
}

// diffView is the diff page's data.
type diffView struct {
	Article    *archive.ArticleRecord
	From, To   *archive.VersionRecord
	Diff       archive.Diff
	Fields     []archive.FieldChange
	Body       []diffRow
	Prev, Next string // links to the neighbouring diffs, "" at an end
}

// handleDiff shows two versions of an article side by side: ?from= and ?to=
// (version ids); to defaults to the latest version and from to the one
// before to.
func (s *Server) handleDiff(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r, "article "+r.PathValue("id"))
		return
	}
	rec, tl, err := s.store.Timeline(r.Context(), id)
	if errors.Is(err, archive.ErrNotFound) {
		s.notFound(w, r, "article "+r.PathValue("id"))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pos := func(param string, def int) (int, bool) {
		v := r.URL.Query().Get(param)
		if v == "" {
			return def, true
		}
		vid, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, false
		}
		for i, e := range tl {
			if e.ID == vid {
				return i, true
			}
		}
		return 0, false
	}
	to, ok := pos("to", len(tl)-1)
	if !ok {
		s.notFound(w, r, "version "+r.URL.Query().Get("to")+" of article "+r.PathValue("id"))
		return
	}
	from, ok := pos("from", max(to-1, 0))
	if !ok {
		s.notFound(w, r, "version "+r.URL.Query().Get("from")+" of article "+r.PathValue("id"))
		return
	}
	v := diffView{Article: rec}
	for i, p := range []**archive.VersionRecord{&v.From, &v.To} {
		vid := tl[[]int{from, to}[i]].ID
		if *p, err = s.store.Version(r.Context(), vid); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	v.Diff = archive.DiffRecords(&v.From.Record, &v.To.Record)
	v.Fields = v.Diff.Changes
	v.Body = sideBySide(extract.Paragraphs(v.From.Record.BodyText), v.Diff.Body)
	if from == to-1 && from > 0 {
		v.Prev = fmt.Sprintf("/articles/%d/diff?from=%d&to=%d", id, tl[from-1].ID, tl[from].ID)
	}
	if from == to-1 && to < len(tl)-1 {
		v.Next = fmt.Sprintf("/articles/%d/diff?from=%d&to=%d", id, tl[to].ID, tl[to+1].ID)
	}
	s.render(w, r, http.StatusOK, "diff", "Changes to "+rec.Record.Title, &v)
}

// sideBySide turns a paragraph diff into rows, pairing each run of removed
// paragraphs with the run of added ones that follows it. An unchanged body
// (no diff) is shown whole on both sides.
func sideBySide(paras, lines []string) []diffRow {
	if lines == nil {
		rows := make([]diffRow, 0, len(paras))
		for _, p := range paras {
			rows = append(rows, diffRow{Old: p, New: p, HasOld: true, HasNew: true, Same: true})
		}
		return rows
	}
	var rows []diffRow
	for i := 0; i < len(lines); {
		if strings.HasPrefix(lines[i], "  ") {
			p := lines[i][2:]
			rows = append(rows, diffRow{Old: p, New: p, HasOld: true, HasNew: true, Same: true})
			i++
			continue
		}
		var del, ins []string
		for ; i < len(lines) && strings.HasPrefix(lines[i], "- "); i++ {
			del = append(del, lines[i][2:])
		}
		for ; i < len(lines) && strings.HasPrefix(lines[i], "+ "); i++ {
			ins = append(ins, lines[i][2:])
		}
		for j := 0; j < max(len(del), len(ins)); j++ {
			var row diffRow
			if j < len(del) {
				row.Old, row.HasOld = del[j], true
			}
			if j < len(ins) {
				row.New, row.HasNew = ins[j], true
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// statsCharts are the statistics page's charts.
type statsCharts struct {
	PublishedPerMonth, PublishedPerDay, EditsPerDay template.HTML
}

// activityCharts draws the statistics page's charts.
func (s *Server) activityCharts(ctx context.Context) (statsCharts, error) {
	var c statsCharts
	act, err := s.store.Activity(ctx, "")
	if err != nil {
		return c, err
	}
	if c.PublishedPerMonth, err = drawBars("Articles published per month", "published-per-month", monthly(act.PublishedPerMonth)); err != nil {
		return c, err
	}
	if c.PublishedPerDay, err = drawBars("Articles published per day", "published-per-day", daily(act.PublishedPerDay)); err != nil {
		return c, err
	}
	if c.EditsPerDay, err = drawBars("Edits per day", "edits-per-day", daily(act.EditsPerDay)); err != nil {
		return c, err
	}
	return c, nil
}

// articleTimeline draws the article page's timeline of versions and lists
// them with what changed, and the article's events (unpublished, moved…),
// newest first.
func (s *Server) articleTimeline(ctx context.Context, id int64) (template.HTML, []archive.TimelineEntry, []archive.Change, error) {
	_, tl, err := s.store.Timeline(ctx, id)
	if err != nil {
		return "", nil, nil, err
	}
	evs, err := s.store.Changes(ctx, archive.ChangesFilter{ArticleID: id, Limit: 100,
		Kinds: []string{archive.EventUnpublished, archive.EventMoved, archive.EventRestored}})
	if err != nil {
		return "", nil, nil, err
	}
	svg, err := drawTimeline(id, tl)
	return svg, tl, evs, err
}
