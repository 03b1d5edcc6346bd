package archive

import (
	"fmt"
	"slices"
	"strings"

	"github.com/newsarchive/newsarchive/extract"
)

// DiffFields are the record fields a Diff compares, in the order it reports
// them. "body" is the body text; the others are the record's JSON names.
var DiffFields = []string{"title", "description", "body", "authors", "byline", "editors", "published_at",
	"modified_at", "tags", "image", "related", "copyright", "site_name", "language", "canonical_url"}

// fieldGroups are names a researcher may filter on that stand for several fields.
var fieldGroups = map[string][]string{
	"dates":    {"published_at", "modified_at"},
	"credits":  {"authors", "byline", "editors"},
	"headline": {"title"},
	"url":      {"canonical_url"},
	"site":     {"site_name"},
}

// ExpandField returns the DiffFields a filter name stands for: itself, or
// the members of a group ("dates", "credits"). ok is false for an unknown name.
func ExpandField(name string) (fields []string, ok bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	if g, ok := fieldGroups[name]; ok {
		return g, true
	}
	if slices.Contains(DiffFields, name) {
		return []string{name}, true
	}
	return nil, false
}

// FieldChange is one changed field of a Diff, each side as readable text
// (lists joined by "; ").
type FieldChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// Diff is what changed from one version of a record to another.
type Diff struct {
	// Fields names the changed fields, in DiffFields order.
	Fields []string `json:"fields"`
	// Changes holds the old and new value of every changed field but the
	// body, in the same order.
	Changes []FieldChange `json:"changes"`
	// OldTitle and NewTitle are the headlines of both versions (equal when
	// the title did not change).
	OldTitle string `json:"old_title"`
	NewTitle string `json:"new_title"`
	// WordsAdded and WordsRemoved size a body change in words: the words of
	// the new body not matched by an equal word of the old one, and the
	// reverse (a bag-of-words count, so a moved paragraph counts zero).
	WordsAdded   int `json:"words_added"`
	WordsRemoved int `json:"words_removed"`
	// Body is a paragraph diff of the body text, "  " same, "- " removed,
	// "+ " added; nil when the body is unchanged.
	Body []string `json:"body,omitempty"`
	// Credits added and removed: author names, editor labels (name and
	// @handle).
	AuthorsAdded   []string `json:"authors_added,omitempty"`
	AuthorsRemoved []string `json:"authors_removed,omitempty"`
	EditorsAdded   []string `json:"editors_added,omitempty"`
	EditorsRemoved []string `json:"editors_removed,omitempty"`
	// ExtractorChanged is set when the two versions were extracted by
	// different extractor versions: a change may then come from the
	// extractor rather than the page.
	ExtractorChanged bool `json:"extractor_changed,omitempty"`
}

// Changed reports whether field (a DiffFields name) changed.
func (d *Diff) Changed(field string) bool { return slices.Contains(d.Fields, field) }

// Summary is a one-line description of the diff for people: the changed
// fields, with the size of a body change.
func (d *Diff) Summary() string {
	if len(d.Fields) == 0 {
		return "no field changed"
	}
	parts := make([]string, 0, len(d.Fields))
	for _, f := range d.Fields {
		if f == "body" {
			f = fmt.Sprintf("body (+%d/−%d words)", d.WordsAdded, d.WordsRemoved)
		}
		parts = append(parts, f)
	}
	return strings.Join(parts, ", ")
}

// DiffRecords compares two records field by field: a is the older version.
// It is a pure function of its arguments.
func DiffRecords(a, b *extract.Article) Diff {
	d := Diff{OldTitle: a.Title, NewTitle: b.Title, ExtractorChanged: a.ExtractorVersion != b.ExtractorVersion}
	values := func(r *extract.Article, field string) string {
		switch field {
		case "title":
			return r.Title
		case "description":
			return r.Description
		case "body":
			return r.BodyText
		case "authors":
			s := make([]string, 0, len(r.Authors))
			for _, x := range r.Authors {
				s = append(s, x.Name+optionalPart(" (", x.Bio, ")"))
			}
			return strings.Join(s, "; ")
		case "byline":
			return r.Byline
		case "editors":
			return strings.Join(editorLabels(r.Editors), "; ")
		case "published_at":
			return r.PublishedAt
		case "modified_at":
			return r.ModifiedAt
		case "tags":
			return strings.Join(r.Tags, "; ")
		case "image":
			if r.Image == nil {
				return ""
			}
			return r.Image.URL + optionalPart(" (", r.Image.Caption, ")")
		case "related":
			s := make([]string, 0, len(r.Related))
			for _, x := range r.Related {
				s = append(s, x.Title+" <"+x.URL+">")
			}
			return strings.Join(s, "; ")
		case "copyright":
			return r.Copyright
		case "site_name":
			return r.SiteName
		case "language":
			return r.Language
		case "canonical_url":
			return r.CanonicalURL
		}
		return ""
	}
	for _, f := range DiffFields {
		x, y := values(a, f), values(b, f)
		if x == y {
			continue
		}
		d.Fields = append(d.Fields, f)
		if f == "body" {
			d.Body = diffParagraphs(extract.Paragraphs(a.BodyText), extract.Paragraphs(b.BodyText))
			d.WordsAdded, d.WordsRemoved = wordDelta(a.BodyText, b.BodyText)
			continue
		}
		d.Changes = append(d.Changes, FieldChange{Field: f, From: x, To: y})
	}
	names := func(as []extract.Author) []string {
		s := make([]string, 0, len(as))
		for _, x := range as {
			s = append(s, x.Name)
		}
		return s
	}
	d.AuthorsAdded, d.AuthorsRemoved = setDelta(names(a.Authors), names(b.Authors))
	d.EditorsAdded, d.EditorsRemoved = setDelta(editorLabels(a.Editors), editorLabels(b.Editors))
	return d
}

func optionalPart(pre, s, post string) string {
	if s == "" {
		return ""
	}
	return pre + s + post
}

// editorLabels names editors as people read them: "Name @handle".
func editorLabels(es []extract.Editor) []string {
	s := make([]string, 0, len(es))
	for _, e := range es {
		l := e.Name
		if e.Handle != "" {
			l = strings.TrimSpace(l + " @" + strings.TrimPrefix(e.Handle, "@"))
		}
		s = append(s, l)
	}
	return s
}

// setDelta returns the names of b not in a and of a not in b, compared
// without regard to case, in their own order.
func setDelta(a, b []string) (added, removed []string) {
	in := func(list []string, v string) bool {
		return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, v) })
	}
	for _, v := range b {
		if !in(a, v) {
			added = append(added, v)
		}
	}
	for _, v := range a {
		if !in(b, v) {
			removed = append(removed, v)
		}
	}
	return added, removed
}

// wordDelta counts the words (whitespace-separated) of b without an equal
// word left in a, and the reverse.
func wordDelta(a, b string) (added, removed int) {
	count := map[string]int{}
	for _, w := range strings.Fields(a) {
		count[w]++
	}
	for _, w := range strings.Fields(b) {
		count[w]--
	}
	for _, n := range count {
		if n > 0 {
			removed += n
		} else {
			added -= n
		}
	}
	return added, removed
}

// maxLCSCells bounds the table of a paragraph diff; beyond it the changed
// middle is shown as all removed, then all added.
const maxLCSCells = 1 << 20

// diffParagraphs is a longest-common-subsequence diff of two paragraph
// lists: "  " same, "- " removed, "+ " added.
func diffParagraphs(a, b []string) []string {
	var head, tail []string
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		head = append(head, "  "+a[0])
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		tail = append([]string{"  " + a[len(a)-1]}, tail...)
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	out := head
	n, m := len(a), len(b)
	if (n+1)*(m+1) > maxLCSCells {
		for _, p := range a {
			out = append(out, "- "+p)
		}
		for _, p := range b {
			out = append(out, "+ "+p)
		}
		return append(out, tail...)
	}
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, "  "+a[i])
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, "- "+a[i])
			i++
		default:
			out = append(out, "+ "+b[j])
			j++
		}
	}
	return append(out, tail...)
}
