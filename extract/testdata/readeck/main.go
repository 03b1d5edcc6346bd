// Command readeckbench extracts each FILE with readeck/go-readability v2 and
// prints one JSON record per line, as `newsarchive extract --json` does.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
)

type record struct {
	URL       string `json:"url"`
	Title     string `json:"title"`
	Byline    string `json:"byline"`
	SiteName  string `json:"site_name"`
	Language  string `json:"language"`
	Image     string `json:"image"`
	Published string `json:"published_at"`
	Excerpt   string `json:"description"`
	BodyText  string `json:"body_text"`
	BodyHTML  string `json:"body_html"`
}

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	u, _ := url.Parse("https://example.com/article")
	fails := 0
	for _, path := range os.Args[1:] {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			fails++
			continue
		}
		a, err := readability.FromReader(f, u)
		f.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, path+":", err)
			fails++
			continue
		}
		var text, markup strings.Builder
		_ = a.RenderText(&text)
		_ = a.RenderHTML(&markup)
		r := record{URL: u.String(), Title: a.Title(), Byline: a.Byline(), SiteName: a.SiteName(),
			Language: a.Language(), Image: a.ImageURL(), Excerpt: a.Excerpt(),
			BodyText: text.String(), BodyHTML: markup.String()}
		if t, err := a.PublishedTime(); err == nil {
			r.Published = t.Format("2006-01-02T15:04:05Z07:00")
		}
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if fails > 0 {
		os.Exit(3)
	}
}
