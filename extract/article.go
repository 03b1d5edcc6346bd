package extract

// Version is the extractor version stored with every record, so that records made
// by an older extractor can be found and re-extracted from their raw pages.
const Version = "0.3.0"

// Layer names used as values of Article.Sources. Site rules use "site:<name>".
const (
	SourceJSONLD    = "json-ld"
	SourceOpenGraph = "opengraph"
	SourceMeta      = "meta"
	SourceHeuristic = "heuristic"
)

// Article is the record extracted from one page. Its JSON form (snake_case) is the
// record printed by `newsarchive extract --json` and stored by the archive.
type Article struct {
	URL          string `json:"url"`
	CanonicalURL string `json:"canonical_url"`
	SiteName     string `json:"site_name"`
	Language     string `json:"language"`
	Title        string `json:"title"`

	Authors []Author `json:"authors"`
	// Byline is the author credit as the page prints it ("By Jane Doe and
	// John Roe, Reuters"; dates and affiliations kept), whitespace collapsed;
	// when the page prints none, the author metadata as written, else the
	// names in Authors joined by ", ". Authors holds the parsed names.
	Byline  string   `json:"byline"`
	Editors []Editor `json:"editors"`

	// PublishedAt and ModifiedAt are RFC 3339 when the page gives an offset;
	// otherwise the page's own value, without an invented offset.
	PublishedAt string   `json:"published_at"`
	ModifiedAt  string   `json:"modified_at"`
	Tags        []string `json:"tags"`
	Description string   `json:"description"`
	Image       *Image   `json:"image"`

	// BodyText holds paragraphs and headings in order, separated by blank lines.
	BodyText string `json:"body_text"`
	// BodyHTML is the sanitized body markup (p, h2–h6, lists, blockquote, a[href],
	// img[src,alt], figure/figcaption, em/strong, br).
	BodyHTML string `json:"body_html"`

	Related   []Link `json:"related"`
	Copyright string `json:"copyright"`
	WordCount int    `json:"word_count"`

	ExtractorVersion string `json:"extractor_version"`
	// Sources maps a field's JSON name to the layer that produced it.
	Sources map[string]string `json:"sources"`

	// IsArticle reports whether the page is an article (rather than a listing,
	// tag page or other page that is only followed). A matched site rule decides by
	// its article-URL pattern; otherwise generic signals decide.
	IsArticle bool `json:"is_article"`
	// Partial is set when the page was longer than the extractor's parse
	// cap (Extractor.WithMaxParse) and the record comes from its beginning
	// only; the raw page is archived whole.
	Partial bool `json:"partial,omitempty"`
	// Rule names the site rule that matched, or "" when none did.
	Rule string `json:"rule,omitempty"`
}

// Author is a person credited with writing the article.
type Author struct {
	Name string `json:"name"`
	Bio  string `json:"bio,omitempty"`
	URL  string `json:"url,omitempty"`
}

// Editor is a person credited with editing the article.
type Editor struct {
	Name   string `json:"name,omitempty"`
	Handle string `json:"handle,omitempty"`
	URL    string `json:"url,omitempty"`
}

// Image is the article's lead image.
type Image struct {
	URL     string `json:"url"`
	Caption string `json:"caption,omitempty"`
}

// Link is a related-article link.
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}
