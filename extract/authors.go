package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Author names: the byline's parts made people. Roles ("AP Sports Writer",
// "CNN Editor-at-large"), degrees ("MS, RDN"), the publication or agency
// credited beside a person ("Jill Disis, CNN Business", "A and B | Reuters"),
// a trailing weekday and credit prefixes ("Analysis by") are dropped; an
// organisation alone stays, as the page credits it.

// reCreditPrefix is a credit's leading role phrase.
var reCreditPrefix = regexp.MustCompile(`(?i)^(?:(?:an?\s+)?(?:analysis|opinion|commentary|review|story|text|words|photos?|interview|report|column|essay)\s+by|by|written\s+by|posted\s+by|von|par|por|di|door|av|от)\s+`)

// roleWords are words of a job title; a name part made only of them and of
// organisation words is a role, not a name.
var roleWords = wordSet("writer writers editor editors reporter reporters correspondent correspondents columnist " +
	"contributor contributors staff producer analyst at-large editor-at-large chief senior deputy managing " +
	"associate assistant sports political business science health tech technology foreign national " +
	"white house bureau special contributing freelance journalist redakteur redakteurin autor autorin " +
	"rédacteur rédactrice journaliste periodista redactor redactora correspondente")

// orgWords mark a name part as an organisation.
var orgWords = wordSet("press news business insider international times post media agency wire wires services " +
	"service magazine journal daily tribune herald network tv radio group team reuters afp dpa efe ansa upi " +
	"bloomberg cnn bbc nbc cbs abc npr ap usa today online digital desk newsroom gazette chronicle telegraph " +
	"guardian observer courier review weekly monthly sun star globe mail express independent associated")

var weekdays = wordSet("monday tuesday wednesday thursday friday saturday sunday")

// refineNames cleans the names read from a byline; site names (the page's
// own) count as organisations.
func refineNames(names []string, site []string) []string {
	var out []string
	var orgs []string
	var parts []string
	for _, n := range names {
		// "Troy L. Smith, Cleveland.com": a full name, then its affiliation
		// ("Kooman, F." is a surname first).
		if i := strings.IndexByte(n, ','); i > 0 && wordCount(n[:i]) >= 2 {
			parts = append(parts, splitNames(n)...)
		} else if pp := splitNames(n); len(pp) > 1 && allFullNames(pp) {
			// "Ann Lee og Bo Ray" declared as one person: two people.
			parts = append(parts, pp...)
		} else {
			parts = append(parts, n)
		}
	}
	for _, n := range parts {
		n = collapse(n)
		n = reCreditPrefix.ReplaceAllString(n, "")
		n = strings.TrimSpace(reOnDate.ReplaceAllString(n, ""))
		// "Finian Cunningham. Sputnik International": a sentence break
		// before an organisation.
		if i := strings.Index(n, ". "); i > 0 && isOrgPart(n[i+2:], site) && wordCount(n[:i]) >= 2 &&
			len(lastWord(n[:i])) > 1 {
			n = n[:i]
		}
		words := strings.Fields(n)
		for len(words) > 2 && weekdays[strings.ToLower(strings.Trim(words[len(words)-1], ".,"))] {
			words = words[:len(words)-1]
		}
		// "JILL LAWLESS Associated Press": an agency after the name.
		for k := len(words) - 2; k >= 2; k-- {
			if allOrg(words[k:]) && !anyOrg(words[:k]) {
				words = words[:k]
				break
			}
		}
		n = strings.Join(words, " ")
		// "Ann Lee (al)": the initials or handle the paper signs with.
		if m := reNameCode.FindStringIndex(n); m != nil && wordCount(n[:m[0]]) >= 2 &&
			!agencies[strings.ToLower(strings.Trim(n[m[0]:], " ()."))] {
			n = n[:m[0]]
		}
		n = trimRoleSuffix(n)
		switch {
		case len(parts) > 1 && description(n):
			// "Ann Lee, professor of law at the university": what she is.
		case n == "":
		case isDegree(n), isRole(n):
		case agencies[strings.ToLower(n)]:
			// A wire agency credited beside the people stays, apart.
			out = append(out, n)
		case isOrgPart(n, site):
			orgs = append(orgs, n)
		default:
			out = append(out, n)
		}
	}
	if len(out) == 0 && len(orgs) == 0 {
		return names
	}
	if len(out) == 0 {
		return orgs
	}
	return out
}

// reNameCode is a short parenthesised code after a name: "(al)", "(AL.)",
// "(@annlee)".
var reNameCode = regexp.MustCompile(`\s*\(@?[\p{L}.]{1,6}\)$`)

// roleSuffixes are the job titles written after a name in Korean, Japanese
// and Chinese bylines ("김민수 기자", "山田太郎記者").
var roleSuffixes = []string{"선임기자", "객원기자", "기자", "특파원", "논설위원", "編集委員", "特派員", "記者", "记者", "特派员", "编辑"}

// trimRoleSuffix removes a role written after a name in Korean, Japanese
// or Chinese, leaving a name of at least two letters.
func trimRoleSuffix(n string) string {
	for _, s := range roleSuffixes {
		if rest, ok := strings.CutSuffix(n, s); ok {
			rest = strings.TrimSpace(rest)
			if utf8.RuneCountInString(rest) >= 2 {
				return rest
			}
		}
	}
	return n
}

// description reports a part that describes a person rather than names one:
// more than six words, or three words or more in lower case ("professor of
// law at the university"); a name has at most a particle or two in lower
// case ("Ludwig van der Rohe").
func description(s string) bool {
	words := strings.Fields(s)
	if len(words) > 6 {
		return true
	}
	lower := 0
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLower(r) {
			lower++
		}
	}
	return lower >= 3
}

// nameParticles are the lower-case words inside people's names.
var nameParticles = wordSet("de da das do dos di du del della der den van von la le ten ter bin binti al el y")

// allFullNames reports whether every part reads as a person's full name:
// two to five words, each capitalised or a particle ("Ana de la Cruz"), so
// that "Procter & Gamble" or "Ministry of Health and Welfare" stay whole.
func allFullNames(parts []string) bool {
	for _, p := range parts {
		words := strings.Fields(p)
		if len(words) < 2 || len(words) > 5 {
			return false
		}
		for _, w := range words {
			if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) && !nameParticles[w] {
				return false
			}
		}
	}
	return true
}

// agencies are news agencies that bylines credit beside the reporters.
var agencies = wordSet("ap afp dpa reuters efe ansa apa sda kna epd kyodo xinhua tass ria upi anp belga")

func anyOrg(words []string) bool {
	for _, w := range words {
		if orgWords[strings.ToLower(strings.Trim(w, ".,"))] {
			return true
		}
	}
	return false
}

// isDegree reports an academic or professional suffix: "MS", "RDN",
// "Ph.D.", "MD".
func isDegree(s string) bool {
	t := strings.ReplaceAll(strings.TrimSpace(s), ".", "")
	if len(t) < 2 || len(t) > 5 || strings.ContainsRune(t, ' ') {
		return false
	}
	switch strings.ToLower(t) {
	case "phd", "md", "ms", "msc", "ma", "mba", "rd", "rdn", "rn", "dds", "jd", "llm", "cpa", "cfa", "ba", "bsc", "mph", "do", "np", "pa":
		return true
	}
	return false
}

// isRole reports a part made of role words and organisation words with at
// least one role word: "AP Sports Writer", "CNN Editor-at-large".
func isRole(s string) bool {
	role := false
	for _, w := range strings.Fields(strings.ToLower(s)) {
		w = strings.Trim(w, ".,")
		switch {
		case roleWords[w]:
			role = true
		case orgWords[w], isAllCaps(w):
		default:
			if !strings.Contains(w, "-") {
				return false
			}
			for _, p := range strings.Split(w, "-") {
				if !roleWords[p] && p != "at" && p != "large" && p != "in" {
					return false
				}
			}
			role = true
		}
	}
	return role
}

// isOrgPart reports a name part that reads as an organisation: the site's
// own name, a domain, a single capitalised word beside other names, or words
// naming a publication or agency.
func isOrgPart(s string, site []string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for _, n := range site {
		if n != "" && strings.EqualFold(n, s) {
			return true
		}
	}
	low := strings.ToLower(s)
	if strings.Contains(low, ".com") || strings.Contains(low, ".co.") || strings.HasSuffix(low, ".org") || strings.HasSuffix(low, ".net") {
		return true
	}
	for _, w := range strings.Fields(low) {
		if orgWords[strings.Trim(w, ".,")] {
			return true
		}
	}
	return false
}

func allOrg(words []string) bool {
	for _, w := range words {
		if !orgWords[strings.ToLower(strings.Trim(w, ".,"))] {
			return false
		}
	}
	return true
}

// isAllCaps reports a word in capitals only ("CNN", "AP").
func isAllCaps(w string) bool {
	caps := false
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			caps = true
		}
	}
	return caps
}

// singleWordOrg reports a lone capitalised word among several name parts
// ("Victor Tangermann, Futurism"): a publication, not a person.
func singleWordOrg(s string) bool {
	if strings.ContainsRune(strings.TrimSpace(s), ' ') {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// dropAffiliations removes, from names that hold at least one person of two
// words or more, the single-word parts that follow a person: the
// publication credited beside the author.
func dropAffiliations(names []string) []string {
	person := false
	for _, n := range names {
		if wordCount(n) >= 2 {
			person = true
		}
	}
	if !person || len(names) < 2 {
		return names
	}
	out := names[:0:0]
	for i, n := range names {
		if i > 0 && singleWordOrg(n) && !agencies[strings.ToLower(n)] && wordCount(names[i-1]) >= 2 {
			continue
		}
		out = append(out, n)
	}
	return out
}
