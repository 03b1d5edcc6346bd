package main

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/newsarchive/newsarchive/extract"
)

const evalExamples = `  newsarchive eval --all DATA                  # every development set, one table
  newsarchive eval --all DATA --folds 5       # and per fold, with the spread
  newsarchive eval --all DATA --ablation      # what each body heuristic contributes
  newsarchive eval --all DATA --ablate cousins,climb
  newsarchive eval --dataset DATA/articles
  newsarchive eval --dataset DATA/articles --worst 20
  newsarchive eval --dataset DATA/articles --json > pages.jsonl
  newsarchive eval --metadata DATA/metadata
  newsarchive eval --credits DATA/credits --worst 20
`

// metadataPageURL is the address given to metadata benchmark pages, which
// come without one: Mozilla Readability's test pages are served from it.
const metadataPageURL = "http://fakehost/test/page.html"

func runEval(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "eval", "eval [--all DIR [--folds K] [--ablation]] [--dataset DIR] [--metadata DIR] [--credits DIR] [--ablate NAMES] [--json] [--worst N]", evalExamples)
	all := fs.String("all", "", "benchmarks root: run every development set under DIR ("+setNames()+") and print one table")
	folds := fs.Int("folds", 0, "with --all: also score K folds (pages split by a hash of their id) and the spread")
	ablateNames := fs.String("ablate", "", "switch off these body heuristics (comma-separated): "+heuristicNames())
	predDir := fs.String("predictions", "", "with --all: write each set's predictions to DIR/<set>.json, for the benchmarks' own scorers (score_bodies.py, score_metadata.py)")
	ablation := fs.Bool("ablation", false, "with --all: rerun with each body heuristic off in turn and print what it changes")
	dataset := fs.String("dataset", "", "article-body benchmark: DIR/ground-truth.json and DIR/html/<id>.html.gz")
	metadata := fs.String("metadata", "", "metadata benchmark: DIR/<case>/source.html and expected-metadata.json")
	credits := fs.String("credits", "", "credits benchmark: DIR/labels.json (authors, bios, editors, related links); or DIR/ground-truth.json authors")
	asJSON := fs.Bool("json", false, "print one JSON object per page, then one per summary")
	worst := fs.Int("worst", 10, "list the N pages with the lowest F1 (body) or the misses (metadata)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("eval takes no arguments; name the benchmark with --dataset or --metadata")
	}
	if *dataset == "" && *metadata == "" && *credits == "" && *all == "" {
		return usagef("eval needs --all DIR, --dataset DIR, --metadata DIR or --credits DIR")
	}
	if *worst < 0 {
		return usagef("--worst must not be negative")
	}
	if *folds < 0 || *folds == 1 || *folds > 20 {
		return usagef("--folds must be between 2 and 20")
	}
	if (*folds > 0 || *ablation || *predDir != "") && *all == "" {
		return usagef("--folds, --ablation and --predictions need --all DIR")
	}
	ex, err := extract.Default()
	if err != nil {
		return fmt.Errorf("load extraction rules: %w", err)
	}
	if *ablateNames != "" {
		var hs []extract.Heuristic
		for _, n := range strings.Split(*ablateNames, ",") {
			hs = append(hs, extract.Heuristic(strings.TrimSpace(n)))
		}
		if ex, err = ex.Without(hs...); err != nil {
			return usagef("--ablate: %v", err)
		}
	}
	if *all != "" {
		if *predDir != "" {
			if err := os.MkdirAll(*predDir, 0o755); err != nil {
				return fmt.Errorf("predictions: %w", err)
			}
		}
		rows, skipped, err := evalAll(ctx, ex, *all, *folds, *predDir)
		if err != nil {
			return err
		}
		if err := printEvalTable(e.stdout, rows, skipped, *asJSON); err != nil {
			return fmt.Errorf("write results: %w", err)
		}
		if *ablation {
			abl, err := ablate(ctx, ex, *all, *folds, rows)
			if err != nil {
				return err
			}
			if err := printAblation(e.stdout, abl, rows, *asJSON); err != nil {
				return fmt.Errorf("write results: %w", err)
			}
		}
	}
	if *dataset != "" {
		res, err := evalBodies(ctx, ex, *dataset)
		if err != nil {
			return err
		}
		if err := res.print(e.stdout, *asJSON, *worst); err != nil {
			return fmt.Errorf("write results: %w", err)
		}
	}
	if *credits != "" {
		res, err := evalCredits(ctx, ex, *credits)
		if err != nil {
			return err
		}
		if err := res.print(e.stdout, *asJSON, *worst); err != nil {
			return fmt.Errorf("write results: %w", err)
		}
	}
	if *metadata != "" {
		res, err := evalMetadata(ctx, ex, *metadata)
		if err != nil {
			return err
		}
		if err := res.print(e.stdout, *asJSON, *worst); err != nil {
			return fmt.Errorf("write results: %w", err)
		}
	}
	return nil
}

// Body scores, with the definitions of the article-extraction benchmark
// (scrapinghub's evaluate.py, re-implemented by score_bodies.py).

// bodyPage is one page's body score. TP, FP and FN are shingle counts divided
// by their sum, so every page weighs the same.
type bodyPage struct {
	ID         string   `json:"id"`
	URL        string   `json:"url"`
	F1         *float64 `json:"f1"`
	Precision  *float64 `json:"precision"`
	Recall     *float64 `json:"recall"`
	Exact      bool     `json:"exact"`
	TrueTokens int      `json:"true_tokens"`
	PredTokens int      `json:"pred_tokens"`
	Error      string   `json:"error,omitempty"`

	tp, fp, fn float64
	// trueAuthors and predAuthors are the page's author names, for sets
	// whose ground truth has them (fundus).
	trueAuthors, predAuthors []string
	// truePublished and predPublished are the publication dates, for sets
	// whose ground truth has them (fundus).
	truePublished, predPublished string
	pred                         string // the predicted body text
}

// bodyScore is the benchmark's aggregate: precision averaged over pages with
// a predicted shingle, recall over pages with a true one, F1 of the two means.
type bodyScore struct {
	Kind      string  `json:"kind"`
	Pages     int     `json:"pages"`
	F1        float64 `json:"f1"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	Accuracy  float64 `json:"accuracy"`
	Failed    int     `json:"failed"`
	Seconds   float64 `json:"extract_seconds"`
}

type bodyResult struct {
	pages []bodyPage
	score bodyScore
}

// evalBodies extracts every page of the dataset in DIR and scores its body
// against the ground truth. A page that fails to extract is scored as an
// empty prediction.
func evalBodies(ctx context.Context, ex *extract.Extractor, dir string) (*bodyResult, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("read ground truth: %w", err)
	}
	var truth map[string]struct {
		ArticleBody string   `json:"articleBody"`
		URL         string   `json:"url"`
		Authors     []string `json:"authors"`
		Published   string   `json:"published"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		return nil, fmt.Errorf("read ground truth: %w", err)
	}
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	// The pages are UTF-8 whatever their <meta charset> says.
	header := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	res := &bodyResult{pages: make([]bodyPage, 0, len(ids))}
	var elapsed time.Duration
	for _, id := range ids {
		if ctx.Err() != nil {
			return nil, errInterrupted
		}
		t := truth[id]
		page := bodyPage{ID: id, URL: t.URL}
		body, err := readGzipFile(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			return nil, fmt.Errorf("read page %s: %w", id, err)
		}
		pred := ""
		start := time.Now()
		a, err := ex.Extract(t.URL, header, body)
		elapsed += time.Since(start)
		if err != nil {
			page.Error = err.Error()
			res.score.Failed++
		} else {
			pred = a.BodyText
			page.predPublished = a.PublishedAt
			for _, au := range a.Authors {
				page.predAuthors = append(page.predAuthors, au.Name)
			}
		}
		page.trueAuthors, page.truePublished, page.pred = t.Authors, t.Published, pred
		page.score(t.ArticleBody, pred)
		res.pages = append(res.pages, page)
	}
	res.score = aggregateBodies(res.pages)
	res.score.Failed = countFailed(res.pages)
	res.score.Seconds = elapsed.Seconds()
	return res, nil
}

func countFailed(pages []bodyPage) int {
	n := 0
	for _, p := range pages {
		if p.Error != "" {
			n++
		}
	}
	return n
}

func readGzipFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// score fills in the page's counts and scores for a true and a predicted text.
func (p *bodyPage) score(truth, pred string) {
	tt, pt := wordTokens(truth), wordTokens(pred)
	p.TrueTokens, p.PredTokens = len(tt), len(pt)
	p.Exact = equalTokens(tt, pt)
	tb, pb := shingles(tt), shingles(pt)
	var tp, fp, fn int
	for k, n := range pb {
		m := tb[k]
		tp += min(n, m)
		fp += max(n-m, 0)
	}
	for k, m := range tb {
		fn += max(m-pb[k], 0)
	}
	if total := tp + fp + fn; total > 0 {
		p.tp, p.fp, p.fn = float64(tp)/float64(total), float64(fp)/float64(total), float64(fn)/float64(total)
	}
	if p.tp+p.fp > 0 {
		v := pagePrecision(p.tp, p.fp, p.fn)
		p.Precision = &v
	}
	if p.tp+p.fn > 0 {
		v := pageRecall(p.tp, p.fp, p.fn)
		p.Recall = &v
	}
	if total := p.tp + p.fp + p.fn; total > 0 {
		v := 2 * p.tp / (2*p.tp + p.fp + p.fn)
		p.F1 = &v
	}
}

func equalTokens(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func pagePrecision(tp, fp, fn float64) float64 {
	switch {
	case fp == 0 && fn == 0:
		return 1
	case tp == 0 && fp == 0:
		return 0
	}
	return tp / (tp + fp)
}

func pageRecall(tp, fp, fn float64) float64 {
	switch {
	case fp == 0 && fn == 0:
		return 1
	case tp == 0 && fn == 0:
		return 0
	}
	return tp / (tp + fn)
}

func aggregateBodies(pages []bodyPage) bodyScore {
	var ps, rs, exact float64
	var np, nr int
	for _, p := range pages {
		if p.tp+p.fp > 0 {
			ps += pagePrecision(p.tp, p.fp, p.fn)
			np++
		}
		if p.tp+p.fn > 0 {
			rs += pageRecall(p.tp, p.fp, p.fn)
			nr++
		}
		if p.Exact {
			exact++
		}
	}
	s := bodyScore{Kind: "body", Pages: len(pages)}
	if np > 0 {
		s.Precision = ps / float64(np)
	}
	if nr > 0 {
		s.Recall = rs / float64(nr)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	if len(pages) > 0 {
		s.Accuracy = exact / float64(len(pages))
	}
	return s
}

// wordTokens returns the maximal runs of word characters, as Python's re
// module matches \w+ in a str pattern: letters (L*), numbers (N*) and "_".
// Combining marks are not word characters there, so they split words.
func wordTokens(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		w := r == '_' || (r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')) ||
			(r >= 0x80 && (unicode.IsLetter(r) || unicode.IsNumber(r)))
		switch {
		case w && start < 0:
			start = i
		case !w && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// shingleN is the benchmark's shingle length in tokens.
const shingleN = 4

// shingles returns the multiset of shingleN-token windows; a text shorter
// than that has one (short) shingle, an empty one none.
func shingles(toks []string) map[string]int {
	bag := map[string]int{}
	if len(toks) == 0 {
		return bag
	}
	if len(toks) < shingleN {
		bag[strings.Join(toks, "\x00")]++
		return bag
	}
	for i := 0; i+shingleN <= len(toks); i++ {
		bag[strings.Join(toks[i:i+shingleN], "\x00")]++
	}
	return bag
}

func (r *bodyResult) print(w io.Writer, asJSON bool, worst int) error {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, p := range r.pages {
			if err := enc.Encode(p); err != nil {
				return err
			}
		}
		return enc.Encode(r.score)
	}
	s := r.score
	fmt.Fprintf(w, "body: %d pages  F1 %.4f  precision %.4f  recall %.4f  accuracy %.4f\n",
		s.Pages, s.F1, s.Precision, s.Recall, s.Accuracy)
	if s.Seconds > 0 {
		fmt.Fprintf(w, "extraction: %.2f s, %.0f pages/s\n", s.Seconds, float64(s.Pages)/s.Seconds)
	}
	if s.Failed > 0 {
		fmt.Fprintf(w, "failed: %d pages (scored as empty)\n", s.Failed)
	}
	if worst == 0 || len(r.pages) == 0 {
		return nil
	}
	sorted := append([]bodyPage(nil), r.pages...)
	key := func(p bodyPage) float64 {
		if p.F1 == nil {
			return 2
		}
		return *p.F1
	}
	sort.SliceStable(sorted, func(i, j int) bool {
		if ki, kj := key(sorted[i]), key(sorted[j]); ki != kj {
			return ki < kj
		}
		return sorted[i].ID < sorted[j].ID
	})
	fmt.Fprintf(w, "worst pages:\n  %-6s %-6s %-6s %8s %8s  %s\n", "F1", "P", "R", "true_tok", "pred_tok", "id  url")
	for _, p := range sorted[:min(worst, len(sorted))] {
		fmt.Fprintf(w, "  %-6s %-6s %-6s %8d %8d  %s  %s\n", fmtScore(p.F1), fmtScore(p.Precision), fmtScore(p.Recall),
			p.TrueTokens, p.PredTokens, p.ID, p.URL)
	}
	return nil
}

func fmtScore(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", *v)
}

// Metadata scores, with the definitions of score_metadata.py.

// metaFields pairs each prediction field with its expected-metadata.json key.
var metaFields = [...]struct{ pred, expected string }{
	{"title", "title"},
	{"byline", "byline"},
	{"published", "publishedTime"},
	{"siteName", "siteName"},
}

// metaPage is one page's predicted metadata.
type metaPage struct {
	Case      string            `json:"case"`
	Predicted map[string]string `json:"predicted"`
	Error     string            `json:"error,omitempty"`
}

// metaField is one field's score over the pages whose expected value is not
// empty: exact match after normalisation, mean token F1, and for the
// published date the share agreeing on the first calendar date.
type metaField struct {
	Kind   string     `json:"kind"`
	Field  string     `json:"field"`
	Scored int        `json:"scored"`
	Exact  float64    `json:"exact"`
	F1     float64    `json:"f1"`
	Date   *float64   `json:"date,omitempty"`
	Misses []metaMiss `json:"misses,omitempty"`
}

type metaMiss struct {
	Case      string  `json:"case"`
	Expected  string  `json:"expected"`
	Predicted string  `json:"predicted"`
	F1        float64 `json:"f1"`
}

type metaResult struct {
	pages  []metaPage
	fields []metaField
}

// evalMetadata extracts DIR/<case>/source.html for every case with an
// expected-metadata.json and scores title, byline, published date and site
// name.
func evalMetadata(ctx context.Context, ex *extract.Extractor, dir string) (*metaResult, error) {
	res, expected, err := evalMetadataPages(ctx, ex, dir)
	if err != nil {
		return nil, err
	}
	for _, f := range metaFields {
		res.fields = append(res.fields, scoreMetaField(f.pred, f.expected, res.pages, expected))
	}
	return res, nil
}

// evalMetadataPages extracts every case of the metadata benchmark in DIR and
// returns the predictions with the expected values by case.
func evalMetadataPages(ctx context.Context, ex *extract.Extractor, dir string) (*metaResult, map[string]map[string]any, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read metadata benchmark: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, en := range entries {
		names = append(names, en.Name())
	}
	sort.Strings(names)
	res := &metaResult{}
	expected := map[string]map[string]any{}
	for _, name := range names {
		if ctx.Err() != nil {
			return nil, nil, errInterrupted
		}
		raw, err := os.ReadFile(filepath.Join(dir, name, "expected-metadata.json"))
		if err != nil {
			continue // not a case folder
		}
		var exp map[string]any
		if err := json.Unmarshal(raw, &exp); err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", filepath.Join(name, "expected-metadata.json"), err)
		}
		expected[name] = exp
		page := metaPage{Case: name, Predicted: map[string]string{}}
		src, err := os.ReadFile(filepath.Join(dir, name, "source.html"))
		if err != nil {
			return nil, nil, fmt.Errorf("read page %s: %w", name, err)
		}
		a, err := ex.Extract(metadataPageURL, nil, src)
		if err != nil {
			page.Error = err.Error()
		} else {
			page.Predicted = predictedMetadata(a)
		}
		res.pages = append(res.pages, page)
	}
	if len(res.pages) == 0 {
		return nil, nil, fmt.Errorf("no <case>/expected-metadata.json in %s", dir)
	}
	return res, expected, nil
}

// predictedMetadata maps a record to the benchmark's prediction fields.
func predictedMetadata(a *extract.Article) map[string]string {
	return map[string]string{
		"title":     a.Title,
		"byline":    a.Byline,
		"published": a.PublishedAt,
		"siteName":  a.SiteName,
	}
}

func scoreMetaField(field, key string, pages []metaPage, expected map[string]map[string]any) metaField {
	out := metaField{Kind: "metadata", Field: field}
	var exact, f1, dates float64
	for _, p := range pages {
		goldRaw := metaString(expected[p.Case][key])
		gold := normMeta(goldRaw)
		if gold == "" {
			continue
		}
		out.Scored++
		predRaw := p.Predicted[field]
		pred := normMeta(predRaw)
		if pred == gold {
			exact++
		}
		f := tokenF1(pred, gold)
		f1 += f
		if field == "published" {
			if gd := firstDate(gold); gd != "" && gd == firstDate(pred) {
				dates++
			}
		}
		if pred != gold {
			out.Misses = append(out.Misses, metaMiss{Case: p.Case, Expected: goldRaw, Predicted: predRaw, F1: f})
		}
	}
	if out.Scored > 0 {
		n := float64(out.Scored)
		out.Exact, out.F1 = exact/n, f1/n
		if field == "published" {
			d := dates / n
			out.Date = &d
		}
	}
	return out
}

// metaString renders an expected value as score_metadata.py's str() would for
// the strings, numbers and booleans the files hold; null is empty.
func metaString(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case bool:
		if t {
			return "True"
		}
		return "False"
	}
	return fmt.Sprint(v)
}

// normMeta is score_metadata.py's normalisation: Unicode NFKC, white space
// collapsed and trimmed, case folded.
func normMeta(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Join(strings.FieldsFunc(s, isPySpace), " ")
	return cases.Fold().String(s)
}

// isPySpace reports the characters Python's \s matches in a str pattern.
func isPySpace(r rune) bool {
	switch r {
	case '\x1c', '\x1d', '\x1e', '\x1f', '\x85':
		return true
	}
	return unicode.IsSpace(r)
}

func tokenF1(pred, gold string) float64 {
	p, g := wordTokens(pred), wordTokens(gold)
	if len(p) == 0 || len(g) == 0 {
		if len(p) == len(g) {
			return 1
		}
		return 0
	}
	count := map[string]int{}
	for _, t := range g {
		count[t]++
	}
	common := 0
	for _, t := range p {
		if count[t] > 0 {
			count[t]--
			common++
		}
	}
	if common == 0 {
		return 0
	}
	precision := float64(common) / float64(len(p))
	recall := float64(common) / float64(len(g))
	return 2 * precision * recall / (precision + recall)
}

// firstDate returns the first YYYY-MM-DD (month and day of one or two
// digits) in s as a zero-padded date, or "".
func firstDate(s string) string {
	rs := []rune(s)
	digits := func(i, lo, hi int) (val, end int, ok bool) {
		n := 0
		for i+n < len(rs) && n < hi && unicode.Is(unicode.Nd, rs[i+n]) {
			val = val*10 + digitValue(rs[i+n])
			n++
		}
		return val, i + n, n >= lo
	}
	for i := range rs {
		if !unicode.Is(unicode.Nd, rs[i]) {
			continue
		}
		// A regexp search tries every start; four digits then "-".
		y, j, ok := digits(i, 4, 4)
		if !ok || j >= len(rs) || rs[j] != '-' {
			continue
		}
		m, k, ok := digits(j+1, 1, 2)
		if !ok || k >= len(rs) || rs[k] != '-' {
			continue
		}
		d, _, ok := digits(k+1, 1, 2)
		if !ok {
			continue
		}
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	}
	return ""
}

// digitValue returns a decimal digit's value: Unicode lays every decimal
// digit set out as ten consecutive code points from zero.
func digitValue(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	start := r
	for unicode.Is(unicode.Nd, start-1) {
		start--
	}
	return int(r-start) % 10
}

func (r *metaResult) print(w io.Writer, asJSON bool, worst int) error {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, p := range r.pages {
			if err := enc.Encode(p); err != nil {
				return err
			}
		}
		for _, f := range r.fields {
			if err := enc.Encode(f); err != nil {
				return err
			}
		}
		return nil
	}
	fmt.Fprintf(w, "metadata: %d pages\n%-10s %6s %7s %7s %7s\n", len(r.pages), "field", "scored", "exact", "f1", "date")
	for _, f := range r.fields {
		date := "   -   "
		if f.Date != nil {
			date = fmt.Sprintf("%7.3f", *f.Date)
		}
		fmt.Fprintf(w, "%-10s %6d %7.3f %7.3f %s\n", f.Field, f.Scored, f.Exact, f.F1, date)
	}
	if worst == 0 {
		return nil
	}
	for _, f := range r.fields {
		if len(f.Misses) == 0 {
			continue
		}
		fmt.Fprintf(w, "%s misses:\n", f.Field)
		for _, m := range f.Misses[:min(worst, len(f.Misses))] {
			fmt.Fprintf(w, "  %-40s expected %q, got %q (f1 %.3f)\n", m.Case, m.Expected, m.Predicted, m.F1)
		}
		if len(f.Misses) > worst {
			fmt.Fprintf(w, "  … %d more\n", len(f.Misses)-worst)
		}
	}
	return nil
}
