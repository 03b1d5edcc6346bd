package extract

import (
	"bytes"
	"encoding/json"
	"html"
	"strings"
)

// ldArticle holds the fields read from a page's JSON-LD article object.
type ldArticle struct {
	found       bool   // an article-typed object was found
	headline    string // headline, else name
	name        string // name, when it differs from headline
	description string
	authors     []ldPerson
	published   string
	modified    string
	keywords    []string
	image       string
	publisher   string
	language    string
	url         string
	body        string
}

type ldPerson struct {
	name, url string
	person    bool
}

var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "blogposting": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "opinionnewsarticle": true, "reviewnewsarticle": true,
	"backgroundnewsarticle": true, "askpublicrisknewsarticle": true, "satiricalarticle": true,
	"scholarlyarticle": true, "techarticle": true, "report": true, "liveblogposting": true,
	"socialmediaposting": true, "posting": true, "medicalscholarlyarticle": true,
	"advertisercontentarticle": true, "discussionforumposting": true,
}

// parseJSONLD reads the scripts' objects and returns the first article-typed one
// (searching @graph, arrays and mainEntity), tolerating the broken JSON that
// sites publish: HTML comments and CDATA wrappers, raw control characters in
// strings, trailing commas, several objects in one script, entity-escaped text.
func parseJSONLD(scripts []string) ldArticle {
	var objs []map[string]any
	for _, s := range scripts {
		if !mayHoldArticle(s) {
			continue // breadcrumbs, organisation, search box: not worth decoding
		}
		for _, v := range decodeLenient(s) {
			collectObjects(v, &objs, 0)
		}
	}
	if len(objs) == 0 {
		return ldArticle{}
	}
	byID := make(map[string]map[string]any)
	for _, o := range objs {
		if id, ok := o["@id"].(string); ok && id != "" {
			if _, dup := byID[id]; !dup || len(o) > len(byID[id]) {
				byID[id] = o
			}
		}
	}
	var art, web map[string]any
	for _, o := range objs {
		if hasType(o, articleTypes) {
			art = o
			break
		}
		if web == nil && hasType(o, map[string]bool{"webpage": true, "itempage": true}) {
			web = o
		}
	}
	if art == nil {
		if web == nil {
			return ldArticle{}
		}
		// A WebPage's mainEntity may be the article, by value or by reference.
		if me := deref(web["mainEntity"], byID); me != nil && hasType(me, articleTypes) {
			art = me
		} else {
			// A page that is not declared an article may still credit its
			// author (WordPress's Yoast graph does).
			return ldArticle{authors: ldAuthors(web["author"], byID)}
		}
	}
	a := ldArticle{found: true}
	a.headline = ldString(art["headline"])
	if n := ldString(art["name"]); n != a.headline {
		a.name = n
	}
	if a.headline == "" {
		a.headline, a.name = a.name, ""
	}
	a.description = ldString(art["description"])
	a.published = ldString(art["datePublished"])
	if a.published == "" {
		a.published = ldString(art["dateCreated"])
	}
	a.modified = ldString(art["dateModified"])
	a.keywords = ldKeywords(art["keywords"])
	a.image = ldImage(art["image"], byID)
	if a.image == "" {
		a.image = ldImage(art["thumbnailUrl"], byID)
	}
	if pub := deref(art["publisher"], byID); pub != nil {
		a.publisher = ldString(pub["name"])
	} else {
		a.publisher = ldString(art["publisher"])
	}
	a.language = ldString(art["inLanguage"])
	a.url = ldString(art["url"])
	if a.url == "" {
		if me := deref(art["mainEntityOfPage"], byID); me != nil {
			a.url = ldString(me["@id"])
			if a.url == "" {
				a.url = ldString(me["url"])
			}
		} else {
			a.url = ldString(art["mainEntityOfPage"])
		}
	}
	a.body = ldString(art["articleBody"])
	a.authors = ldAuthors(art["author"], byID)
	if len(a.authors) == 0 {
		a.authors = ldAuthors(art["creator"], byID)
	}
	return a
}

// mayHoldArticle is a cheap test for the type names parseJSONLD looks for.
func mayHoldArticle(s string) bool {
	for _, k := range []string{"Article", "article", "ARTICLE", "Posting", "posting", "Report", "report",
		"@graph", "WebPage", "webpage", "ItemPage", "mainEntity"} {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}

func collectObjects(v any, out *[]map[string]any, depth int) {
	if depth > 8 {
		return
	}
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			collectObjects(x, out, depth+1)
		}
	case map[string]any:
		*out = append(*out, t)
		if g, ok := t["@graph"]; ok {
			collectObjects(g, out, depth+1)
		}
	}
}

func hasType(o map[string]any, types map[string]bool) bool {
	switch t := o["@type"].(type) {
	case string:
		return types[normType(t)]
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok && types[normType(s)] {
				return true
			}
		}
	}
	return false
}

func normType(t string) string {
	t = strings.TrimSpace(t)
	if i := strings.LastIndexAny(t, "/:#"); i >= 0 {
		t = t[i+1:] // "http://schema.org/NewsArticle", "schema:Article"
	}
	return strings.ToLower(t)
}

func deref(v any, byID map[string]map[string]any) map[string]any {
	switch t := v.(type) {
	case map[string]any:
		if id, ok := t["@id"].(string); ok && len(t) <= 2 {
			if full, ok := byID[id]; ok {
				return full
			}
		}
		return t
	case []any:
		for _, x := range t {
			if m := deref(x, byID); m != nil {
				return m
			}
		}
	}
	return nil
}

// ldString returns a JSON-LD value as trimmed text with HTML entities decoded.
func ldString(v any) string {
	switch t := v.(type) {
	case string:
		s := t
		if strings.IndexByte(s, '&') >= 0 {
			s = html.UnescapeString(s)
		}
		return collapse(s)
	case []any:
		if len(t) > 0 {
			return ldString(t[0])
		}
	case map[string]any:
		if s := ldString(t["@value"]); s != "" {
			return s
		}
	}
	return ""
}

func ldKeywords(v any) []string {
	var out []string
	switch t := v.(type) {
	case string:
		for _, k := range strings.Split(html.UnescapeString(t), ",") {
			if k = collapse(k); k != "" {
				out = append(out, k)
			}
		}
	case []any:
		for _, x := range t {
			out = append(out, ldKeywords(x)...)
		}
	case map[string]any:
		out = ldKeywords(t["name"])
	}
	return out
}

func ldImage(v any, byID map[string]map[string]any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case []any:
		for _, x := range t {
			if s := ldImage(x, byID); s != "" {
				return s
			}
		}
	case map[string]any:
		o := deref(t, byID)
		for _, k := range []string{"url", "contentUrl", "@id"} {
			if s := ldString(o[k]); s != "" {
				return s
			}
		}
	}
	return ""
}

func ldAuthors(v any, byID map[string]map[string]any) []ldPerson {
	var out []ldPerson
	switch t := v.(type) {
	case string:
		for _, n := range splitNames(ldString(t)) {
			out = append(out, ldPerson{name: n, person: true})
		}
	case []any:
		for _, x := range t {
			out = append(out, ldAuthors(x, byID)...)
		}
	case map[string]any:
		o := deref(t, byID)
		name := ldString(o["name"])
		if name == "" {
			name = collapse(ldString(o["givenName"]) + " " + ldString(o["familyName"]))
		}
		if name == "" {
			return nil
		}
		u := ldString(o["url"])
		if u == "" {
			u = ldString(o["sameAs"])
		}
		out = append(out, ldPerson{name: name, url: u, person: !hasType(o, map[string]bool{"organization": true, "newsmediaorganization": true})})
	}
	return out
}

// decodeLenient decodes one script's JSON, repairing it if needed.
func decodeLenient(s string) []any {
	b := []byte(strings.TrimSpace(s))
	b = trimWrappers(b)
	if len(b) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(b, &v); err == nil {
		return []any{v}
	}
	if vs, ok := decodeAll(b); ok {
		return vs
	}
	fixed := repairJSON(b)
	if vs, ok := decodeAll(fixed); ok {
		return vs
	}
	if bytes.IndexByte(fixed, '&') >= 0 {
		if vs, ok := decodeAll([]byte(html.UnescapeString(string(fixed)))); ok {
			return vs
		}
	}
	// Several objects separated by commas: wrap as an array.
	wrapped := append(append([]byte{'['}, fixed...), ']')
	if vs, ok := decodeAll(repairJSON(wrapped)); ok {
		return vs
	}
	return nil
}

func trimWrappers(b []byte) []byte {
	for _, p := range [][]byte{[]byte("<!--"), []byte("//<![CDATA["), []byte("<![CDATA[")} {
		b = bytes.TrimSpace(bytes.TrimPrefix(b, p))
	}
	for _, s := range [][]byte{[]byte("-->"), []byte("//]]>"), []byte("]]>")} {
		b = bytes.TrimSpace(bytes.TrimSuffix(b, s))
	}
	b = bytes.TrimSuffix(b, []byte(";"))
	return b
}

// decodeAll decodes consecutive JSON values (separated by nothing, commas or
// semicolons); ok is false if any fails.
func decodeAll(b []byte) ([]any, bool) {
	var out []any
	for len(b) > 0 {
		dec := json.NewDecoder(bytes.NewReader(b))
		var v any
		if err := dec.Decode(&v); err != nil {
			return out, false
		}
		out = append(out, v)
		b = bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n,;")
	}
	return out, len(out) > 0
}

// repairJSON replaces raw control characters inside strings with spaces and
// removes trailing commas before } and ].
func repairJSON(b []byte) []byte {
	out := make([]byte, 0, len(b))
	inStr, esc := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			case c < 0x20:
				c = ' '
			}
			out = append(out, c)
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '}', ']':
			// Drop a comma (and whitespace) just before a closer.
			j := len(out) - 1
			for j >= 0 && (out[j] == ' ' || out[j] == '\n' || out[j] == '\r' || out[j] == '\t') {
				j--
			}
			if j >= 0 && out[j] == ',' {
				out = append(out[:j], out[j+1:]...)
			}
		}
		out = append(out, c)
	}
	return out
}
