package extract

import "regexp"

// Text patterns of the generic layer. They are applied to single short lines, never
// to the whole page.
var (
	reEditorLine = regexp.MustCompile(`(?i)^(?:this\s+)?(?:article|story|post|piece)?\s*(?:was\s+)?(?:edited|editing|edit)\s+by\s+(.+)$`)
	reWireLine   = regexp.MustCompile(`(?i)(?:^|[;.(]\s*)(?:additional\s+)?(?:reporting|writing|written|compiled)\s+by\s+`)
	reWirePart   = regexp.MustCompile(`(?i)^\(?\s*(additional\s+reporting|reporting|writing|written|compiled|editing|edited)\s+by\s+(.+?)\)?$`)
	reCaption    = regexp.MustCompile(`(?i)^(?:featured\s+|cover\s+|top\s+|header\s+|lead\s+)?(?:image|images|photo|photos|photograph|picture|pictures|pic|credit|credits|image\s+credit|photo\s+credit|illustration|video)\s*(?::|by\b|via\b|courtesy\b|source\b|credit\b|-|–|—)`)
	reSourceLine = regexp.MustCompile(`(?i)^(?:source|via|credit|courtesy(?: of)?)\s*[:\-–—]?\s*\S.{0,100}$`)
	reCopyright  = regexp.MustCompile(`(?i)^(?:©|\(c\)\s|copyright\b)|all rights reserved`)
	reByline     = regexp.MustCompile(`^(?i:by|written by|words by)\s+(.{2,80})$`)
	reBoiler     = regexp.MustCompile(`(?i)^(?:please\s+)?share\s+(?:this|your thoughts|on\b)|^(?:sign up|subscribe)\b.{0,80}\bnewsletter|^(?:follow|like) us on\b|^(?:click|tap) here to (?:subscribe|sign up|read)|^advert(?:isement)?s?$|^(?:related|recommended|read more|read next|also read|see more|see also)\s*:|^subscribe(?:\s+(?:now|today|here|to\b.{0,150}))?[.!]?$|^(?:\d+\s+)?comments?$|^(?:like|enjoy(?:ed)?|love) this (?:story|article|post)\?|^follow\s+(?:\S+\s+){1,6}on\s+(?:facebook|twitter|instagram|youtube|linkedin|x)\b|^(?:tell us what you think|leave a (?:comment|reply))\b|^also on\s+\S+\.\w+\b`)
	// reBoiler's alternatives are all anchored at the start, so a match is
	// tried at one position only; the one unanchored phrase is tested apart
	// (see isBoilerplate).
	// reCredit is a photo credit line: agency names after a separator.
	reCredit = regexp.MustCompile(`(?i)(?:^|[|/(]\s*|(?:photo|image|picture)s?\s*:\s*)(?:getty images|shutterstock|ap photo|afp|reuters|epa|bloomberg|associated press|istock(?:photo)?)\)?\.?$`)
	// reWithAuthors is a parenthesised list of co-authors.
	reWithAuthors = regexp.MustCompile(`(?i)\s*\((?:with|avec|mit|con|com|met|z)\s+([^()]+)\)`)
	// reInSections is the "in <section>" tail of a printed credit.
	reInSections = regexp.MustCompile(`,?\s+in\s+\p{Lu}`)
	reHandle     = regexp.MustCompile(`@([A-Za-z0-9_]{1,30})`)
	reFollowLink = regexp.MustCompile(`(?i)follow|twitter|\bx\b|linkedin|instagram|facebook|mastodon|bluesky|profile|website|more (?:articles|posts|stories) by|view all`)
)
