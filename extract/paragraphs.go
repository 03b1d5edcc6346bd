package extract

import "strings"

// Paragraphs splits an Article's BodyText into its paragraphs and headings
// (separated by blank lines), trimmed, without empty ones.
func Paragraphs(bodyText string) []string {
	var out []string
	for p := range strings.SplitSeq(bodyText, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
