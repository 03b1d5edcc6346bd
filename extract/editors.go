package extract

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Editor credits: "Edited by X", the wire style "Reporting by A; Editing by
// B and C" (parts also joined by commas), a label "Editor: X", in the major
// languages ("Redigiert von", "Édité par", "Edición:", "A cura di"). Never a
// masthead, a footer staff list or an "Editor-in-chief" of the site chrome:
// lines are read in the article and beside it, not in headers, footers or
// navigation, and a bare "Editor:" label only in the article.

// reCreditRole finds the start of each role of a credit line: "Reporting
// by", "with additional reporting by", "editing by", "Redigiert von".
var reCreditRole = regexp.MustCompile(`(?i)(?:^|[;,(.]\s*|\s+and\s+|\s+und\s+|\s+et\s+|\s+y\s+)(?:and\s+)?(?:with\s+)?(?:additional\s+)?` +
	`(reporting|writing|written|compiled|editing|edited|redigiert|bearbeitet|redaktion|[ée]dit[ée]e?|editado|editada|edici[óo]n|a\s+cura|redactie|bewerkt|redigert|redigerad|redakcja|reportage|texte)\s+` +
	`(by|von|par|por|di|door|av|przez)\b\s*:?\s*`)

// reEditorLabel is a label credit: "Editor: X", "Edición: X", "编辑：X".
var reEditorLabel = regexp.MustCompile(`(?i)^(?:editor|editors|editing|edited by|edition|edición|edicion|editado por|redaktion|redakteur|redakteurin|redigiert von|bearbeitet von|édité par|edité par|édition|[ée]diteur|[ée]ditrice|a cura di|redactie|eindredactie|redaktor|redaktør|redaktör|редактор|редакторы|編集|编辑|責任編集)\s*[:：]\s*(.{2,120})$`)

// editorRole reports a role phrase of reCreditRole that credits editing.
func editorRole(role string) bool {
	return containsAny(role, []string{"edit", "redig", "bearbeit", "édit", "edic", "a cura", "redac", "redak", "bewerkt"})
}

// contributorRole reports "with (additional) reporting by": contributors,
// not the article's authors.
func contributorRole(role string) bool {
	return strings.Contains(role, "with") || strings.Contains(role, "additional")
}

// creditParts splits a credit line into its roles: "(Reporting by A, B,
// with reporting by C, editing by D.)" gives reporting "A, B", reporting "C"
// and editing "D".
func creditParts(t string) (roles, names []string) {
	t = strings.TrimSpace(strings.Trim(strings.TrimSpace(t), "()"))
	locs := reCreditRole.FindAllStringSubmatchIndex(t, -1)
	for i, l := range locs {
		end := len(t)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		n := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(t[l[1]:end]), ".;,)"))
		roles = append(roles, strings.ToLower(t[l[0]:l[1]]))
		names = append(names, n)
	}
	return roles, names
}

// editorCredit reads the editors of one line: a wire or magazine credit
// ("… editing by B and C", "Edited by X") or, when label is true, a label
// ("Editor: X").
func editorCredit(t string, links []Link, label bool) []Editor {
	if len(t) > 300 || len(t) < 6 || !mayCreditEditor(t) {
		return nil
	}
	if label {
		if m := reEditorLabel.FindStringSubmatch(strings.TrimSpace(t)); m != nil {
			return parseEditorNames(m[1], links)
		}
	}
	roles, names := creditParts(t)
	var eds []Editor
	for i, r := range roles {
		if editorRole(r) {
			eds = append(eds, parseEditorNames(names[i], links)...)
		}
	}
	return eds
}

// stemAnchor marks the bytes mayCreditEditor stops at: one byte of each
// editing stem (the 'd' of "dit", "dici", "edig", "edac", "edak" and "edici",
// the 'D' of "DIT" and "DICI", the 'b' of "earbeit", the 'c' of "cura", the
// 'w' of "ewerk" and the first byte of "编辑", "編集" and "едакт").
var stemAnchor = [256]bool{'d': true, 'D': true, 'b': true, 'c': true, 'w': true, 0xE7: true, 0xD0: true}

// mayCreditEditor reports whether t holds a piece of every editing role word
// reCreditRole and reEditorLabel know ("dit", "DIT", "dici", "DICI", "edig",
// "earbeit", "edici", "cura", "edac", "edak", "ewerk", "编辑", "編集",
// "едакт"), a cheap test before the expressions run. It runs on
// every text node of the page, so it reads t once, stopping only at the
// anchor bytes of the stems, rather than searching for each stem in turn.
func mayCreditEditor(t string) bool {
	for i := 0; i < len(t); i++ {
		if !stemAnchor[t[i]] {
			continue
		}
		rest := t[i+1:]
		switch t[i] {
		case 'd':
			if strings.HasPrefix(rest, "it") || strings.HasPrefix(rest, "ici") {
				return true
			}
			if i > 0 && t[i-1] == 'e' && (strings.HasPrefix(rest, "ig") || strings.HasPrefix(rest, "ac") || strings.HasPrefix(rest, "ak")) {
				return true
			}
		case 'D':
			if strings.HasPrefix(rest, "IT") || strings.HasPrefix(rest, "ICI") {
				return true
			}
		case 'b':
			if i >= 3 && t[i-3:i] == "ear" && strings.HasPrefix(rest, "eit") {
				return true
			}
		case 'c':
			if strings.HasPrefix(rest, "ura") {
				return true
			}
		case 'w':
			if i > 0 && t[i-1] == 'e' && strings.HasPrefix(rest, "erk") {
				return true
			}
		default: // 0xE7, 0xD0
			if strings.HasPrefix(t[i:], "编辑") || strings.HasPrefix(t[i:], "編集") || strings.HasPrefix(t[i:], "едакт") {
				return true
			}
		}
	}
	return false
}

// editorLines looks for an editor credit line in the page, outside its
// header, footer and navigation, when the body's lines named none. Only the
// blocks holding a text node with an editing stem are read whole.
func (x *extraction) editorLines() {
	a := x.a
	if len(a.Editors) > 0 {
		return
	}
	var found []Editor
	tried := map[*html.Node]bool{}
	var walk func(n *html.Node, inArticle bool) bool
	walk = func(n *html.Node, inArticle bool) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				if !mayCreditEditor(c.Data) {
					continue
				}
				b := c.Parent
				for b != nil && b.Type == html.ElementNode && !isBlock(b) {
					b = b.Parent
				}
				if b == nil || b.Type != html.ElementNode || tried[b] {
					continue
				}
				tried[b] = true
				if t, ok := shortText(b, 300); ok {
					if eds := editorCredit(t, blockLinks(x, b), inArticle); len(eds) > 0 {
						found = eds
						return true
					}
				}
				continue
			}
			if c.Type != html.ElementNode || junkElement(c) {
				continue
			}
			switch c.DataAtom {
			case atom.Nav, atom.Footer, atom.Header, atom.Script, atom.Style, atom.Form:
				continue
			case atom.Article, atom.Main:
				if walk(c, true) {
					return true
				}
				continue
			}
			if c.DataAtom != atom.Aside && pageChrome(c) {
				continue
			}
			if walk(c, inArticle) {
				return true
			}
		}
		return false
	}
	walk(x.p.body, false)
	if len(found) > 0 {
		a.Editors = found
		x.set("editors", SourceHeuristic)
	}
}

// blockLinks returns the links of element n, resolved.
func blockLinks(x *extraction, n *html.Node) []Link {
	var out []Link
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			if u := resolve(x.p.base, attr(n, "href")); u != "" {
				out = append(out, Link{Title: collapse(textOf(n)), URL: u})
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return out
}

// parseEditorLine reads "Article edited by @SmokeyShorts, you can follow him on
// Twitter", "Edited by Jane Doe" and similar lines.
func parseEditorLine(text string, links []Link) ([]Editor, bool) {
	if len(text) > 300 || strings.Contains(text, "\n\n") {
		return nil, false
	}
	m := reEditorLine.FindStringSubmatch(strings.TrimSpace(text))
	if m == nil {
		return nil, false
	}
	return parseEditorNames(m[1], links), true
}

func parseEditorNames(rest string, links []Link) []Editor {
	// Cut the tail after the names: ", you can follow him…", ". Follow…", "(…".
	if i := strings.IndexAny(rest, ",;|("); i >= 0 && !strings.HasPrefix(strings.TrimSpace(rest[i:]), "(@") {
		rest = rest[:i]
	}
	rest = strings.TrimRight(strings.TrimSpace(rest), ".!")
	var eds []Editor
	for _, part := range splitNames(rest) {
		var ed Editor
		if m := reHandle.FindStringSubmatch(part); m != nil {
			ed.Handle = m[1]
			part = strings.TrimSpace(strings.Trim(strings.Replace(part, m[0], "", 1), "() "))
		}
		if part != "" && looksLikeName(part) {
			ed.Name = part
		}
		if ed.Name == "" && ed.Handle == "" {
			continue
		}
		ed.URL = profileLink(links, ed.Handle, ed.Name)
		eds = append(eds, ed)
	}
	return eds
}

// profileLink finds the link belonging to a handle or name among a line's links.
func profileLink(links []Link, handle, name string) string {
	for _, l := range links {
		if handle != "" {
			if u, err := url.Parse(l.URL); err == nil && strings.EqualFold(strings.Trim(u.Path, "/"), handle) {
				return l.URL
			}
			if strings.EqualFold(strings.TrimPrefix(l.Title, "@"), handle) {
				return l.URL
			}
		}
		if name != "" && strings.EqualFold(l.Title, name) {
			return l.URL
		}
	}
	return ""
}

// parseWireLine reads "Reporting by A and B; Editing by C" credit lines.
func parseWireLine(text string, links []Link) (authors []Author, editors []Editor, ok bool) {
	if len(text) > 300 || !(containsFold(text, "reporting") || containsFold(text, "writ") ||
		containsFold(text, "compiled")) || !reWireLine.MatchString(text) {
		return nil, nil, false
	}
	roles, parts := creditParts(text)
	for i, role := range roles {
		names := parts[i]
		switch {
		case editorRole(role):
			editors = append(editors, parseEditorNames(names, links)...)
		case contributorRole(role):
			// Contributors, not the article's authors.
		default:
			for _, n := range splitNames(names) {
				n = strings.TrimSpace(strings.TrimSuffix(n, " in"))
				if i := strings.Index(n, " in "); i > 0 {
					n = n[:i] // "Reporting by A in Moscow"
				}
				if looksLikeName(n) {
					authors = append(authors, Author{Name: n})
				}
			}
		}
	}
	return authors, editors, len(authors)+len(editors) > 0
}
