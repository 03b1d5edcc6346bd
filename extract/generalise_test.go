package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestParseLocalDate(t *testing.T) {
	for in, want := range map[string]string{
		"12. März 2024, 10:00 Uhr":            "2024-03-12",
		"3 de mayo de 2023":                   "2023-05-03",
		"2024年5月3日 10:15":                     "2024-05-03",
		"2024년 5월 3일 오후 3:00":                 "2024-05-03",
		"Publié le 7 juillet 2023 à 18h05":    "2023-07-07",
		"5 марта 2024 г.":                     "2024-03-05",
		"Aggiornato il 21 settembre 2022":     "2022-09-21",
		"12 Mart 2024 Salı":                   "2024-03-12",
		"Opublikowano: 3 października 2025":   "2025-10-03",
		"September 15th, 2021":                "2021-09-15",
		"12.03.2024 um 08:15":                 "2024-03-12",
		"31/12/2024":                          "2024-12-31",
		"12/31/2024":                          "2024-12-31",
		"03/04/2024":                          "", // either way round: no guess
		"١٥ مارس ٢٠٢٤":                        "2024-03-15",
		"Seite 3 von 12":                      "",
		"The 12 apostles met in 2024 on time": "",
	} {
		if got := parseLocalDate(in); got != want {
			t.Errorf("parseLocalDate(%q) = %q, want %q", in, got, want)
		}
	}
	for line, want := range map[string]bool{
		"Veröffentlicht am 12. März 2024, 10:00 Uhr": true,
		"Mis à jour le 7 juillet 2023 à 18h05":       true,
		"2024年5月3日 10:15":                            true,
		"Die Regierung hat am 12. März 2024 beschlossen, die Steuern zu senken, sagte der Minister": false,
	} {
		if got := isDateline(line); got != want {
			t.Errorf("isDateline(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestCountCommas(t *testing.T) {
	for in, want := range map[string]int{
		"a, b, c":                 2,
		"551,88€ und 17,99€":      0, // decimal commas
		"東京、大阪、名古屋":               2,
		"北京，上海":                   1,
		"القاهرة، الإسكندرية":     1,
		"1,000 people, they said": 1, // a thousands separator is no clause
	} {
		if got := countCommas(in, true); got != want {
			t.Errorf("countCommas(%q) = %d, want %d", in, got, want)
		}
	}
	if got := countCommas("551,88€, 東京、", false); got != 2 {
		t.Errorf("countCommas(ASCII only) = %d, want 2", got)
	}
}

func TestBylineCues(t *testing.T) {
	for line, want := range map[string]string{
		"Von Anna Schmidt":           "Anna Schmidt",
		"Par Jean Dupont":            "Jean Dupont",
		"Por Ana Pérez y Luis Gómez": "Ana Pérez, Luis Gómez",
		"Autor: Jan Kowalski":        "Jan Kowalski",
		"Door Pieter de Vries":       "Pieter de Vries",
		"By Jo Doe":                  "Jo Doe",
	} {
		if got := strings.Join(cleanByline(line), ", "); got != want {
			t.Errorf("cleanByline(%q) = %q, want %q", line, got, want)
		}
	}
	for v, want := range map[string]bool{"admin": true, "Redaktion": true, "City News": true, "Ann Lee": false} {
		if got := genericCredit(v, "City News"); got != want {
			t.Errorf("genericCredit(%q) = %v, want %v", v, got, want)
		}
	}
}

const germanPara = "Die Stadt hat am Montag den neuen Haushalt beschlossen, nach einer langen Debatte im Rat. " +
	"Für Schulen gibt es vier Prozent mehr Geld, während der Etat für Straßen gleich bleibt. "

// TestBodyLocalCues checks a German page: the dateline above the text gives
// the date and leaves the body, the "Von" line gives the byline and leaves
// the body.
func TestBodyLocalCues(t *testing.T) {
	page := `<html><head><title>Haushalt beschlossen</title></head><body><article><h1>Haushalt beschlossen</h1>` +
		`<p>Von Anna Schmidt</p><p>12. März 2024, 10:00 Uhr</p>` +
		strings.Repeat("<p>"+germanPara+"</p>", 4) + `</article></body></html>`
	ex := New(nil)
	a, err := ex.Extract("https://zeitung.example/haushalt", nil, []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if a.PublishedAt != "2024-03-12" {
		t.Errorf("published = %q, want 2024-03-12", a.PublishedAt)
	}
	if a.Byline != "Von Anna Schmidt" || len(a.Authors) != 1 || a.Authors[0].Name != "Anna Schmidt" {
		t.Errorf("byline %q, authors %+v", a.Byline, a.Authors)
	}
	if strings.Contains(a.BodyText, "Von Anna") || strings.Contains(a.BodyText, "10:00 Uhr") {
		t.Errorf("credit lines left in the body:\n%s", a.BodyText)
	}
}

// TestGenericCreditGivesWay checks that a CMS account declared as the author
// does not stand for the byline the page prints.
func TestGenericCreditGivesWay(t *testing.T) {
	page := `<html><head><title>Budget</title><meta name="author" content="admin"></head><body><article><h1>Budget</h1>` +
		`<p>By Jane Roe</p>` + strings.Repeat("<p>"+germanPara+"</p>", 4) + `</article></body></html>`
	a, err := New(nil).Extract("https://news.example/budget", nil, []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if a.Byline != "By Jane Roe" {
		t.Errorf("byline = %q, want the printed one", a.Byline)
	}
}

// TestBodyGrow checks an article whose lede sits in a class-hinted box and
// whose other paragraphs are each wrapped apart (between ads, in a page
// builder's blocks): the whole text is kept, not only the hinted box.
func TestBodyGrow(t *testing.T) {
	const other = "Der Rat tagte bis in die Nacht, und die Opposition kritisierte die Pläne scharf, doch ohne jeden Erfolg bei der Abstimmung. "
	var parts strings.Builder
	for i := 0; i < 6; i++ {
		parts.WriteString(`<div class="block"><div class="inner"><p>` + other + `</p></div></div>`)
	}
	page := `<html><head><title>Haushalt</title></head><body><article><h1>Haushalt</h1><div class="wrap">` +
		`<div class="story-text"><p>` + germanPara + `</p><p>` + germanPara + `</p></div>` + parts.String() +
		`</div></article></body></html>`
	for _, tc := range []struct {
		name string
		off  []Heuristic
		want int
	}{
		{"grow", nil, 6},
		{"without grow", []Heuristic{HeurGrow}, 0},
	} {
		ex, err := New(nil).Without(tc.off...)
		if err != nil {
			t.Fatal(err)
		}
		a, err := ex.Extract("https://zeitung.example/haushalt", nil, []byte(page))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(a.BodyText, "Der Rat tagte"); n != tc.want || !strings.Contains(a.BodyText, "Die Stadt") {
			t.Errorf("%s: body holds %d of the 6 wrapped paragraphs, want %d:\n%s", tc.name, n, tc.want, a.BodyText)
		}
	}
}

// TestBodyDeclaredWhole checks a paywalled page: the visible teaser opens the
// JSON-LD articleBody, which is taken instead.
func TestBodyDeclaredWhole(t *testing.T) {
	rest := strings.Repeat("Der Rest des Artikels steht hinter der Bezahlschranke und wird nur erklärt. ", 8)
	page := `<html><head><title>Haushalt</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"Haushalt",` +
		`"articleBody":"` + germanPara + rest + `"}</script></head><body><article><h1>Haushalt</h1><p>` + germanPara +
		`</p><p>Jetzt weiterlesen mit Abo</p></article></body></html>`
	a, err := New(nil).Extract("https://zeitung.example/haushalt", nil, []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.BodyText, "Bezahlschranke") || a.Sources["body_text"] != SourceJSONLD {
		t.Errorf("body (%s) = %q", a.Sources["body_text"], a.BodyText)
	}
	off, err := New(nil).Without(HeurLDBody)
	if err != nil {
		t.Fatal(err)
	}
	if a, err = off.Extract("https://zeitung.example/haushalt", nil, []byte(page)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.BodyText, "Bezahlschranke") {
		t.Errorf("without ld-body the declared text was taken: %q", a.BodyText)
	}
}

func TestWithout(t *testing.T) {
	ex := New(nil)
	if _, err := ex.Without("no-such-rule"); err == nil {
		t.Error("Without accepted an unknown heuristic")
	}
	off, err := ex.Without(HeurGrow, HeurLDBody)
	if err != nil {
		t.Fatal(err)
	}
	if off.off.on(HeurGrow) || !off.off.on(HeurCousins) || !ex.off.on(HeurGrow) {
		t.Error("Without switched the wrong heuristics, or changed its receiver")
	}
}

// TestHintCap checks that a class name alone does not make a small box the
// best candidate: the hint can double a candidate's paragraph score, not
// replace it.
func TestHintCap(t *testing.T) {
	page := `<html><head><title>Haushalt</title></head><body><div class="article-note"><p>Jetzt testen, zwei Monate für 1 Euro.</p></div>` +
		`<div class="x"><p>` + germanPara + `</p><p>` + germanPara + `</p><p>` + germanPara + `</p></div></body></html>`
	for _, tc := range []struct {
		name string
		off  heuristicSet
		want string
	}{{"capped", nil, "x"}, {"uncapped", heuristicSet{HeurHintDamping: true}, "article-note"}} {
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		var body *html.Node
		var find func(*html.Node)
		find = func(n *html.Node) {
			if n.Type == html.ElementNode && n.DataAtom == atom.Body {
				body = n
			}
			for c := n.FirstChild; c != nil && body == nil; c = c.NextSibling {
				find(c)
			}
		}
		find(doc)
		s := newScorer(false, tc.off)
		s.visit(body, nil)
		roots := s.bestRoots()
		if len(roots) == 0 {
			t.Fatalf("%s: no candidate", tc.name)
		}
		var top *html.Node
		best := 0.0
		for _, c := range s.cands {
			if f := s.final(c); top == nil || f > best {
				top, best = c, f
			}
		}
		if got := attr(top, "class"); got != tc.want {
			t.Errorf("%s: best candidate %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestCousinsByComponent checks an article split into blocks of one
// component whose modifier classes differ: every block is kept.
func TestCousinsByComponent(t *testing.T) {
	var b strings.Builder
	for i, mod := range []string{"RichText--first", "", "RichText--last lg:w-8/12"} {
		b.WriteString(`<div class="slot"><div class="RichText ` + mod + `"><p>` + germanPara + `</p><p>Absatz ` +
			string(rune('A'+i)) + `: ` + germanPara + `</p></div></div><div class="more"><a href="/a">Mehr zum Thema: Was der Haushalt für Familien bedeutet</a></div>`)
	}
	page := `<html><head><title>Haushalt</title></head><body><main><article>` + b.String() + `</article></main></body></html>`
	a, err := New(nil).Extract("https://zeitung.example/haushalt", nil, []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Absatz A", "Absatz B", "Absatz C"} {
		if !strings.Contains(a.BodyText, want) {
			t.Errorf("body lacks %q:\n%s", want, a.BodyText)
		}
	}
	if got := componentClass(&html.Node{Attr: []html.Attribute{{Key: "class", Val: "  RichText RichText--last"}}}); got != "RichText" {
		t.Errorf("componentClass = %q", got)
	}
}

func TestLocalBoilerplate(t *testing.T) {
	for line, want := range map[string]bool{
		"Anzeige": true, "Publicité": true, "Lesen Sie auch: Der Haushalt im Überblick": true, "広告": true, "関連記事：地震の情報": true,
		"Czytaj więcej": false, // a header standing alone can be text
		"Reklama wróciła do telewizji w poniedziałek, po przerwie.": false,
		"Die Anzeige wurde am Montag erstattet.":                    false,
	} {
		if got := localBoilerplate(line); got != want {
			t.Errorf("localBoilerplate(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestLocalClassWords(t *testing.T) {
	for name, want := range map[string]bool{"artikel-werbung": true, "bloc-partage": true, "commenti": true, "artikel-text": false} {
		if got := furnitureName(name); got != want {
			t.Errorf("furnitureName(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestDateNearHeadline checks the printed date of a page without date
// metadata: the date-named element nearest the headline, not a teaser's.
func TestDateNearHeadline(t *testing.T) {
	page := `<html><head><title>Haushalt</title></head><body><div class="teaser"><span class="date">24.04.2023</span> Anderes</div>` +
		`<article><h1>Haushalt</h1><div class="meta_date">erstellt am 28.04.2023</div>` +
		strings.Repeat("<p>"+germanPara+"</p>", 3) + `<ul><li><span class="date">26.04.2023</span> Mehr</li></ul></article></body></html>`
	a, err := New(nil).Extract("https://zeitung.example/haushalt", nil, []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if a.PublishedAt != "2023-04-28" {
		t.Errorf("published = %q, want 2023-04-28", a.PublishedAt)
	}
	var words []string
	classWords("metaDate_published2", func(w string) { words = append(words, w) })
	if got := strings.Join(words, " "); got != "meta date published" {
		t.Errorf("classWords = %q", got)
	}
}

// TestHeadlineArticle checks an infinite-scroll page: the next story,
// appended in its own <article> and longer, is not the page's article.
func TestHeadlineArticle(t *testing.T) {
	const next = "Der Verein gewann am Sonntag das Derby, nach einem späten Tor in der Nachspielzeit, vor vollem Haus. "
	page := `<html><head><title>Haushalt beschlossen</title></head><body><main>` +
		`<article><h1>Haushalt beschlossen</h1><div class="bodytext"><p>` + germanPara + `</p><p>` + germanPara + `</p></div></article>` +
		`<article><h2>Derby gewonnen</h2><div class="bodytext">` + strings.Repeat("<p>"+next+"</p>", 6) + `</div></article>` +
		`</main></body></html>`
	for _, tc := range []struct {
		name string
		off  []Heuristic
		want bool
	}{{"headline", nil, false}, {"without", []Heuristic{HeurHeadlineArticle}, true}} {
		ex, err := New(nil).Without(tc.off...)
		if err != nil {
			t.Fatal(err)
		}
		a, err := ex.Extract("https://zeitung.example/haushalt", nil, []byte(page))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(a.BodyText, "Derby"); got != tc.want || (!tc.want && !strings.Contains(a.BodyText, "Die Stadt")) {
			t.Errorf("%s: next story in the body %v, want %v:\n%s", tc.name, got, tc.want, a.BodyText)
		}
	}
}
