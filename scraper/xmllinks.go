package scraper

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/encoding/htmlindex"
)

// maxXMLLinks caps the URLs taken from one sitemap or feed; the sitemap
// protocol allows 50,000 per file.
const maxXMLLinks = 50_000

// errNotXMLLinks means a body is not a sitemap, sitemap index or feed.
var errNotXMLLinks = errors.New("not a sitemap or feed")

// xmlLink is a URL listed by a sitemap or a feed.
type xmlLink struct {
	loc     string
	kind    Kind
	lastMod time.Time
}

// parseXMLLinks reads a sitemap (<urlset>), sitemap index (<sitemapindex>),
// RSS 2.0 (<rss>), RSS 1.0 (<rdf:RDF>) or Atom (<feed>) document, gzipped
// or not, and returns the root element name and the listed URLs (as written,
// unresolved). Namespaces are ignored (elements match by local name), and the
// decoder is lenient (HTML entities, unquoted attributes; no auto-closing, as RSS <link> is not HTML's void <link>), so real-world feeds
// parse. A syntax error part-way returns the links found so far with the
// error. Decompression stops after limit bytes, so a gzip bomb costs at most
// limit bytes of memory.
func parseXMLLinks(body []byte, limit int64) (root string, links []xmlLink, err error) {
	if len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return "", nil, fmt.Errorf("sitemap gzip: %w", err)
		}
		body, err = io.ReadAll(io.LimitReader(zr, limit))
		if err != nil && len(body) == 0 {
			return "", nil, fmt.Errorf("sitemap gzip: %w", err)
		}
	}
	trimmed := bytes.TrimLeft(trimBOM(body), " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '<' {
		return "", nil, errNotXMLLinks
	}

	d := xml.NewDecoder(bytes.NewReader(trimmed))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		e, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("charset %q: %w", label, err)
		}
		return e.NewDecoder().Reader(r), nil
	}

	var (
		item    bool            // inside <url>, <sitemap>, <item> or <entry>
		field   string          // the element whose text is collected: loc, link, lastmod
		text    strings.Builder // its text
		cur     xmlLink
		itemTag string
	)
	for len(links) < maxXMLLinks {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			if root == "" {
				return "", nil, errNotXMLLinks
			}
			return root, links, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if root == "" {
				root = name
				switch root {
				case "urlset", "sitemapindex", "rss", "rdf", "feed":
				default:
					return root, nil, errNotXMLLinks
				}
				continue
			}
			switch {
			case !item && (name == "url" || name == "sitemap" || name == "item" || name == "entry"):
				item, itemTag, cur = true, name, xmlLink{kind: KindPage}
				if name == "sitemap" {
					cur.kind = KindSitemap
				}
				if name == "item" && root == "rdf" {
					for _, a := range t.Attr {
						if strings.EqualFold(a.Name.Local, "about") {
							cur.loc = strings.TrimSpace(a.Value)
						}
					}
				}
			case item && name == "link" && root == "feed":
				// Atom: <link href="…" rel="alternate"/>; rel defaults to alternate.
				var href, rel string
				for _, a := range t.Attr {
					switch strings.ToLower(a.Name.Local) {
					case "href":
						href = a.Value
					case "rel":
						rel = strings.ToLower(strings.TrimSpace(a.Value))
					}
				}
				if href != "" && (rel == "" || rel == "alternate") && cur.loc == "" {
					cur.loc = strings.TrimSpace(href)
				}
			case item && (name == "loc" || name == "link" || name == "lastmod" || name == "updated" || name == "pubdate"):
				field = name
				text.Reset()
			}
		case xml.CharData:
			if field != "" && text.Len() < 8192 {
				text.Write(t)
			}
		case xml.EndElement:
			name := strings.ToLower(t.Name.Local)
			if field != "" && name == field {
				v := strings.TrimSpace(text.String())
				switch field {
				case "loc", "link":
					if cur.loc == "" {
						cur.loc = v
					}
				case "lastmod", "updated", "pubdate":
					if cur.lastMod.IsZero() {
						cur.lastMod = parseLastMod(v)
					}
				}
				field = ""
			}
			if item && name == itemTag {
				if cur.loc != "" {
					links = append(links, cur)
				}
				item, itemTag = false, ""
			}
		}
	}
	return root, links, nil
}

// parseLastMod accepts the W3C datetime forms sitemaps use and the RFC 1123
// dates of RSS; it returns the zero time for anything else.
func parseLastMod(s string) time.Time {
	for _, layout := range []string{
		time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02", "2006-01", "2006",
		time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
