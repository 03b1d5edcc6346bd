package extract

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Extractor turns pages into articles using an ordered list of site rules and the
// generic layers. It is immutable after New and safe for concurrent use.
type Extractor struct {
	rules    []*Rule
	maxParse int // 0: parse whole pages
	// off holds the generic heuristics switched off by Without.
	off heuristicSet
}

// WithMaxParse returns a copy of e that parses at most the first n bytes of
// a page (n <= 0: all of it), so that a huge page costs a bounded DOM. A
// record taken from a prefix has Partial set.
func (e *Extractor) WithMaxParse(n int) *Extractor {
	c := *e
	c.maxParse = max(n, 0)
	return &c
}

// New returns an Extractor using rules, first match first. Rules come from
// LoadRules; nil rules leave only the generic layers.
func New(rules []*Rule) *Extractor {
	return &Extractor{rules: append([]*Rule(nil), rules...)}
}

// Default returns an Extractor with the embedded site rules (rules/*.json).
func Default() (*Extractor, error) {
	sub, err := fs.Sub(embeddedRules, "rules")
	if err != nil {
		return nil, fmt.Errorf("default extractor: %w", err)
	}
	rules, err := LoadRules(sub)
	if err != nil {
		return nil, fmt.Errorf("default extractor: %w", err)
	}
	return New(rules), nil
}

// Extract builds the record of one page from its URL, HTTP header (may be nil;
// Content-Type and Content-Language are used) and raw bytes. It does no I/O.
// It returns ErrEmpty or ErrNotHTML (wrapped) for bodies that are not pages;
// anything that parses as HTML, however broken or truncated, gives a record,
// possibly with empty fields.
func (e *Extractor) Extract(pageURL string, header http.Header, body []byte) (*Article, error) {
	d, err := e.Parse(pageURL, header, body)
	if err != nil {
		return nil, err
	}
	return e.ExtractDocument(d), nil
}

// Document is a page parsed for extraction: Parse makes it, ExtractDocument
// reads the record from it. Its tree is never modified, so other readers
// (link discovery) may walk it before or after extraction.
type Document struct {
	pageURL  string
	base     *url.URL
	header   http.Header
	root     *html.Node
	partial  bool // the body was cut at the parse cap
	verbatim bool // parsed from the body's own bytes (see Verbatim)
}

// Parse decodes and parses a page (URL, HTTP header, raw bytes) into a
// Document, as Extract does before it reads the record. It does no I/O and
// returns the errors of Extract (ErrEmpty, ErrNotHTML, wrapped).
func (e *Extractor) Parse(pageURL string, header http.Header, body []byte) (*Document, error) {
	var base *url.URL
	if pageURL != "" {
		u, err := url.Parse(pageURL)
		if err != nil {
			return nil, fmt.Errorf("extract %s: parse url: %w", pageURL, err)
		}
		base = u
	}
	if header == nil {
		header = http.Header{}
	}
	partial := false
	if e.maxParse > 0 && len(body) > e.maxParse {
		body, partial = body[:e.maxParse], true
	}
	page, err := decode(header, body)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	doc, flattened, err := parse(page)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	// The page is the body itself, or the body without a UTF-8 byte order
	// mark: the decoder copied nothing.
	same := len(page) > 0 && len(body) >= len(page) && &page[len(page)-1] == &body[len(body)-1]
	return &Document{pageURL: pageURL, base: base, header: header, root: doc, partial: partial,
		verbatim: !partial && !flattened && same}, nil
}

// Root returns the document's parsed tree. Callers must not modify it.
func (d *Document) Root() *html.Node { return d.root }

// Verbatim reports whether the tree is the whole body parsed as it was
// given: not cut at the parse cap, not converted from another charset, not
// flattened because it nested too deep. Only then does the tree hold every
// attribute byte for byte as a scan of the raw body would find it.
func (d *Document) Verbatim() bool { return d.verbatim }

// ExtractDocument builds the record of a parsed page; Extract is Parse
// followed by ExtractDocument. It does not modify d.
func (e *Extractor) ExtractDocument(d *Document) *Article {
	p := scanPage(d.root, d.base, d.header)
	x := &extraction{e: e, p: p, pageURL: d.pageURL}
	a := x.run()
	a.Partial = d.partial
	return a
}

// extraction is the state of one Extract call.
type extraction struct {
	e       *Extractor
	p       *page
	pageURL string
	rule    *Rule
	ld      ldArticle
	a       *Article

	scope   *html.Node // the rule's article element, or <body>
	hits    [numScoped][]*html.Node
	exclude map[*html.Node]bool

	box       authorBox
	bodyName  []string // byline found at the start of the body
	bodyLine  string   // that byline as printed
	signature []string // names of a bold signature paragraph at the top or end of the body
	bodyImage string   // first image in the body
	// visibleDate is a dateline found at the start of the body.
	visibleDate string
	wireAuth    []Author
	// bodyRoots are the elements the body was taken from; bodySrc says how.
	bodyRoots []*html.Node
	bodySrc   string
	// found holds the credit lines the body stage set aside, for the credits
	// stage; captionNoted is set when one of them is a caption.
	found        []found
	captionNoted bool

	low []byte // scratch: the line classify is looking at, lowercased
}

func (x *extraction) set(field, src string) {
	if src != "" {
		x.a.Sources[field] = src
	}
}

func (x *extraction) run() *Article {
	p := x.p
	x.a = &Article{URL: x.pageURL, ExtractorVersion: Version, Sources: map[string]string{},
		Authors: []Author{}, Editors: []Editor{}, Tags: []string{}, Related: []Link{}}
	a := x.a
	x.exclude = map[*html.Node]bool{}
	x.ld = parseJSONLD(p.ldScripts)

	x.canonical()
	x.linkBase()
	x.rule = x.selectRule()
	ruleSrc := ""
	if x.rule != nil {
		a.Rule = x.rule.Name
		ruleSrc = x.rule.source()
	}
	x.scope = p.body
	if x.rule != nil {
		if x.rule.sel.article != nil {
			if n := matchFirst(x.rule.sel.article, p.body); n != nil {
				x.scope = n
			}
		}
		x.query()
	}
	x.siteName(ruleSrc)
	x.language()
	x.title(ruleSrc)
	x.description(ruleSrc)
	x.tags(ruleSrc)
	x.authorBox(ruleSrc)
	x.related(ruleSrc)
	x.ruleCredits(ruleSrc)
	x.body(ruleSrc)
	x.credits(ruleSrc)
	x.authors(ruleSrc)
	x.bios()
	x.editorLines()
	x.image(ruleSrc)
	x.dates(ruleSrc)
	x.isArticle()
	x.validUTF8()
	return a
}

// validUTF8 replaces invalid UTF-8 (from pages that lie about their charset) in
// every text field of the record.
func (x *extraction) validUTF8() {
	a := x.a
	fix := func(s *string) {
		if !utf8.ValidString(*s) {
			*s = strings.ToValidUTF8(*s, "\uFFFD")
		}
	}
	for _, s := range []*string{&a.URL, &a.CanonicalURL, &a.SiteName, &a.Language, &a.Title, &a.PublishedAt,
		&a.ModifiedAt, &a.Description, &a.BodyText, &a.BodyHTML, &a.Copyright} {
		fix(s)
	}
	for i := range a.Authors {
		fix(&a.Authors[i].Name)
		fix(&a.Authors[i].Bio)
		fix(&a.Authors[i].URL)
	}
	for i := range a.Editors {
		fix(&a.Editors[i].Name)
		fix(&a.Editors[i].Handle)
		fix(&a.Editors[i].URL)
	}
	for i := range a.Tags {
		fix(&a.Tags[i])
	}
	for i := range a.Related {
		fix(&a.Related[i].Title)
		fix(&a.Related[i].URL)
	}
	if a.Image != nil {
		fix(&a.Image.URL)
		fix(&a.Image.Caption)
	}
}
