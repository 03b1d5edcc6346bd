package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvalWordTokens(t *testing.T) {
	// Expected values are Python's re.findall(r"\w+", s).
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Hello, world! It's 2019_11.", []string{"Hello", "world", "It", "s", "2019_11"}},
		{"naïve café – déjà vu", []string{"naïve", "café", "déjà", "vu"}},
		{"宇航员在太空中喝酒会怎么样？后果很严重", []string{"宇航员在太空中喝酒会怎么样", "后果很严重"}},
		{"Тесла, ²³ ½", []string{"Тесла", "²³", "½"}},
		// Combining marks are not \w in Python: decomposed "é" splits.
		{"cafe\u0301 नमस्ते", []string{"cafe", "नमस", "त"}},
		{"", nil},
	} {
		got := wordTokens(tc.in)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("wordTokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEvalPageScore(t *testing.T) {
	for _, tc := range []struct {
		name            string
		truth, pred     string
		f1, p, r        float64 // -1: no value
		exact           bool
		trueTok, predTo int
	}{
		// 6 tokens, 3 shingles each; 2 shared: tp=2, fp=1, fn=1 of 4.
		{"overlap", "a b c d e f", "a b c d e g", 2.0 / 3, 2.0 / 3, 2.0 / 3, false, 6, 6},
		{"identical", "One two, three four five.", "One two three four five", 1, 1, 1, true, 5, 5},
		{"empty prediction", "one two three four", "", 0, -1, 0, false, 4, 0},
		{"both empty", "", "", -1, -1, -1, true, 0, 0},
		// Fewer than 4 tokens: one short shingle.
		{"short", "one two", "one two", 1, 1, 1, true, 2, 2},
		// Repeated shingles count as a multiset.
		{"multiset", "x y z w x y z w", "x y z w", 1.0 / 3, 1, 0.2, false, 8, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p bodyPage
			p.score(tc.truth, tc.pred)
			check := func(name string, got *float64, want float64) {
				t.Helper()
				switch {
				case want < 0 && got != nil:
					t.Errorf("%s = %v, want none", name, *got)
				case want >= 0 && (got == nil || math.Abs(*got-want) > 1e-9):
					t.Errorf("%s = %v, want %v", name, fmtScore(got), want)
				}
			}
			check("f1", p.F1, tc.f1)
			check("precision", p.Precision, tc.p)
			check("recall", p.Recall, tc.r)
			if p.Exact != tc.exact || p.TrueTokens != tc.trueTok || p.PredTokens != tc.predTo {
				t.Errorf("exact %v tokens %d/%d, want %v %d/%d", p.Exact, p.TrueTokens, p.PredTokens, tc.exact, tc.trueTok, tc.predTo)
			}
		})
	}
}

func TestEvalAggregate(t *testing.T) {
	var a, b, c bodyPage
	a.score("a b c d e f", "a b c d e g") // P = R = 2/3
	b.score("a b c d", "")                // no prediction: recall 0, no precision
	c.score("", "a b c d")                // no truth: precision 0, no recall
	s := aggregateBodies([]bodyPage{a, b, c})
	wantP := (2.0/3 + 0) / 2
	wantR := (2.0/3 + 0) / 2
	if math.Abs(s.Precision-wantP) > 1e-9 || math.Abs(s.Recall-wantR) > 1e-9 {
		t.Errorf("P, R = %v, %v, want %v, %v", s.Precision, s.Recall, wantP, wantR)
	}
	if want := 2 * wantP * wantR / (wantP + wantR); math.Abs(s.F1-want) > 1e-9 {
		t.Errorf("F1 = %v, want %v (of the two means)", s.F1, want)
	}
	if s.Accuracy != 0 {
		t.Errorf("accuracy = %v, want 0", s.Accuracy)
	}
}

func TestEvalMetadataNorm(t *testing.T) {
	if got := normMeta("  Straße\u00a0ＡＢＣ \n x "); got != "strasse abc x" {
		t.Errorf("normMeta = %q", got)
	}
	if got := tokenF1("by jane doe", "jane doe"); math.Abs(got-0.8) > 1e-9 {
		t.Errorf("tokenF1 = %v, want 0.8", got)
	}
	for in, want := range map[string]string{
		"2021-11-01T10:52:50+0100": "2021-11-01",
		"published 2019-1-3":       "2019-01-03",
		"12345-06-07":              "2345-06-07", // a regexp search finds it mid-number
		"March 3, 2019":            "",
	} {
		if got := firstDate(in); got != want {
			t.Errorf("firstDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// writeDataset writes a two-page body benchmark and a one-case metadata
// benchmark to dir.
func writeDataset(t *testing.T, dir string) (bodies, metadata string) {
	t.Helper()
	const para1 = "The council approved the new budget on Monday after a long debate, with seven votes in favour and two against."
	const para2 = "Spending on schools rises by four percent, while the roads budget, which grew last year, stays flat."
	pages := map[string]string{
		"good": `<html><head><title>Budget approved</title></head><body><nav><a href="/">Home</a></nav><article><h1>Budget approved</h1><p>` +
			para1 + `</p><p>` + para2 + `</p></article><footer>Contact us</footer></body></html>`,
		"half": `<html><head><title>Other</title></head><body><article><p>` + para1 + `</p></article></body></html>`,
	}
	truth := map[string]map[string]string{
		"good": {"url": "https://news.example.com/budget", "articleBody": para1 + "\n\n" + para2},
		"half": {"url": "https://news.example.com/other", "articleBody": para1 + "\n\n" + para2},
	}
	bodies = filepath.Join(dir, "articles")
	if err := os.MkdirAll(filepath.Join(bodies, "html"), 0o755); err != nil {
		t.Fatal(err)
	}
	for id, page := range pages {
		f, err := os.Create(filepath.Join(bodies, "html", id+".html.gz"))
		if err != nil {
			t.Fatal(err)
		}
		zw := gzip.NewWriter(f)
		if _, err := zw.Write([]byte(page)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	data, _ := json.Marshal(truth)
	if err := os.WriteFile(filepath.Join(bodies, "ground-truth.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	metadata = filepath.Join(dir, "metadata")
	if err := os.MkdirAll(filepath.Join(metadata, "case-1"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := `<html><head><title>Budget approved | City News</title><meta property="og:site_name" content="City News">
<meta name="author" content="Ann Lee"><meta property="article:published_time" content="2019-11-18T10:00:00Z"></head>
<body><article><h1>Budget approved</h1><p>` + para1 + `</p></article></body></html>`
	exp := `{"title": "Budget approved", "byline": "Ann Lee", "publishedTime": "2019-11-18T10:00:00.000Z", "siteName": "City News", "excerpt": null}`
	if err := os.WriteFile(filepath.Join(metadata, "case-1", "source.html"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(metadata, "case-1", "expected-metadata.json"), []byte(exp), 0o644); err != nil {
		t.Fatal(err)
	}
	return bodies, metadata
}

func TestEvalCommand(t *testing.T) {
	bodies, metadata := writeDataset(t, t.TempDir())
	t.Run("bodies", func(t *testing.T) {
		code, out, errOut := runCmd(t, "eval", "--dataset", bodies, "--worst", "1")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		// good: exact; half: precision 1, recall 1/2 (its 17 shingles of the
		// 34 true ones; no shingle spans the paragraph break it lacks).
		p, rec := 1.0, (1+0.5)/2
		f1 := 2 * p * rec / (p + rec)
		for _, want := range []string{"body: 2 pages", "F1 " + format4(f1), "precision 1.0000", "recall " + format4(rec),
			"accuracy 0.5000", "worst pages:", "half  https://news.example.com/other"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "good  https://") {
			t.Errorf("--worst 1 lists more than the worst page:\n%s", out)
		}
	})
	t.Run("bodies json", func(t *testing.T) {
		code, out, errOut := runCmd(t, "eval", "--dataset", bodies, "--json")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var lines []map[string]any
		sc := bufio.NewScanner(strings.NewReader(out))
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			lines = append(lines, m)
		}
		if len(lines) != 3 || lines[0]["id"] != "good" || lines[1]["id"] != "half" || lines[2]["kind"] != "body" {
			t.Fatalf("got %v, want two pages then the summary", lines)
		}
		if lines[0]["exact"] != true || lines[1]["precision"] != 1.0 {
			t.Errorf("pages = %v", lines[:2])
		}
	})
	t.Run("metadata", func(t *testing.T) {
		code, out, errOut := runCmd(t, "eval", "--metadata", metadata)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{"metadata: 1 pages", "title           1   1.000   1.000",
			"byline          1   1.000   1.000", "published       1   0.000   0.727   1.000", "siteName        1   1.000   1.000",
			"published misses:"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{{"eval"}, {"eval", "extra"}, {"eval", "--dataset", bodies, "--worst", "-1"}} {
			if code, _, _ := runCmd(t, args...); code != exitUsage {
				t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
			}
		}
		if code, _, _ := runCmd(t, "eval", "--dataset", filepath.Join(bodies, "missing")); code != exitError {
			t.Errorf("missing dataset: exit %d, want %d", code, exitError)
		}
	})
}

func format4(v float64) string {
	b, _ := json.Marshal(math.Round(v*1e4) / 1e4)
	s := string(b)
	if !strings.Contains(s, ".") {
		s += "."
	}
	for len(s[strings.IndexByte(s, '.')+1:]) < 4 {
		s += "0"
	}
	return s
}
