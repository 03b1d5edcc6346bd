package extract

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/andybalholm/cascadia"
)

// Rule describes one site: how to recognise its pages and where each field of the
// record lives in its markup. Rules are data: each is one JSON file in rules/
// (embedded; see Default) or any fs.FS given to LoadRules. Empty selectors leave
// the field to the generic layers (JSON-LD, OpenGraph/meta, heuristics).
type Rule struct {
	// Name identifies the rule; Article.Rule and Article.Sources ("site:<name>")
	// carry it.
	Name string `json:"name"`
	// Hosts are the site's host names (lowercase, without port). A page whose URL
	// host, canonical host or og:url host is one of them uses this rule.
	Hosts []string `json:"hosts"`
	// SiteName is the publication's name; it is used for site_name when the page
	// declares none and for stripping title suffixes.
	SiteName string `json:"site_name"`
	// Signature recognises the site's pages when they are served from another
	// host (a mirror, an archived copy, the loopback demo).
	Signature Signature `json:"signature"`
	// ArticlePath is a regular expression matched against a URL path; a page whose
	// URL (or canonical URL) path matches it, and not ExcludePath, is an article.
	ArticlePath string `json:"article_path"`
	// ExcludePath is a regular expression for paths that look like articles but
	// are not (tag listings, feeds). Optional.
	ExcludePath string `json:"exclude_path"`
	// Selectors locate the record's fields in the page.
	Selectors Selectors `json:"selectors"`
	// NoMetaImage means the site's og:image/twitter:image fall back to a
	// site-wide share picture when an article has none, so the lead image is taken
	// only from the Image selector or JSON-LD.
	NoMetaImage bool `json:"no_meta_image"`
	// DropText lists regular expressions; a body paragraph whose text matches one
	// of them is boilerplate of this site and is left out of the body.
	DropText []string `json:"drop_text"`

	file        string // file the rule was loaded from, for error messages
	articlePath *regexp.Regexp
	excludePath *regexp.Regexp
	dropText    []*regexp.Regexp
	sel         compiledSelectors
	sigSel      cascadia.Selector
	// parts are the scoped selectors split into their alternatives, for the
	// single walk over the article (see extraction.query).
	parts []selPart
}

// selPart is one alternative of a scoped field's selector group. needsAttr
// is true when its rightmost compound starts with a class, id or attribute
// test, so it cannot match an element without attributes; the walk skips such
// tests on the many bare <p>, <span> and <li> elements.
type selPart struct {
	field     int
	sel       cascadia.Sel
	needsAttr bool
	// anc and self are set when the alternative is "A B" (two compound
	// selectors joined by the descendant combinator): self is matched
	// first, then an ancestor matching anc is looked for, and the walk
	// remembers the answer for the siblings that follow (see
	// extraction.query). A byline selector such as ".meta p" would
	// otherwise climb the tree from every paragraph of the page.
	anc, self cascadia.Sel
	// class is a class name the matched element must have (the rightmost
	// compound starts with it), tested as a substring of the class
	// attribute before the selector runs; "" when there is none.
	class string
}

// Signature lists page features that identify a site regardless of the host that
// serves the page. Any one of them matching is enough.
type Signature struct {
	// SiteNames are values of og:site_name (or JSON-LD publisher name) that
	// identify the site, compared case-insensitively.
	SiteNames []string `json:"site_names"`
	// Selector is a CSS selector that matches only on the site's pages (e.g. a
	// theme's unique markup together with a site-specific link).
	Selector string `json:"selector"`
}

// Selectors are CSS selectors (cascadia syntax, comma-separated alternatives
// allowed) for each field. Body-relative selectors are searched in the whole page,
// so they should be specific enough to match only inside the article.
type Selectors struct {
	// Article is the element holding the article (banner, body, credits, reading
	// next); other selectors are searched inside it when it matches.
	Article string `json:"article"`
	// Title is the headline element.
	Title string `json:"title"`
	// Tags are tag badges shown with the headline, in order.
	Tags string `json:"tags"`
	// Byline is the visible author line ("By Eva Fox").
	Byline string `json:"byline"`
	// Published is the visible publication date (a <time>; its datetime attribute
	// is used when present, otherwise its text as a last resort).
	Published string `json:"published"`
	// Description is an element (usually a meta tag) holding the summary.
	Description string `json:"description"`
	// Body is the article text container.
	Body string `json:"body"`
	// Drop matches elements inside the body that are not article text (share
	// buttons, embeds, forms, product blocks).
	Drop string `json:"drop"`
	// AuthorBox is the "About the Author" box.
	AuthorBox string `json:"author_box"`
	// AuthorName is the author's name inside AuthorBox.
	AuthorName string `json:"author_name"`
	// AuthorBio is the author's biography inside AuthorBox.
	AuthorBio string `json:"author_bio"`
	// AuthorLink is the author's profile link inside AuthorBox.
	AuthorLink string `json:"author_link"`
	// EditorCredit is the line crediting the editor ("Article edited by @X").
	EditorCredit string `json:"editor_credit"`
	// Related is the "Reading next" / related-articles block.
	Related string `json:"related"`
	// RelatedLinks are the links inside Related that name an article.
	RelatedLinks string `json:"related_links"`
	// Image is the lead image (an <img>, or a <meta> whose content is the URL).
	Image string `json:"image"`
	// ImageCaption is the lead image's caption or credit line.
	ImageCaption string `json:"image_caption"`
	// Copyright is the copyright line.
	Copyright string `json:"copyright"`
}

// Fields searched inside the article scope, all in one walk over it.
const (
	selTitle = iota
	selTags
	selByline
	selPublished
	selBody
	selDrop
	selAuthorBox
	selEditorCredit
	selRelated
	selImage
	selImageCaption
	selCopyright
	numScoped
)

// compiledSelectors mirrors Selectors; a nil Selector means "not given".
type compiledSelectors struct {
	article, description                            cascadia.Selector
	authorName, authorBio, authorLink, relatedLinks cascadia.Selector // inside their box
	scoped                                          [numScoped]cascadia.Selector
}

//go:embed rules/*.json
var embeddedRules embed.FS

// LoadRules reads every *.json file at the root of fsys as a Rule, in file-name
// order, and compiles its selectors and patterns. A malformed file, a missing name
// or a selector or pattern that does not compile is an error naming the file and
// the field.
func LoadRules(fsys fs.FS) ([]*Rule, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("load rules: %w", err)
	}
	sort.Strings(names)
	rules := make([]*Rule, 0, len(names))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("load rules: %w", err)
		}
		r, err := parseRule(data)
		if err != nil {
			return nil, fmt.Errorf("load rules: %s: %w", path.Base(name), err)
		}
		r.file = name
		rules = append(rules, r)
	}
	return rules, nil
}

// parseRule decodes and compiles one rule file. Unknown JSON keys are errors, so a
// misspelt field name is not silently ignored.
func parseRule(data []byte) (*Rule, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	r := new(Rule)
	if err := dec.Decode(r); err != nil {
		return nil, fmt.Errorf("decode rule: %w", err)
	}
	if err := r.compile(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *Rule) compile() error {
	if strings.TrimSpace(r.Name) == "" {
		return fmt.Errorf("field name: empty")
	}
	for i, h := range r.Hosts {
		r.Hosts[i] = strings.ToLower(strings.TrimSpace(h))
	}
	var err error
	if r.articlePath, err = compileRegexp("article_path", r.ArticlePath); err != nil {
		return err
	}
	if r.excludePath, err = compileRegexp("exclude_path", r.ExcludePath); err != nil {
		return err
	}
	r.dropText = r.dropText[:0]
	for i, p := range r.DropText {
		re, err := compileRegexp(fmt.Sprintf("drop_text[%d]", i), p)
		if err != nil {
			return err
		}
		r.dropText = append(r.dropText, re)
	}
	if r.sigSel, err = compileSelector("signature.selector", r.Signature.Selector); err != nil {
		return err
	}
	s, c := &r.Selectors, &r.sel
	for _, f := range []struct {
		field string
		src   string
		dst   *cascadia.Selector
	}{
		{"article", s.Article, &c.article},
		{"title", s.Title, &c.scoped[selTitle]},
		{"tags", s.Tags, &c.scoped[selTags]},
		{"byline", s.Byline, &c.scoped[selByline]},
		{"published", s.Published, &c.scoped[selPublished]},
		{"description", s.Description, &c.description},
		{"body", s.Body, &c.scoped[selBody]},
		{"drop", s.Drop, &c.scoped[selDrop]},
		{"author_box", s.AuthorBox, &c.scoped[selAuthorBox]},
		{"author_name", s.AuthorName, &c.authorName},
		{"author_bio", s.AuthorBio, &c.authorBio},
		{"author_link", s.AuthorLink, &c.authorLink},
		{"editor_credit", s.EditorCredit, &c.scoped[selEditorCredit]},
		{"related", s.Related, &c.scoped[selRelated]},
		{"related_links", s.RelatedLinks, &c.relatedLinks},
		{"image", s.Image, &c.scoped[selImage]},
		{"image_caption", s.ImageCaption, &c.scoped[selImageCaption]},
		{"copyright", s.Copyright, &c.scoped[selCopyright]},
	} {
		if *f.dst, err = compileSelector("selectors."+f.field, f.src); err != nil {
			return err
		}
	}
	scopedSrc := [numScoped]string{selTitle: s.Title, selTags: s.Tags, selByline: s.Byline,
		selPublished: s.Published, selBody: s.Body, selDrop: s.Drop, selAuthorBox: s.AuthorBox,
		selEditorCredit: s.EditorCredit, selRelated: s.Related, selImage: s.Image,
		selImageCaption: s.ImageCaption, selCopyright: s.Copyright}
	r.parts = r.parts[:0]
	for field, src := range scopedSrc {
		if strings.TrimSpace(src) == "" || field == selDrop {
			continue
		}
		group, err := cascadia.ParseGroup(src)
		if err != nil {
			return fmt.Errorf("selector %q: %w", src, err)
		}
		alts := splitGroup(src)
		for i, sel := range group {
			part := selPart{field: field, sel: sel}
			if len(alts) == len(group) {
				part.needsAttr = needsAttr(alts[i])
				part.class = leadingClass(alts[i])
				if anc, self, ok := splitDescendant(alts[i]); ok {
					a, errA := cascadia.Parse(anc)
					b, errB := cascadia.Parse(self)
					if errA == nil && errB == nil {
						part.anc, part.self = a, b
					}
				}
			}
			r.parts = append(r.parts, part)
		}
	}
	return nil
}

// splitGroup splits a selector group at its top-level commas.
func splitGroup(src string) []string {
	var out []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case c == ',' && depth == 0:
			out = append(out, strings.TrimSpace(src[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(src[start:]))
}

// splitDescendant splits a complex selector made of exactly two compound
// selectors joined by white space (the descendant combinator) into them; ok
// is false for any other shape.
func splitDescendant(sel string) (anc, self string, ok bool) {
	sel = strings.TrimSpace(sel)
	depth, split := 0, -1
	var quote byte
	for i := 0; i < len(sel); i++ {
		c := sel[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case depth > 0:
		case c == '>' || c == '+' || c == '~' || c == '\\':
			return "", "", false
		case c == ' ' || c == '\t' || c == '\n':
			if split >= 0 && strings.TrimSpace(sel[split:i]) != "" {
				return "", "", false // a third compound
			}
			if split < 0 {
				anc = sel[:i]
			}
			split = i
		}
	}
	if split < 0 {
		return "", "", false
	}
	self = strings.TrimSpace(sel[split:])
	return anc, self, anc != "" && self != ""
}

// leadingClass returns the class name that a complex selector's rightmost
// compound begins with (".badge" in ".banner .badge"), or "" when it begins
// otherwise or the name holds escapes.
func leadingClass(sel string) string {
	compound := sel[rightmostCompound(sel):]
	compound = strings.TrimSpace(compound)
	if !strings.HasPrefix(compound, ".") {
		return ""
	}
	name := compound[1:]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			if c == '\\' {
				return ""
			}
			return name[:i]
		}
	}
	return name
}

// rightmostCompound returns the index where a complex selector's rightmost
// compound selector starts.
func rightmostCompound(sel string) int {
	depth, last := 0, 0
	for i := 0; i < len(sel); i++ {
		switch c := sel[i]; {
		case c == '(' || c == '[':
			depth++
		case c == ')' || c == ']':
			depth--
		case depth == 0 && (c == ' ' || c == '>' || c == '+' || c == '~'):
			last = i + 1
		}
	}
	return last
}

// needsAttr reports whether a complex selector's rightmost compound begins with
// a class, id or attribute test.
func needsAttr(sel string) bool {
	compound := strings.TrimSpace(sel[rightmostCompound(sel):])
	return compound != "" && strings.IndexByte(".#[", compound[0]) >= 0
}

func compileRegexp(field, src string) (*regexp.Regexp, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, fmt.Errorf("field %s: %w", field, err)
	}
	return re, nil
}

func compileSelector(field, src string) (cascadia.Selector, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	sel, err := cascadia.Compile(src)
	if err != nil {
		return nil, fmt.Errorf("field %s: selector %q: %w", field, src, err)
	}
	return sel, nil
}

// isArticlePath reports whether a URL path is an article of this rule's site.
func (r *Rule) isArticlePath(p string) bool {
	if r.articlePath == nil || p == "" {
		return false
	}
	if r.excludePath != nil && r.excludePath.MatchString(p) {
		return false
	}
	return r.articlePath.MatchString(p)
}

func (r *Rule) hasHost(host string) bool {
	if host == "" {
		return false
	}
	for _, h := range r.Hosts {
		if h == host {
			return true
		}
	}
	return false
}

func (r *Rule) source() string { return "site:" + r.Name }
