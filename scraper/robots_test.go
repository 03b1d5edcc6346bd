package scraper

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsCase is one conformance case: robots.txt body, the agent asking and
// the path (with query) it asks about.
type robotsCase struct {
	name  string
	body  string
	agent string
	path  string
	allow bool
}

// robotsCases are written from RFC 9309 (section numbers in the names) and
// from Google's published robots.txt documentation and the test suite of
// its open-source parser (names starting "google").
var robotsCases = []robotsCase{
	// §2.1 groups and agents
	{"2.1 empty file allows", "", "newsarchive", "/x", true},
	{"2.1 disallow all", "User-agent: *\nDisallow: /\n", "newsarchive", "/x", false},
	{"2.1 empty disallow allows", "User-agent: *\nDisallow:\n", "newsarchive", "/x", true},
	{"2.1 rules before any group ignored", "Disallow: /\nUser-agent: *\nAllow: /x\n", "newsarchive", "/y", true},
	{"2.1 specific group beats *", "User-agent: *\nDisallow: /\n\nUser-agent: newsarchive\nDisallow: /private\n", "newsarchive", "/x", true},
	{"2.1 * used when no specific group", "User-agent: *\nDisallow: /x\n\nUser-agent: otherbot\nDisallow: /\n", "newsarchive", "/x", false},
	{"2.1 other agent's group ignored", "User-agent: otherbot\nDisallow: /\n", "newsarchive", "/x", true},
	{"2.1 several agent lines in one group", "User-agent: a\nUser-agent: newsarchive\nUser-agent: b\nDisallow: /x\n", "newsarchive", "/x", false},
	{"2.1 blank line between agent lines", "User-agent: a\n\nUser-agent: newsarchive\nDisallow: /x\n", "newsarchive", "/x", false},
	{"2.1 groups for the same agent merged", "User-agent: newsarchive\nDisallow: /a\n\nUser-agent: other\nDisallow: /b\n\nUser-agent: newsarchive\nDisallow: /c\n", "newsarchive", "/c", false},
	{"2.1 merged groups keep the first group's rules", "User-agent: newsarchive\nDisallow: /a\n\nUser-agent: other\nDisallow: /b\n\nUser-agent: newsarchive\nDisallow: /c\n", "newsarchive", "/a", false},
	{"2.1 merged * groups", "User-agent: *\nDisallow: /a\nUser-agent: x\nDisallow: /\nUser-agent: *\nDisallow: /b\n", "newsarchive", "/b", false},
	{"2.2.1 agent case-insensitive", "User-agent: NewsArchive\nDisallow: /\n", "newsarchive", "/x", false},
	{"2.2.1 agent with version", "User-agent: newsarchive/1.0\nDisallow: /\n", "newsarchive", "/x", false},
	{"2.2.1 agent is not a prefix match", "User-agent: news\nDisallow: /\n", "newsarchive", "/x", true},
	{"2.2.1 unknown line does not end a group", "User-agent: newsarchive\nFoo: bar\nDisallow: /x\n", "newsarchive", "/x", false},
	// §2.2.2 rules
	{"2.2.2 longest match: allow longer", "User-agent: *\nDisallow: /folder/\nAllow: /folder/page\n", "newsarchive", "/folder/page", true},
	{"2.2.2 longest match: disallow longer", "User-agent: *\nAllow: /folder/\nDisallow: /folder/page\n", "newsarchive", "/folder/page", false},
	{"2.2.2 order does not matter", "User-agent: *\nAllow: /folder/page\nDisallow: /folder/\n", "newsarchive", "/folder/page", true},
	{"2.2.2 allow wins a tie", "User-agent: *\nDisallow: /page\nAllow: /page\n", "newsarchive", "/page", true},
	{"2.2.2 allow wins a tie, either order", "User-agent: *\nAllow: /page\nDisallow: /page\n", "newsarchive", "/page", true},
	{"2.2.2 paths are case-sensitive", "User-agent: *\nDisallow: /x/\n", "newsarchive", "/X/", true},
	{"2.2.2 keys are case-insensitive", "USER-AGENT: *\nDISALLOW: /x\n", "newsarchive", "/x", false},
	{"2.2.2 query is part of the path", "User-agent: *\nDisallow: /search?q=\n", "newsarchive", "/search?q=cats", false},
	{"2.2.2 UTF-8 rule matches encoded URL", "User-agent: *\nDisallow: /foo/bar/ツ\n", "newsarchive", "/foo/bar/%E3%83%84", false},
	{"2.2.2 encoded rule matches encoded URL", "User-agent: *\nDisallow: /foo/bar/%E3%83%84\n", "newsarchive", "/foo/bar/%E3%83%84", false},
	{"2.2.2 encoded unreserved matches plain", "User-agent: *\nDisallow: /foo/bar/%62%61%7A\n", "newsarchive", "/foo/bar/baz", false},
	{"2.2.2 lowercase escapes match", "User-agent: *\nDisallow: /a%2fb\n", "newsarchive", "/a%2Fb", false},
	{"2.2.2 robots.txt always allowed", "User-agent: *\nDisallow: /\n", "newsarchive", "/robots.txt", true},
	// §2.2.3 special characters
	{"2.2.3 wildcard", "User-agent: *\nDisallow: /foo/*/qux\n", "newsarchive", "/foo/bar/qux", false},
	{"2.2.3 wildcard no match", "User-agent: *\nDisallow: /foo/*/qux\n", "newsarchive", "/foo/bar/quz", true},
	{"2.2.3 dollar anchors", "User-agent: *\nDisallow: /foo/bar$\n", "newsarchive", "/foo/bar", false},
	{"2.2.3 dollar anchors: longer path", "User-agent: *\nDisallow: /foo/bar$\n", "newsarchive", "/foo/bar/", true},
	{"2.2.3 comment", "User-agent: * # everyone\nDisallow: /x # not x\n# Disallow: /\n", "newsarchive", "/y", true},
	// §2.3.5 / §2.5 syntax tolerance
	{"bom", "\xef\xbb\xbfUser-agent: *\nDisallow: /x\n", "newsarchive", "/x", false},
	{"cr line ends", "User-agent: *\rDisallow: /x\r", "newsarchive", "/x", false},
	{"crlf line ends", "User-agent: *\r\nDisallow: /x\r\n", "newsarchive", "/x", false},
	{"whitespace before colon", "User-agent : *\nDisallow : /x\n", "newsarchive", "/x", false},
	{"no final newline", "User-agent: *\nDisallow: /x", "newsarchive", "/x", false},
	// Google documentation examples
	{"google /fish matches /fish.html", "User-agent: *\nDisallow: /fish\n", "newsarchive", "/fish.html", false},
	{"google /fish matches /fishheads/yummy.html", "User-agent: *\nDisallow: /fish\n", "newsarchive", "/fishheads/yummy.html", false},
	{"google /fish not /catfish", "User-agent: *\nDisallow: /fish\n", "newsarchive", "/catfish", true},
	{"google /fish not /Fish.asp", "User-agent: *\nDisallow: /fish\n", "newsarchive", "/Fish.asp", true},
	{"google /fish/ not /fish", "User-agent: *\nDisallow: /fish/\n", "newsarchive", "/fish", true},
	{"google /*.php matches deep", "User-agent: *\nDisallow: /*.php\n", "newsarchive", "/folder/filename.php?parameters", false},
	{"google /*.php$ not with query", "User-agent: *\nDisallow: /*.php$\n", "newsarchive", "/filename.php?parameters", true},
	{"google /*.php$ matches end", "User-agent: *\nDisallow: /*.php$\n", "newsarchive", "/folder/filename.php", false},
	{"google /fish*.php", "User-agent: *\nDisallow: /fish*.php\n", "newsarchive", "/fishheads/catfish.php?parameters", false},
	{"google allow /$ only root", "User-agent: *\nAllow: /$\nDisallow: /\n", "newsarchive", "/", true},
	{"google allow /$ not page", "User-agent: *\nAllow: /$\nDisallow: /\n", "newsarchive", "/page.htm", false},
	{"google /*.htm longer than /page", "User-agent: *\nAllow: /page\nDisallow: /*.htm\n", "newsarchive", "/page.htm", false},
	{"google equal length tie allows", "User-agent: *\nAllow: /page\nDisallow: /*.ph\n", "newsarchive", "/page.php", true},
	{"google missing colon", "User-agent *\nDisallow /x\n", "newsarchive", "/x", false},
	{"google disallow typo", "User-agent: *\nDissallow: /x\n", "newsarchive", "/x", false},
	{"google agent value with spaces", "User-agent: NewsArchive Bot\nDisallow: /\n", "newsarchive", "/x", false},
}

func TestRobotsConformance(t *testing.T) {
	for _, tc := range robotsCases {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseRobots([]byte(tc.body), tc.agent).Allowed(tc.path)
			if got != tc.allow {
				t.Errorf("Allowed(%q) = %v, want %v\nrobots.txt:\n%s", tc.path, got, tc.allow, tc.body)
			}
		})
	}
}

// temotoDisagreements lists the conformance cases where
// github.com/temoto/robotstxt v1.1.2 (the parser colly uses) answers
// differently from RFC 9309, which is why the crawler has its own parser.
// Findings:
//
//   - a rule before the first user-agent line is a parse error for the whole
//     file (RFC 9309 §2.1: such lines are ignored), so one stray line voids a
//     site's robots.txt;
//   - agents are not reduced to their product token: "User-agent:
//     newsarchive/1.0" does not name newsarchive, while "User-agent: news"
//     does (a prefix match; §2.2.1 wants the token, case-insensitively);
//   - a tie between allow and disallow goes to whichever rule comes first
//     (§2.2.2: allow wins), and the length of a wildcard rule is counted
//     differently ("Allow: /page" vs "Disallow: /*.ph" on /page.php);
//   - no percent-encoding normalisation: UTF-8 rules do not match encoded
//     URLs, %62%61%7A does not match "baz", %2f does not match %2F (§2.2.2);
//   - /robots.txt itself can be disallowed (§2.2.2 says it is implicitly
//     allowed);
//   - whitespace before the colon ("User-agent : *") and Google-accepted
//     misspellings ("Dissallow") are not understood.
//
// It agrees on group merging, wildcards, "$", comments, BOM and line ends.
// The list is checked, so a temoto upgrade that changes behaviour shows.
var temotoDisagreements = []string{
	"2.1 rules before any group ignored (parse error)",
	"2.2.1 agent with version",
	"2.2.1 agent is not a prefix match",
	"2.2.2 allow wins a tie",
	"2.2.2 UTF-8 rule matches encoded URL",
	"2.2.2 encoded unreserved matches plain",
	"2.2.2 lowercase escapes match",
	"2.2.2 robots.txt always allowed",
	"whitespace before colon",
	"google equal length tie allows",
	"google disallow typo",
}

func TestRobotsVersusTemoto(t *testing.T) {
	var differ []string
	for _, tc := range robotsCases {
		r, err := robotstxt.FromStatusAndBytes(200, []byte(tc.body))
		if err != nil {
			differ = append(differ, tc.name+" (parse error)")
			continue
		}
		if r.TestAgent(tc.path, tc.agent) != tc.allow {
			differ = append(differ, tc.name)
		}
	}
	t.Logf("temoto/robotstxt disagrees with RFC 9309 on %d of %d cases:\n  %s",
		len(differ), len(robotsCases), strings.Join(differ, "\n  "))
	if !slices.Equal(differ, temotoDisagreements) {
		t.Errorf("disagreements changed:\n got %q\nwant %q", differ, temotoDisagreements)
	}
}

func TestRobotsExtras(t *testing.T) {
	body := "User-agent: *\nCrawl-delay: 2.5\nDisallow: /x\nSitemap: https://example.com/s1.xml\n" +
		"User-agent: other\nCrawl-delay: 9\nsitemap: https://example.com/s2.xml\n"
	r := ParseRobots([]byte(body), "newsarchive")
	if got := r.CrawlDelay(); got != 2500*time.Millisecond {
		t.Errorf("crawl delay %v", got)
	}
	if got := r.Sitemaps(); !slices.Equal(got, []string{"https://example.com/s1.xml", "https://example.com/s2.xml"}) {
		t.Errorf("sitemaps %v", got)
	}
	var nilRobots *Robots
	if !nilRobots.Allowed("/x") || nilRobots.CrawlDelay() != 0 || nilRobots.Sitemaps() != nil {
		t.Error("nil Robots must allow everything")
	}
	// Only the first 500 KiB are parsed: a rule past it is ignored.
	big := "User-agent: *\n" + strings.Repeat("# padding padding padding padding\n", 16_000) + "Disallow: /late\n"
	if !ParseRobots([]byte(big), "newsarchive").Allowed("/late") {
		t.Error("rule past 500 KiB applied")
	}
}

func TestWildcardMatch(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/*", "/", true},
		{"*", "/anything", true},
		{"/a*b*c", "/axxbyyc", true},
		{"/a*b*c", "/axxbyy", false},
		{"/a*b$", "/aab", true},
		{"/a*b$", "/aabc", false},
		{"/**x", "/yx", true},
		{"$", "", true},
		{"/a$", "/a", true},
	}
	for _, tt := range tests {
		if got := wildcardMatch(tt.pattern, tt.path); got != tt.want {
			t.Errorf("wildcardMatch(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func FuzzRobots(f *testing.F) {
	for _, tc := range robotsCases {
		f.Add([]byte(tc.body), tc.path)
	}
	f.Add([]byte("User-agent: *\nDisallow: /*****************a$\n"), "/"+strings.Repeat("b", 300))
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		r := ParseRobots(body, "newsarchive")
		r.Allowed(path)
		r.CrawlDelay()
		if !r.Allowed("/robots.txt") {
			t.Fatal("robots.txt disallowed")
		}
	})
}
