package extract

import (
	"strings"
	"testing"
)

// authorPage is a short article with head and body markup of a test's own.
func authorPage(head, body string) []byte {
	const para = `<p>The council voted on Tuesday to approve the new budget for the coming year, after a long debate. ` +
		`Members of the public spoke for and against the plan, which raises spending on roads and schools.</p>`
	return []byte(`<html><head><title>Budget approved</title>` + head + `</head><body><article><h1>Budget approved</h1>` +
		body + para + para + para + `</article></body></html>`)
}

func authorNames(t *testing.T, pageURL string, page []byte) []string {
	t.Helper()
	a, err := New(nil).Extract(pageURL, nil, page)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, au := range a.Authors {
		names = append(names, au.Name)
	}
	return names
}

func ldOrg(name string) string {
	return `<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Organization","name":"` + name + `"}}</script>`
}

// TestHouseCreditGivesWay checks that a declared author naming the
// publication itself (its site name, its host, an address at its host) gives
// way to a person the page declares or prints, and stays when the page names
// nobody who reads as a person.
func TestHouseCreditGivesWay(t *testing.T) {
	for _, tc := range []struct {
		name, url, head, body string
		want                  []string
	}{
		{"de: site-name organisation, person in meta", "https://rheinblatt.example/a",
			`<meta property="og:site_name" content="Rheinblatt">` + ldOrg("Rheinblatt") + `<meta name="author" content="Lena Vogt">`, ``,
			[]string{"Lena Vogt"}},
		{"es: host as author, printed Por line", "https://www.elcorreo.example/a",
			`<meta name="author" content="elcorreo.example">`, `<p>Por Ana Pérez Gil</p>`,
			[]string{"Ana Pérez Gil"}},
		{"pl: host label in capitals, byline element", "https://gazeta.example/a",
			ldOrg("GAZETA.example"), `<p class="byline">Marta Nowak</p>`,
			[]string{"Marta Nowak"}},
		{"fr: address at the host, printed Par line", "https://lejournal.example/a",
			`<meta name="author" content="c.martin@lejournal.example">`, `<p>Par Claire Martin</p>`,
			[]string{"Claire Martin"}},
		{"ja: site-name organisation, byline element", "https://hinode.example/a",
			`<meta property="og:site_name" content="日の出新聞">` + ldOrg("日の出新聞"), `<span class="author">山田太郎</span>`,
			[]string{"山田太郎"}},
		{"en: a section label is no person", "https://dailyclarion.example/a",
			`<meta property="og:site_name" content="Daily Clarion">` + ldOrg("Daily Clarion"), `<span class="author">Sport</span>`,
			[]string{"Daily Clarion"}},
		{"en: the house with a place is still the house", "https://dailyclarion.example/a",
			`<meta property="og:site_name" content="Daily Clarion">` + ldOrg("Daily Clarion") +
				`<meta name="author" content="dailyclarion.example, Springfield, Ohio">`, ``,
			[]string{"Daily Clarion"}},
		{"nl: house organisation, person in Dublin Core", "https://dekrant.example/a",
			ldOrg("dekrant.example") + `<meta name="DC.creator" content="Pieter de Vries">`, ``,
			[]string{"Pieter de Vries"}},
		{"de: a brand label in the author box is passed over", "https://wochenblick.example/a",
			ldOrg("WOCHENBLICK.example"),
			`<div class="info"><span class="author-brand">geld</span><ul><li class="author-item"><span>von</span> <span>Jana Lindqvist</span></li></ul></div>`,
			[]string{"Jana Lindqvist"}},
		{"de: a von line beside the date in one short box", "https://rbz.example/a",
			`<meta name="author" content="RBZ">`,
			`<div class="reader"><p class="info">von <a href="/autoren/eva-roth">Dr. Eva Roth</a></p><p class="info">20.10.2025</p></div>`,
			[]string{"Dr. Eva Roth"}},
		{"de: gendered Autorin/Autor label in a fact list", "https://rundfunk.example/a",
			`<meta name="author" content="Rundfunk (www.rundfunk.example)">`,
			`<ul class="facts"><li><strong>Datum</strong> 28.04.2023</li><li><strong>Autorin/Autor</strong> Jan Nowak</li></ul>`,
			[]string{"Jan Nowak"}},
		{"en: a person beside the house is no house credit", "https://riverpost.example/a",
			`<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person","name":"Ruth K. Adler, Riverpost.example"}}</script>` +
				`<meta property="article:author" content="Ruth Adler">`, ``,
			[]string{"Ruth K. Adler"}},
		{"de: a printed house credit with a signing code yields to the declared person", "https://rheinblatt.example/a",
			`<meta property="og:site_name" content="Rheinblatt">` +
				`<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person","name":"Lena Vogt"},{"@type":"Organization","name":"Rheinblatt"}]}</script>`,
			`<p>Von Rheinblatt, lvo</p>`,
			[]string{"Lena Vogt"}},
		{"es: signing codes alone are no house credit", "https://eldiario.example/a",
			`<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Person","name":"Ana Gil"}}</script>`,
			`<p>Por agl</p>`,
			[]string{"agl"}},
		{"en: a bold signature at the top of the text", "https://maluti.example/a",
			`<meta property="og:site_name" content="Maluti Post">` + ldOrg("Maluti Post"),
			`<p><strong>Thabo Mokoena/Lerato Nthati</strong></p>`,
			[]string{"Thabo Mokoena", "Lerato Nthati"}},
		{"en: a bold sentence is no signature", "https://maluti.example/a",
			`<meta property="og:site_name" content="Maluti Post">` + ldOrg("Maluti Post"),
			`<p><strong>Read the full report here</strong></p>`,
			[]string{"Maluti Post"}},
		{"en: share buttons are no person", "https://valleytimes.example/a",
			`<meta property="og:site_name" content="Valley Times">` + ldOrg("Valley Times"),
			`<div class="author">Twitter Facebook</div>`,
			[]string{"Valley Times"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := authorNames(t, tc.url, authorPage(tc.head, tc.body))
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("authors = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestHostCredit(t *testing.T) {
	for _, tc := range []struct {
		name, host string
		want       bool
	}{
		{"Abendpost (www.abendpost.example)", "abendpost.example", true},
		{"ABENDPOST.de", "abendpost.example", true},
		{"Ab-Endpost NACHRICHTEN", "abendpost.example", true},
		{"Abendpost Redaktion", "abendpost.example", false}, // a desk: genericCredit's job, not the host's
		{"Abendpost Meier", "abendpost.example", false},
		{"Anna Meier", "abendpost.example", false},
		{"Anna", "", false},
	} {
		if got := hostCredit(tc.name, tc.host); got != tc.want {
			t.Errorf("hostCredit(%q, %q) = %v, want %v", tc.name, tc.host, got, tc.want)
		}
	}
}

func TestGenderedAuthorCues(t *testing.T) {
	for line, want := range map[string]string{
		"Autorin/Autor Jan Nowak": "Jan Nowak",
		"Autor*in Kim Berger":     "Kim Berger",
		"Autor:in Kim Berger":     "Kim Berger",
		"Autorin: Eva Roth":       "Eva Roth",
	} {
		if got := strings.Join(cleanByline(line), ", "); got != want {
			t.Errorf("cleanByline(%q) = %q, want %q", line, got, want)
		}
	}
}

// TestNameParts checks how a credit's parts are made names: the signing
// code after a name, a role after a Korean or Japanese name, a description
// of the author, the sections a story is filed under, "and" in several
// languages.
func TestNameParts(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"Von Karin Huber (kh) und Beat Moser (bmo.)", "Karin Huber|Beat Moser"},
		{"김민수 기자", "김민수"},
		{"山田太郎記者", "山田太郎"},
		{"Jonas Petraitis, Vilniaus universiteto teisės fakulteto docentas", "Jonas Petraitis"},
		{"By Ann Lee, in World, Politics, Business", "Ann Lee"},
		{"Door Sanne Bakker en Joost de Wit", "Sanne Bakker|Joost de Wit"},
		{"Av Kari Nordmann og Ola Hansen", "Kari Nordmann|Ola Hansen"},
		{"di Marco Rossi e Luca Bianchi", "Marco Rossi|Luca Bianchi"},
		{"Ayşe Demir ve Mehmet Kaya", "Ayşe Demir|Mehmet Kaya"},
		{"Ludwig van der Rohe", "Ludwig van der Rohe"},                    // particles stay
		{"Kari Nordmann og Ola de Hansen", "Kari Nordmann|Ola de Hansen"}, // declared as one name
		{"Procter & Gamble", "Procter & Gamble"},
		{"Ministry of Health and Welfare", "Ministry of Health and Welfare"},
		{"Ann Lee (AFP)", "Ann Lee (AFP)"}, // an agency is no signing code
	} {
		in := cleanByline(tc.line)
		if !strings.ContainsAny(tc.line, ",(") && !reBylineCue.MatchString(tc.line) {
			in = []string{tc.line} // a name as declared, not a printed line
		}
		got := strings.Join(refineNames(in, nil), "|")
		if got != tc.want {
			t.Errorf("names of %q = %q, want %q", tc.line, got, tc.want)
		}
	}
}

// TestSignatureAtEnd checks a Vietnamese article signed in bold after its
// last paragraph, whose metadata credits only the site.
func TestSignatureAtEnd(t *testing.T) {
	para := `<p>` + strings.Repeat("Thành phố đã thông qua ngân sách mới sau một cuộc tranh luận dài trong hội đồng. ", 3) + `</p>`
	page := `<html><head><title>Ngân sách</title><meta name="author" content="TinMoi"></head><body><article><h1>Ngân sách</h1>` +
		para + para + para + `<p style="text-align:right"><strong>Trần Minh Anh</strong></p></article></body></html>`
	got := authorNames(t, "https://tinmoi.example/a", []byte(page))
	if strings.Join(got, "|") != "Trần Minh Anh" {
		t.Errorf("authors = %q, want the signature", got)
	}
}

// TestHouseBylineLine checks that the byline line, like the names, is the
// printed credit when the declared one is only the site's host.
func TestHouseBylineLine(t *testing.T) {
	page := authorPage(`<meta name="author" content="talblatt.example">`, `<p class="author">von Anna Kurz, Talblatt Thüringen</p>`)
	a, err := New(nil).Extract("https://www.talblatt.example/a", nil, page)
	if err != nil {
		t.Fatal(err)
	}
	if a.Byline != "von Anna Kurz, Talblatt Thüringen" {
		t.Errorf("byline = %q, want the printed line", a.Byline)
	}
}
