// Package extract turns a fetched web page into a structured article record.
//
// Extraction is a pure function of (page URL, HTTP header, raw bytes): it does no
// network or database I/O. Fields come from layers, most trusted first: declarative
// site rules (embedded data files, one per site), JSON-LD, OpenGraph/Twitter/meta
// tags, and generic heuristics. Article.Sources records which layer produced each
// field.
//
// # The cascade
//
// Every field is settled by one stage method of the extraction type, in the
// order of extraction.run (extract.go). Each stage asks the layers in turn and
// takes the first that answers:
//
//  1. the site rule (rule.go): CSS selectors compiled once at load, matched by
//     one walk of the article scope (query.go);
//  2. JSON-LD (jsonld.go), then OpenGraph, Twitter and other meta tags,
//     collected by the one scan of the page (page.go);
//  3. the generic layer: the text the page shows (scorer, byline and date
//     cues, boxes under headings), with no site-specific code — the
//     language data it reads lives in cues.go.
//
// # Files
//
// One file per field or stage; a stage method lives in the file named for what
// it extracts, with the helpers only it uses.
//
//	extract.go      Extractor, New, Default, Extract; extraction and run (the order of the stages)
//	article.go      the record: Article, Author, Editor, Image, Link, Version
//	doc.go          this map
//	decode.go       charset decoding, the HTML check, parsing
//	page.go         the one scan of the document: meta, JSON-LD scripts, headings, times
//	dom.go          DOM helpers: attributes, text, links, boxes under a heading
//	text.go         string measures: fieldCount, wordCount, firstWord, wordSet
//	rule.go         site rules: loading, compiling, matching a URL
//	query.go        choosing the rule and matching its selectors in one walk
//	url.go          canonical URL and the base for relative links
//	site.go         site name and language
//	title.go        title: rule, JSON-LD, meta, the document title without the site
//	description.go  description
//	tags.go         tags: rule, JSON-LD, meta, printed "Tags:" lists
//	authorbox.go    the author box: name, bio, profile link
//	related.go      related links: rule, "Related"/"Read more" blocks, prev/next
//	body.go         the body: the rule's container or the generic scorer's, rendered
//	walker.go       the block walker and the HTML/text renderers of the body
//	score.go        the Readability-style scorer that picks the generic body
//	clean.go        class/id furniture, class weight, teaser lists (scorer pruning)
//	lines.go        classify: the lines of the body that are not text (captions,
//	                boilerplate, dateline, byline) — sortLine, captionLine, dropLine
//	credits.go      editors, copyright, caption: rule elements, the credit lines
//	                classify set aside (creditLine), the text around the body
//	editors.go      reading editor and wire credit lines
//	byline.go       authors and byline: rule, visible byline, JSON-LD, meta
//	authors.go      author names: roles, agencies, affiliations removed
//	bios.go         author bios and taglines
//	image.go        the lead image
//	dates.go        published and modified dates; date parsing in many languages
//	detect.go       is the page an article
//	cues.go         language data: months, dateline and byline words, furniture labels
//	patterns.go     the regular expressions applied to single lines
//	jsonld.go       JSON-LD parsing, lenient
//	ablate.go       named generic heuristics and Extractor.Without (for evaluation)
//	paragraphs.go   Paragraphs, for callers
//
// Selection uses cascadia compiled selectors and walks html.Node directly; see
// docs/extraction.md ("Selection API") for why not goquery.
package extract
