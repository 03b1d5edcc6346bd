package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCredits runs the generic layer over hand-made pages in several
// languages (testdata/credits): editor credits in wire, magazine and blog
// styles, author bios from boxes and taglines, and further-reading blocks.
// The footer of every page carries a masthead ("Editor-in-chief: …") that
// must never become an editor.
func TestCredits(t *testing.T) {
	const base = "https://www.harbour-times.example/city/2024/05/night-buses-eastern-suburbs"
	for _, tc := range []struct {
		file    string
		editors []string // names, in order
		authors []string
		bio     string // the first author's bio; "" for none
		related []string
		body    string // a text the body must not hold
	}{
		{file: "wire-en.html", editors: []string{"Cy Dale", "Di Eve"}, authors: []string{"Ann Lee", "Bo Chan"}, body: "Editing by"},
		{file: "wire-commas-en.html", editors: []string{"Cy Dale"}, authors: []string{"Ann Lee"}, body: "editing by"},
		{file: "magazine-en.html", editors: []string{"Fiona Grey"}, authors: []string{"Ann Lee"}, body: "Edited by"},
		{file: "blog-en.html", editors: []string{"Hank Moss"}, authors: []string{"Ann Lee"}, body: "Editor:"},
		{file: "redigiert-de.html", editors: []string{"Tobias Wendt"}, authors: []string{"Jana Krüger"}, body: "Redigiert"},
		{file: "redaktion-de.html", editors: []string{"Petra Albers"}, authors: []string{"Jana Krüger"}, body: "Redaktion:"},
		{file: "edite-fr.html", editors: []string{"Marc Lefèvre"}, authors: []string{"Claire Dubois"}, body: "Édité par"},
		{file: "edicion-es.html", editors: []string{"Pablo Ortega"}, authors: []string{"Lucía Romero"}, body: "Edición:"},
		{file: "acura-it.html", editors: []string{"Marco Conti"}, authors: []string{"Giulia Bianchi"}, body: "A cura di"},
		{file: "bio-box-en.html", authors: []string{"Ann Lee"},
			bio: "Ann Lee covers transport and city planning for the Harbour Times. She joined the paper in 2019 from a local radio station."},
		{file: "bio-tagline-en.html", authors: []string{"Ann Lee"}, bio: "Ann Lee is a transport reporter at the Harbour Times."},
		{file: "bio-box-de.html", authors: []string{"Jana Krüger"}, bio: "Jana Krüger schreibt seit 2015 über Verkehr und Stadtentwicklung."},
		{file: "bio-box-es.html", authors: []string{"Lucía Romero"},
			bio: "Lucía Romero es periodista de la sección de ciudad y cubre transporte desde 2018."},
		{file: "staff-en.html", authors: []string{"Ann Lee"}}, // "Staff Writer" is a title, not a bio
		{file: "related-en.html", authors: []string{"Ann Lee"}, related: []string{
			"https://www.harbour-times.example/city/2024/04/tram-line-extension-approved",
			"https://www.harbour-times.example/city/2024/03/bus-fares-frozen-for-a-year"}},
		{file: "related-de.html", authors: []string{"Jana Krüger"}, related: []string{
			"https://www.harbour-times.example/stadt/2024/04/strassenbahn-wird-verlaengert",
			"https://www.harbour-times.example/stadt/2024/03/fahrpreise-bleiben-stabil"}},
		{file: "related-fr.html", authors: []string{"Claire Dubois"}, related: []string{
			"https://www.harbour-times.example/ville/2024/04/le-tramway-prolonge-jusqu-au-port",
			"https://www.harbour-times.example/ville/2024/03/les-tarifs-de-bus-geles"}},
		{file: "related-ru.html", authors: []string{"Ann Lee"}, related: []string{
			"https://www.harbour-times.example/city/2024/04/tramvai-do-porta"}},
		{file: "related-ja.html", authors: []string{"Ann Lee"}, related: []string{
			"https://www.harbour-times.example/city/2024/04/tram-extension-1234"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			page, err := os.ReadFile(filepath.Join("testdata", "credits", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			a, err := New(nil).Extract(base, nil, page)
			if err != nil {
				t.Fatal(err)
			}
			var eds, names, rel []string
			for _, e := range a.Editors {
				eds = append(eds, e.Name)
			}
			for _, au := range a.Authors {
				names = append(names, au.Name)
			}
			for _, l := range a.Related {
				rel = append(rel, l.URL)
				if l.Title == "" {
					t.Errorf("related %s has no title", l.URL)
				}
			}
			if got, want := strings.Join(eds, "|"), strings.Join(tc.editors, "|"); got != want {
				t.Errorf("editors = %q, want %q", got, want)
			}
			if got, want := strings.Join(names, "|"), strings.Join(tc.authors, "|"); got != want {
				t.Errorf("authors = %q, want %q", got, want)
			}
			bio := ""
			if len(a.Authors) > 0 {
				bio = a.Authors[0].Bio
			}
			if bio != tc.bio {
				t.Errorf("bio = %q, want %q", bio, tc.bio)
			}
			if got, want := strings.Join(rel, " "), strings.Join(tc.related, " "); got != want {
				t.Errorf("related = %q, want %q", got, want)
			}
			if tc.body != "" && strings.Contains(a.BodyText, tc.body) {
				t.Errorf("body holds the credit %q:\n%s", tc.body, a.BodyText)
			}
			if !a.IsArticle {
				t.Error("is_article = false")
			}
		})
	}
}
