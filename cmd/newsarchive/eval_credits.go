package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/newsarchive/newsarchive/extract"
)

// Credits scores, with the definitions of score_credits.py: related links as
// normalised-URL sets (links in related_optional count neither way), editors
// as name sets, bios by token F1 per labelled author plus the pages without a
// labelled bio that got one, author names by token F1 of the joined names.

// creditLabel is one page's labels (benchmarks/credits/labels.json).
type creditLabel struct {
	URL     string `json:"url"`
	Authors []struct {
		Name string `json:"name"`
		Bio  string `json:"bio"`
	} `json:"authors"`
	Editors         []string `json:"editors"`
	Related         []string `json:"related"`
	RelatedOptional []string `json:"related_optional"`
}

// creditPage is one page's counts and scores.
type creditPage struct {
	ID       string    `json:"id"`
	URL      string    `json:"url"`
	RelTP    int       `json:"related_tp"`
	RelFP    int       `json:"related_fp"`
	RelFN    int       `json:"related_fn"`
	EdTP     int       `json:"editors_tp"`
	EdFP     int       `json:"editors_fp"`
	EdFN     int       `json:"editors_fn"`
	AuthorF1 float64   `json:"author_f1"`
	Bios     []float64 `json:"bio_f1,omitempty"`
	FalseBio bool      `json:"false_bio,omitempty"`
	NoBio    bool      `json:"-"`
	// unnamed marks a page of an authors-only set whose ground truth names
	// nobody: score_metadata.py leaves it out of the mean.
	unnamed bool
	Error   string `json:"error,omitempty"`
	// Missed and Extra list the related URLs (normalised) the page lost and
	// invented, for the worst-pages listing.
	Missed []string `json:"related_missed,omitempty"`
	Extra  []string `json:"related_extra,omitempty"`
}

// creditScore is the aggregate over a set of pages.
type creditScore struct {
	Kind            string   `json:"kind"`
	Fold            string   `json:"fold"`
	Pages           int      `json:"pages"`
	RelatedP        float64  `json:"related_precision"`
	RelatedR        float64  `json:"related_recall"`
	RelatedF1       float64  `json:"related_f1"`
	RelatedLabelled int      `json:"related_links_labelled"`
	EditorsP        float64  `json:"editors_precision"`
	EditorsR        float64  `json:"editors_recall"`
	EditorsF1       float64  `json:"editors_f1"`
	EditorsLabelled int      `json:"editors_labelled"`
	EditorsFalse    int      `json:"editors_false"`
	BioF1           *float64 `json:"bio_f1"`
	BiosLabelled    int      `json:"bios_labelled"`
	FalseBioPages   int      `json:"false_bio_pages"`
	PagesWithoutBio int      `json:"pages_without_bio"`
	AuthorF1        float64  `json:"author_f1"`
	// AuthorPages is the number of pages AuthorF1 averages over: every page,
	// or on an authors-only set those whose ground truth names someone.
	AuthorPages int `json:"author_pages"`
	authorsOnly bool
}

type creditResult struct {
	pages       []creditPage
	folds       []creditScore // all pages, then the even and odd halves
	authorsOnly bool
}

// loadCreditLabels reads DIR/labels.json (pages in DIR/html or, for the
// credits benchmark, ../articles/html beside it); or else DIR/ground-truth.json
// with an "authors" list per page (the fundus benchmark), which scores author
// names only.
func loadCreditLabels(dir string) (labels map[string]creditLabel, htmlDir string, authorsOnly bool, err error) {
	htmlDir = filepath.Join(dir, "html")
	if _, err := os.Stat(htmlDir); err != nil {
		htmlDir = filepath.Join(dir, "..", "articles", "html")
	}
	raw, err := os.ReadFile(filepath.Join(dir, "labels.json"))
	if err == nil {
		if err := json.Unmarshal(raw, &labels); err != nil {
			return nil, "", false, fmt.Errorf("read credits labels: %w", err)
		}
		return labels, htmlDir, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, "", false, fmt.Errorf("read credits labels: %w", err)
	}
	raw, err = os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, "", false, fmt.Errorf("read credits labels: no labels.json or ground-truth.json in %s", dir)
	}
	var truth map[string]struct {
		URL     string `json:"url"`
		Authors any    `json:"authors"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		return nil, "", false, fmt.Errorf("read ground truth: %w", err)
	}
	labels = make(map[string]creditLabel, len(truth))
	for id, t := range truth {
		l := creditLabel{URL: t.URL}
		for _, n := range authorList(t.Authors) {
			l.Authors = append(l.Authors, struct {
				Name string `json:"name"`
				Bio  string `json:"bio"`
			}{Name: n})
		}
		labels[id] = l
	}
	return labels, htmlDir, true, nil
}

var rePyString = regexp.MustCompile(`'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"`)

// authorList reads an authors value: a JSON list of names, or the string form
// of a Python list ("['A', 'B']") that the fundus ground truth holds.
func authorList(v any) []string {
	switch t := v.(type) {
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case string:
		var out []string
		for _, m := range rePyString.FindAllStringSubmatch(t, -1) {
			out = append(out, m[1]+m[2])
		}
		return out
	}
	return nil
}

// evalCredits extracts every labelled page and scores its credits.
func evalCredits(ctx context.Context, ex *extract.Extractor, dir string) (*creditResult, error) {
	labels, htmlDir, authorsOnly, err := loadCreditLabels(dir)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(labels))
	for id := range labels {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	header := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	res := &creditResult{authorsOnly: authorsOnly}
	for _, id := range ids {
		if ctx.Err() != nil {
			return nil, errInterrupted
		}
		lab := labels[id]
		body, err := readGzipFile(filepath.Join(htmlDir, id+".html.gz"))
		if err != nil {
			return nil, fmt.Errorf("read page %s: %w", id, err)
		}
		a, err := ex.Extract(lab.URL, header, body)
		if err != nil {
			a = &extract.Article{}
		}
		p := scoreCredits(lab, a)
		if authorsOnly {
			// The fundus names are scored the way eval --all and
			// score_metadata.py score them, not as score_credits.py does.
			var gold, pred []string
			for _, x := range lab.Authors {
				gold = append(gold, x.Name)
			}
			for _, x := range a.Authors {
				pred = append(pred, x.Name)
			}
			p.AuthorF1, p.unnamed = authorNamesF1(pred, gold), len(gold) == 0
		}
		p.ID = id
		if err != nil {
			p.Error = err.Error()
		}
		res.pages = append(res.pages, p)
	}
	var even, odd []creditPage
	for i, p := range res.pages {
		if i%2 == 0 {
			even = append(even, p)
		} else {
			odd = append(odd, p)
		}
	}
	res.folds = []creditScore{aggregateCredits("all", res.pages), aggregateCredits("even", even), aggregateCredits("odd", odd)}
	for i := range res.folds {
		res.folds[i].authorsOnly = authorsOnly
	}
	return res, nil
}

// creditNorm is score_credits.py's norm: NFC, lower case, white space
// collapsed.
func creditNorm(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(norm.NFC.String(s))), " ")
}

func creditTokenF1(a, b string) float64 { return tokenF1(creditNorm(a), creditNorm(b)) }

// relatedKey is score_credits.py's nurl: the URL split as Python's urlsplit
// does (no decoding of the path), host lower-cased without "www.", path
// without a trailing "/", query pairs without utm_* keys or empty values,
// sorted; scheme and fragment ignored.
func relatedKey(raw string) string {
	s := strings.TrimSpace(raw)
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	query := ""
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s, query = s[:i], s[i+1:]
	}
	if i := strings.IndexByte(s, ':'); i > 0 && reScheme.MatchString(s[:i]) {
		s = s[i+1:]
	}
	host := ""
	if strings.HasPrefix(s, "//") {
		s = s[2:]
		i := strings.IndexByte(s, '/')
		if i < 0 {
			i = len(s)
		}
		host, s = s[:i], s[i:]
	}
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	path := strings.TrimRight(s, "/")
	if path == "" {
		path = "/"
	}
	type kv struct{ k, v string }
	var pairs []kv
	for _, part := range strings.Split(query, "&") {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		if v == "" || strings.HasPrefix(strings.ToLower(k), "utm_") {
			continue
		}
		pairs = append(pairs, kv{k, v})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var q strings.Builder
	for i, p := range pairs {
		if i > 0 {
			q.WriteByte('&')
		}
		q.WriteString(url.QueryEscape(p.k) + "=" + url.QueryEscape(p.v))
	}
	return host + "\x00" + path + "\x00" + q.String()
}

var reScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`)

func displayKey(k string) string {
	parts := strings.SplitN(k, "\x00", 3)
	s := parts[0] + parts[1]
	if len(parts) == 3 && parts[2] != "" {
		s += "?" + parts[2]
	}
	return s
}

// scoreCredits scores one record against its labels.
func scoreCredits(lab creditLabel, a *extract.Article) creditPage {
	p := creditPage{URL: lab.URL}
	gold := map[string]bool{}
	var goldOrder []string
	for _, u := range lab.Related {
		k := relatedKey(u)
		if !gold[k] {
			goldOrder = append(goldOrder, k)
		}
		gold[k] = true
	}
	opt := map[string]bool{}
	for _, u := range lab.RelatedOptional {
		if k := relatedKey(u); !gold[k] {
			opt[k] = true
		}
	}
	pred := map[string]bool{}
	for _, l := range a.Related {
		if l.URL == "" {
			continue
		}
		k := relatedKey(l.URL)
		if opt[k] || pred[k] {
			continue
		}
		pred[k] = true
		if gold[k] {
			p.RelTP++
		} else {
			p.RelFP++
			p.Extra = append(p.Extra, displayKey(k))
		}
	}
	for _, k := range goldOrder {
		if !pred[k] {
			p.RelFN++
			p.Missed = append(p.Missed, displayKey(k))
		}
	}
	ge := map[string]bool{}
	for _, e := range lab.Editors {
		ge[creditNorm(e)] = true
	}
	pe := map[string]bool{}
	for _, e := range a.Editors {
		n := e.Name
		if n == "" {
			n = e.Handle
		}
		pe[creditNorm(n)] = true
	}
	for k := range pe {
		if ge[k] {
			p.EdTP++
		} else {
			p.EdFP++
		}
	}
	for k := range ge {
		if !pe[k] {
			p.EdFN++
		}
	}
	var gn, pn []string
	for _, x := range lab.Authors {
		gn = append(gn, x.Name)
	}
	for _, x := range a.Authors {
		pn = append(pn, x.Name)
	}
	p.AuthorF1 = creditTokenF1(strings.Join(gn, " "), strings.Join(pn, " "))
	labelled := false
	for _, x := range lab.Authors {
		if x.Bio == "" {
			continue
		}
		labelled = true
		// The predicted author whose name matches best, the first on ties.
		best, bestF := -1, -1.0
		for i, y := range a.Authors {
			if f := creditTokenF1(y.Name, x.Name); f > bestF {
				best, bestF = i, f
			}
		}
		f := 0.0
		if best >= 0 && bestF > 0 {
			f = creditTokenF1(a.Authors[best].Bio, x.Bio)
		}
		p.Bios = append(p.Bios, f)
	}
	if !labelled {
		p.NoBio = true
		for _, y := range a.Authors {
			if y.Bio != "" {
				p.FalseBio = true
			}
		}
	}
	return p
}

func prf(tp, fp, fn int) (p, r, f float64) {
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		r = float64(tp) / float64(tp+fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

func aggregateCredits(fold string, pages []creditPage) creditScore {
	s := creditScore{Kind: "credits", Fold: fold, Pages: len(pages)}
	var rtp, rfp, rfn, etp, efp, efn int
	var bios, auth float64
	named := 0
	for _, p := range pages {
		rtp, rfp, rfn = rtp+p.RelTP, rfp+p.RelFP, rfn+p.RelFN
		etp, efp, efn = etp+p.EdTP, efp+p.EdFP, efn+p.EdFN
		for _, b := range p.Bios {
			bios += b
			s.BiosLabelled++
		}
		if p.NoBio {
			s.PagesWithoutBio++
			if p.FalseBio {
				s.FalseBioPages++
			}
		}
		if !p.unnamed {
			auth += p.AuthorF1
			named++
		}
	}
	s.RelatedP, s.RelatedR, s.RelatedF1 = prf(rtp, rfp, rfn)
	s.RelatedLabelled = rtp + rfn
	s.EditorsP, s.EditorsR, s.EditorsF1 = prf(etp, efp, efn)
	s.EditorsLabelled, s.EditorsFalse = etp+efn, efp
	if s.BiosLabelled > 0 {
		v := bios / float64(s.BiosLabelled)
		s.BioF1 = &v
	}
	if named > 0 {
		s.AuthorF1 = auth / float64(named)
	}
	s.AuthorPages = named
	return s
}

func (s creditScore) print(w io.Writer) {
	head := fmt.Sprintf("credits (%s, %d pages)", s.Fold, s.Pages)
	if s.authorsOnly {
		fmt.Fprintf(w, "%s: author names: token F1 %.3f over %d pages with names\n", head, s.AuthorF1, s.AuthorPages)
		return
	}
	bio := "-"
	if s.BioF1 != nil {
		bio = fmt.Sprintf("%.3f", *s.BioF1)
	}
	fmt.Fprintf(w, "%s:\n", head)
	fmt.Fprintf(w, "  related links: P %.3f R %.3f F1 %.3f (%d labelled)\n", s.RelatedP, s.RelatedR, s.RelatedF1, s.RelatedLabelled)
	fmt.Fprintf(w, "  editors: P %.3f R %.3f F1 %.3f (%d labelled, %d false)\n", s.EditorsP, s.EditorsR, s.EditorsF1,
		s.EditorsLabelled, s.EditorsFalse)
	fmt.Fprintf(w, "  bios: token F1 %s over %d labelled; %d of %d pages without a bio got one\n", bio, s.BiosLabelled,
		s.FalseBioPages, s.PagesWithoutBio)
	fmt.Fprintf(w, "  author names: token F1 %.3f\n", s.AuthorF1)
}

// badness orders pages for the worst-pages listing: related-link errors,
// then editor errors, lost bio score, invented bios and author-name loss.
func (p creditPage) badness() float64 {
	b := float64(p.RelFP+p.RelFN) + 2*float64(p.EdFP+p.EdFN) + 2*(1-p.AuthorF1)
	for _, f := range p.Bios {
		b += 2 * (1 - f)
	}
	if p.FalseBio {
		b += 2
	}
	return b
}

func (r *creditResult) print(w io.Writer, asJSON bool, worst int) error {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, p := range r.pages {
			if err := enc.Encode(p); err != nil {
				return err
			}
		}
		for _, s := range r.folds {
			if err := enc.Encode(s); err != nil {
				return err
			}
		}
		return nil
	}
	for _, s := range r.folds {
		s.print(w)
	}
	if worst == 0 {
		return nil
	}
	bad := creditPage.badness
	if r.authorsOnly {
		bad = func(p creditPage) float64 {
			if p.unnamed {
				return 0
			}
			return 1 - p.AuthorF1
		}
	}
	sorted := append([]creditPage(nil), r.pages...)
	sort.SliceStable(sorted, func(i, j int) bool { return bad(sorted[i]) > bad(sorted[j]) })
	fmt.Fprintln(w, "worst pages:")
	for _, p := range sorted[:min(worst, len(sorted))] {
		if bad(p) == 0 {
			break
		}
		if r.authorsOnly {
			fmt.Fprintf(w, "  author F1 %.2f  %s  %s\n", p.AuthorF1, p.ID, p.URL)
			continue
		}
		fmt.Fprintf(w, "  %s  %s\n", p.ID, p.URL)
		fmt.Fprintf(w, "    related +%d -%d (of %d)  editors +%d -%d  author F1 %.2f", p.RelFP, p.RelFN, p.RelTP+p.RelFN,
			p.EdFP, p.EdFN, p.AuthorF1)
		for _, f := range p.Bios {
			fmt.Fprintf(w, "  bio F1 %.2f", f)
		}
		if p.FalseBio {
			fmt.Fprint(w, "  invented bio")
		}
		fmt.Fprintln(w)
		for _, u := range p.Missed[:min(3, len(p.Missed))] {
			fmt.Fprintf(w, "    missed %s\n", u)
		}
		for _, u := range p.Extra[:min(3, len(p.Extra))] {
			fmt.Fprintf(w, "    extra  %s\n", u)
		}
	}
	return nil
}

// creditSetScores is the credits set's entry in eval --all: related links,
// bios, editors and author names over any subset of its pages, as
// aggregateCredits scores them.
func creditSetScores(ctx context.Context, ex *extract.Extractor, dir string) (*setScores, error) {
	res, err := evalCredits(ctx, ex, dir)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.pages))
	for i, p := range res.pages {
		ids[i] = p.ID
	}
	score := func(keep func(int) bool) []evalFigure {
		var pages []creditPage
		for i, p := range res.pages {
			if keep(i) {
				pages = append(pages, p)
			}
		}
		s := aggregateCredits("", pages)
		figs := []evalFigure{{Name: "authors token F1", Value: s.AuthorF1, Pages: s.Pages, key: true}}
		if res.authorsOnly {
			return figs
		}
		figs = append(figs,
			evalFigure{Name: "related F1", Value: s.RelatedF1, Pages: s.Pages, key: true},
			evalFigure{Name: "related precision", Value: s.RelatedP, Pages: s.Pages},
			evalFigure{Name: "editors F1", Value: s.EditorsF1, Pages: s.Pages},
			evalFigure{Name: "invented bios", Value: float64(s.FalseBioPages), Pages: s.PagesWithoutBio})
		if s.BioF1 != nil {
			figs = append(figs, evalFigure{Name: "bio token F1", Value: *s.BioF1, Pages: s.BiosLabelled, key: true})
		}
		return figs
	}
	return &setScores{ids: ids, score: score}, nil
}
