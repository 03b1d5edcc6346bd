package main

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/newsarchive/newsarchive/extract"
)

// evalSet is one development set that `eval --all` runs: its name, its
// folder under the benchmarks root, and how to extract and score it.
type evalSet struct {
	name string
	dir  string
	run  func(ctx context.Context, ex *extract.Extractor, dir string) (*setScores, error)
}

// evalSets are the development sets of `eval --all`, in table order. A set
// whose folder is missing from the root is left out with a note.
func evalSets() []evalSet {
	return []evalSet{
		{name: "articles", dir: "articles", run: bodySetScores},
		{name: "metadata", dir: "metadata", run: metadataSetScores},
		{name: "fundus", dir: "fundus", run: bodySetScores},
		{name: "credits", dir: "credits", run: creditSetScores},
	}
}

// setScores holds one set's per-page results: ids in a fixed order, and a
// function scoring any subset of them (by index) as named figures.
type setScores struct {
	ids   []string
	score func(keep func(i int) bool) []evalFigure
	// predictions are the set's predictions in its scorer's format
	// (score_bodies.py, score_metadata.py), for cross-checking.
	predictions any
}

// evalFigure is one score over a subset of a set's pages. Key figures are
// the ones the ablation table shows.
type evalFigure struct {
	Name  string  `json:"figure"`
	Value float64 `json:"value"`
	Pages int     `json:"pages"`
	key   bool
}

func bodySetScores(ctx context.Context, ex *extract.Extractor, dir string) (*setScores, error) {
	res, err := evalBodies(ctx, ex, dir)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.pages))
	withAuthors, withDates := false, false
	for i, p := range res.pages {
		ids[i] = p.ID
		withAuthors = withAuthors || len(p.trueAuthors) > 0
		withDates = withDates || p.truePublished != ""
	}
	score := func(keep func(int) bool) []evalFigure {
		var pages []bodyPage
		for i, p := range res.pages {
			if keep(i) {
				pages = append(pages, p)
			}
		}
		s := aggregateBodies(pages)
		figs := []evalFigure{
			{Name: "body F1", Value: s.F1, Pages: len(pages), key: true},
			{Name: "body precision", Value: s.Precision, Pages: len(pages)},
			{Name: "body recall", Value: s.Recall, Pages: len(pages)},
		}
		if withAuthors {
			f1, exact, n := scoreAuthors(pages)
			figs = append(figs, evalFigure{Name: "authors token F1", Value: f1, Pages: n, key: true},
				evalFigure{Name: "authors exact", Value: exact, Pages: n})
		}
		if withDates {
			hits, n := 0, 0
			for _, p := range pages {
				if gd := firstDate(p.truePublished); gd != "" {
					n++
					if gd == firstDate(p.predPublished) {
						hits++
					}
				}
			}
			v := 0.0
			if n > 0 {
				v = float64(hits) / float64(n)
			}
			figs = append(figs, evalFigure{Name: "published date", Value: v, Pages: n, key: true})
		}
		return figs
	}
	preds := make(map[string]map[string]string, len(res.pages))
	for _, p := range res.pages {
		preds[p.ID] = map[string]string{"articleBody": p.pred}
	}
	return &setScores{ids: ids, score: score, predictions: preds}, nil
}

// scoreAuthors scores the author names of the pages whose ground truth has
// some: token F1 of the names joined (score_metadata.py's token F1), and the
// share whose set of normalised names is exactly right.
func scoreAuthors(pages []bodyPage) (f1, exact float64, n int) {
	for _, p := range pages {
		if len(p.trueAuthors) == 0 {
			continue
		}
		n++
		f1 += authorNamesF1(p.predAuthors, p.trueAuthors)
		if sameNames(p.predAuthors, p.trueAuthors) {
			exact++
		}
	}
	if n > 0 {
		f1, exact = f1/float64(n), exact/float64(n)
	}
	return f1, exact, n
}

// authorNamesF1 is the token F1 of a page's predicted author names against
// the true ones, as score_metadata.py scores a field: each list joined,
// normalised (NFKC, case folded) and split into \w+ tokens. It is the one
// scorer of the fundus author names, for eval --all and eval --credits.
func authorNamesF1(pred, gold []string) float64 {
	return tokenF1(normMeta(strings.Join(pred, ", ")), normMeta(strings.Join(gold, ", ")))
}

func sameNames(a, b []string) bool {
	norm := func(s []string) string {
		out := make([]string, len(s))
		for i, v := range s {
			out[i] = normMeta(v)
		}
		sort.Strings(out)
		return strings.Join(out, "\x00")
	}
	return len(a) == len(b) && norm(a) == norm(b)
}

func metadataSetScores(ctx context.Context, ex *extract.Extractor, dir string) (*setScores, error) {
	res, expected, err := evalMetadataPages(ctx, ex, dir)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.pages))
	for i, p := range res.pages {
		ids[i] = p.Case
	}
	score := func(keep func(int) bool) []evalFigure {
		var pages []metaPage
		for i, p := range res.pages {
			if keep(i) {
				pages = append(pages, p)
			}
		}
		var figs []evalFigure
		for _, f := range metaFields {
			m := scoreMetaField(f.pred, f.expected, pages, expected)
			switch f.pred {
			case "published":
				d := 0.0
				if m.Date != nil {
					d = *m.Date
				}
				figs = append(figs, evalFigure{Name: "published date", Value: d, Pages: m.Scored, key: true})
			case "byline":
				figs = append(figs, evalFigure{Name: "byline token F1", Value: m.F1, Pages: m.Scored, key: true})
			default:
				figs = append(figs, evalFigure{Name: f.pred + " token F1", Value: m.F1, Pages: m.Scored})
			}
		}
		return figs
	}
	preds := make(map[string]map[string]string, len(res.pages))
	for _, p := range res.pages {
		preds[p.Case] = p.Predicted
	}
	return &setScores{ids: ids, score: score, predictions: preds}, nil
}

// foldOf assigns a page to one of k folds by a hash of its id, so the split
// does not change with the set's order or size.
func foldOf(id string, k int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(k))
}

// evalRow is one line of the table: a figure of a set over all its pages
// and over each fold.
type evalRow struct {
	Kind  string    `json:"kind"`
	Set   string    `json:"set"`
	Name  string    `json:"figure"`
	Pages int       `json:"pages"`
	All   float64   `json:"all"`
	Folds []float64 `json:"folds,omitempty"`
	key   bool
}

// evalAll runs every set found under root and returns the table's rows.
// Sets whose folder is missing are named in skipped. With predDir set, each
// set's predictions are written to predDir/<set>.json.
func evalAll(ctx context.Context, ex *extract.Extractor, root string, folds int, predDir string) (rows []evalRow, skipped []string, err error) {
	for _, set := range evalSets() {
		dir := filepath.Join(root, set.dir)
		if _, err := os.Stat(dir); err != nil {
			skipped = append(skipped, set.name)
			continue
		}
		sc, err := set.run(ctx, ex, dir)
		if err != nil {
			return nil, nil, fmt.Errorf("eval %s: %w", set.name, err)
		}
		if predDir != "" && sc.predictions != nil {
			data, err := json.Marshal(sc.predictions)
			if err != nil {
				return nil, nil, fmt.Errorf("eval %s: %w", set.name, err)
			}
			if err := os.WriteFile(filepath.Join(predDir, set.name+".json"), data, 0o644); err != nil {
				return nil, nil, fmt.Errorf("eval %s: write predictions: %w", set.name, err)
			}
		}
		all := sc.score(func(int) bool { return true })
		byFold := make([][]evalFigure, folds)
		if folds > 1 {
			for f := range byFold {
				byFold[f] = sc.score(func(i int) bool { return foldOf(sc.ids[i], folds) == f })
			}
		}
		for j, fig := range all {
			row := evalRow{Kind: "eval", Set: set.name, Name: fig.Name, Pages: fig.Pages, All: fig.Value, key: fig.key}
			if folds > 1 {
				for f := range byFold {
					row.Folds = append(row.Folds, byFold[f][j].Value)
				}
			}
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return nil, skipped, fmt.Errorf("no development set (%s) under %s", setNames(), root)
	}
	return rows, skipped, nil
}

func setNames() string {
	var names []string
	for _, s := range evalSets() {
		names = append(names, s.name)
	}
	return strings.Join(names, ", ")
}

func printEvalTable(w io.Writer, rows []evalRow, skipped []string, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	folds := 0
	if len(rows) > 0 {
		folds = len(rows[0].Folds)
	}
	fmt.Fprintf(w, "%-9s %-17s %5s %7s", "set", "figure", "pages", "all")
	for f := 0; f < folds; f++ {
		fmt.Fprintf(w, " %7s", fmt.Sprintf("fold%d", f+1))
	}
	if folds > 0 {
		fmt.Fprintf(w, " %7s %7s", "min", "spread")
	}
	fmt.Fprintln(w)
	for _, r := range rows {
		fmt.Fprintf(w, "%-9s %-17s %5d %7.4f", r.Set, r.Name, r.Pages, r.All)
		if folds > 0 {
			lo, hi := r.Folds[0], r.Folds[0]
			for _, v := range r.Folds {
				fmt.Fprintf(w, " %7.4f", v)
				lo, hi = min(lo, v), max(hi, v)
			}
			fmt.Fprintf(w, " %7.4f %7.4f", lo, hi-lo)
		}
		fmt.Fprintln(w)
	}
	if len(skipped) > 0 {
		fmt.Fprintf(w, "not found: %s\n", strings.Join(skipped, ", "))
	}
	return nil
}

// ablationRow is what switching one heuristic off does to a key figure.
type ablationRow struct {
	Kind      string  `json:"kind"`
	Heuristic string  `json:"heuristic"`
	Set       string  `json:"set"`
	Name      string  `json:"figure"`
	Value     float64 `json:"value"`
	Delta     float64 `json:"delta"`
	// MinFoldDelta is the smallest per-fold change (the fold it helps
	// least or hurts most), when folds are asked for.
	MinFoldDelta *float64 `json:"min_fold_delta,omitempty"`
}

// ablate runs every set once per heuristic with that heuristic off and
// returns the change of each key figure from the baseline rows.
func ablate(ctx context.Context, ex *extract.Extractor, root string, folds int, base []evalRow) ([]ablationRow, error) {
	var out []ablationRow
	for _, h := range extract.Heuristics() {
		off, err := ex.Without(h)
		if err != nil {
			return nil, err
		}
		rows, _, err := evalAll(ctx, off, root, folds, "")
		if err != nil {
			return nil, err
		}
		for i, r := range rows {
			if !base[i].key {
				continue
			}
			a := ablationRow{Kind: "ablation", Heuristic: string(h), Set: r.Set, Name: r.Name, Value: r.All, Delta: r.All - base[i].All}
			for f := range r.Folds {
				d := r.Folds[f] - base[i].Folds[f]
				if a.MinFoldDelta == nil || d < *a.MinFoldDelta {
					a.MinFoldDelta = &d
				}
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// printAblation prints one line per heuristic and one column per key
// figure: the change when the heuristic is off (negative: it helps).
func printAblation(w io.Writer, rows []ablationRow, base []evalRow, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	var cols []string
	for _, r := range base {
		if r.key {
			cols = append(cols, r.Set+" "+r.Name)
		}
	}
	fmt.Fprintf(w, "\nablation: change of each figure with the heuristic off (negative: the heuristic helps)\n%-14s", "off")
	for _, c := range cols {
		fmt.Fprintf(w, " %s", c)
	}
	fmt.Fprintln(w)
	for i := 0; i < len(rows); i += len(cols) {
		fmt.Fprintf(w, "%-14s", rows[i].Heuristic)
		for j, c := range cols {
			fmt.Fprintf(w, " %*s", len(c), fmt.Sprintf("%+.4f", rows[i+j].Delta))
		}
		fmt.Fprintln(w)
	}
	return nil
}

func heuristicNames() string {
	var names []string
	for _, h := range extract.Heuristics() {
		names = append(names, string(h))
	}
	return strings.Join(names, ", ")
}
