package main

import (
	"compress/gzip"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/extract"
)

func TestRelatedKey(t *testing.T) {
	// Pairs that score_credits.py's nurl makes equal, and one it keeps apart.
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"https://www.Example.com/a/b/?utm_source=x&id=2&k=", "http://example.com/a/b?id=2#top", true},
		{"https://example.com/?b=2&a=1", "https://example.com?a=1&b=2", true},
		{"https://example.com/a%20b", "https://example.com/a b", false}, // urlsplit does not decode paths
		{"https://example.com/a?id=1", "https://example.com/a?id=2", false},
	} {
		if got := relatedKey(tc.a) == relatedKey(tc.b); got != tc.same {
			t.Errorf("relatedKey(%q) == relatedKey(%q): %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
}

func TestScoreCredits(t *testing.T) {
	var lab creditLabel
	if err := json.Unmarshal([]byte(`{"url": "https://n.example/a",
		"authors": [{"name": "Jane Doe", "bio": "Jane Doe covers energy for the paper."}, {"name": "Bo Chan", "bio": ""}],
		"editors": ["Cy Dale"],
		"related": ["https://n.example/r1", "https://n.example/r2"],
		"related_optional": ["https://n.example/o1"]}`), &lab); err != nil {
		t.Fatal(err)
	}
	a := &extract.Article{
		Authors: []extract.Author{{Name: "Jane Doe", Bio: "Jane Doe covers energy."}, {Name: "Bo Chan"}},
		Editors: []extract.Editor{{Name: "Cy Dale"}, {Handle: "someone"}},
		Related: []extract.Link{{URL: "https://n.example/r1/"}, {URL: "https://n.example/o1"}, {URL: "https://n.example/x"}},
	}
	p := scoreCredits(lab, a)
	if p.RelTP != 1 || p.RelFP != 1 || p.RelFN != 1 {
		t.Errorf("related tp/fp/fn = %d/%d/%d, want 1/1/1 (the optional link counts neither way)", p.RelTP, p.RelFP, p.RelFN)
	}
	if p.EdTP != 1 || p.EdFP != 1 || p.EdFN != 0 {
		t.Errorf("editors tp/fp/fn = %d/%d/%d, want 1/1/0", p.EdTP, p.EdFP, p.EdFN)
	}
	// "jane doe covers energy" against "jane doe covers energy for the paper":
	// 4 common tokens, P 1, R 4/7.
	if want := 2 * (4.0 / 7) / (1 + 4.0/7); len(p.Bios) != 1 || math.Abs(p.Bios[0]-want) > 1e-9 {
		t.Errorf("bios = %v, want [%v]", p.Bios, want)
	}
	if p.AuthorF1 != 1 || p.NoBio {
		t.Errorf("author F1 %v, no-bio %v", p.AuthorF1, p.NoBio)
	}
}

func TestEvalCreditsCommand(t *testing.T) {
	dir := t.TempDir()
	credits := filepath.Join(dir, "credits")
	pages := filepath.Join(dir, "articles", "html")
	for _, d := range []string{credits, pages} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	const page = `<html><head><title>Night buses</title></head><body><article><h1>Night buses</h1>
<p class="byline">By Ann Lee</p>
<p>The council voted on Tuesday to extend the night bus service to the eastern suburbs after a long campaign by residents.</p>
<p>The new routes start in September and the council expects three thousand passengers a week, most of them after midnight.</p>
<p>(Reporting by Ann Lee; Editing by Cy Dale)</p>
<h2>Related stories</h2><ul><li><a href="/city/2024/04/tram-line-extension-approved">Tram line extension approved</a></li></ul>
</article></body></html>`
	f, err := os.Create(filepath.Join(pages, "p1.html.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	zw.Write([]byte(page))
	zw.Close()
	f.Close()
	labels := `{"p1": {"url": "https://n.example/city/2024/05/night-buses", "authors": [{"name": "Ann Lee", "bio": ""}],
		"editors": ["Cy Dale"], "related": ["https://n.example/city/2024/04/tram-line-extension-approved",
		"https://n.example/city/2024/03/missed-one"], "related_optional": []}}`
	if err := os.WriteFile(filepath.Join(credits, "labels.json"), []byte(labels), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "eval", "--credits", credits)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"credits (all, 1 pages)", "related links: P 1.000 R 0.500 F1 0.667 (2 labelled)",
		"editors: P 1.000 R 1.000 F1 1.000 (1 labelled, 0 false)", "0 of 1 pages without a bio got one",
		"author names: token F1 1.000", "worst pages:", "missed n.example/city/2024/03/missed-one"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestEvalCreditsAuthorsOnly checks that author names from a ground truth of
// author lists (the fundus layout) are scored as eval --all and
// score_metadata.py score them: pages whose truth names nobody are left out
// of the mean, and names are case folded (NFKC), not only lower-cased.
func TestEvalCreditsAuthorsOnly(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "html")
	if err := os.MkdirAll(html, 0o755); err != nil {
		t.Fatal(err)
	}
	para := `<p>The council voted on Tuesday to extend the night bus service to the eastern suburbs after a long campaign by residents.</p>`
	for id, byline := range map[string]string{"named": "Von Jörg Straße", "unnamed": "By Cy Dale"} {
		f, err := os.Create(filepath.Join(html, id+".html.gz"))
		if err != nil {
			t.Fatal(err)
		}
		zw := gzip.NewWriter(f)
		zw.Write([]byte(`<html><head><title>Night buses</title></head><body><article><h1>Night buses</h1><p class="byline">` +
			byline + `</p>` + para + para + para + `</article></body></html>`))
		zw.Close()
		f.Close()
	}
	truth := `{"named": {"url": "https://n.example/a", "authors": ["JÖRG STRASSE"]},
		"unnamed": {"url": "https://n.example/b", "authors": []}}`
	if err := os.WriteFile(filepath.Join(dir, "ground-truth.json"), []byte(truth), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "eval", "--credits", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "credits (all, 2 pages): author names: token F1 1.000 over 1 pages with names"; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
}
