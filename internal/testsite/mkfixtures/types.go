package main

import (
	"time"
	_ "time/tzdata" // the shop zone must not depend on the host
)

// article is one blog post of the fixture site.
type article struct {
	ID     int64
	Handle string
	Title  string
	Tags   []string // the first one is the banner badge

	// Published and Modified are shop-local times (UTC-5 in winter, UTC-4 in
	// summer), as the theme prints them in JSON-LD: without an offset.
	Published string
	Modified  string

	Author   string // the displayed author (byline, feed, author box)
	LDAuthor string // JSON-LD author.name: the staff account, may differ or be blank
	LDGiven  string
	LDFamily string
	Bio      string
	XHandle  string
	Avatar   string

	// AuthorBox is where the custom author box sits: "block" (custom-liquid block
	// after the body), "prose" (pasted at the end of the body) or "none".
	AuthorBox string
	// AuthorBoxStyle selects one of two markups of the author box.
	AuthorBoxStyle int

	Editor string // editor handle, "" when the article has no editor line

	ShowMeta bool // banner shows date, "By …" and comment count
	Image    string
	ImageAlt string
	ImageV   int64

	Description string // <meta name=description>, og:description
	Excerpt     string // listing cards
	Prose       string // body HTML as written in the Shopify editor

	Theme   string // "impact" or "skeleton"
	Charset string // "utf-8" or "windows-1251"
	Lang    string

	Comments []comment

	// Reach says how the article can be discovered: "listing", "feed", "sitemap".
	Reach []string
	// Newer and Older are the handles shown under "Reading next" ("" = none).
	Newer, Older string

	// Knobs that vary the markup between pages.
	CardMeta    bool   // Reading-next cards show their date
	Compact     bool   // page saved without leading indentation
	Tabs        bool   // page indented with tabs
	SectionID   string // template section id
	CartItems   int    // items in the cart drawer when the page was saved
	ReviewsApp  bool   // judge.me style app embed
	KlaviyoApp  bool   // klaviyo style app embed
	ShareStyle  int    // 0/1 two share-button markups
	Notes       string // what the page exercises (README, fixtures.json)
	ExpectedBy  string // expected author name for tests ("" = Author)
	WireCredit  string // "Reporting by …; Editing by …" line, if any
	Hidden      bool   // excluded from listings / prev-next by the theme
	FeedSummary string
}

type comment struct {
	Author string
	Date   string // shop-local, no offset
	Body   string
}

// shopLoc returns the shop's time zone (Eastern Time).
func shopLoc() *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err) // time/tzdata is embedded: cannot happen
	}
	return loc
}

func localTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02T15:04:05", s, shopLoc())
	if err != nil {
		panic(err)
	}
	return t
}

// shortDate is the theme's date format ("Feb 15, 2021").
func shortDate(s string) string { return localTime(s).Format("Jan 2, 2006") }

// longDate is the old theme's date format ("February 11, 2021").
func longDate(s string) string { return localTime(s).Format("January 2, 2006") }

// withOffset is the platform's format (sitemap lastmod).
func withOffset(s string) string { return localTime(s).Format("2006-01-02T15:04:05-07:00") }

// utc is the feed's format.
func utc(s string, z bool) string {
	t := localTime(s).UTC()
	if z {
		return t.Format("2006-01-02T15:04:05Z")
	}
	return t.Format("2006-01-02T15:04:05+00:00")
}
