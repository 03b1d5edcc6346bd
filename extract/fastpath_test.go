package extract

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/text/transform"
)

// editorStems are the pieces mayCreditEditor looks for.
var editorStems = []string{"dit", "DIT", "dici", "DICI", "edig", "earbeit", "edici", "cura", "edac", "edak", "ewerk", "编辑", "編集", "едакт"}

func containsStem(t string) bool {
	for _, s := range editorStems {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// TestMayCreditEditorStems checks the one-pass stem test against searching
// for each stem, on every stem in every position and on random text built
// from their pieces.
func TestMayCreditEditorStems(t *testing.T) {
	for _, s := range editorStems {
		for _, pre := range []string{"", "x", "e", "ear", "Ed", "日"} {
			for _, post := range []string{"", "x", "ed", "。"} {
				for cut := 0; cut <= len(s); cut++ {
					in := pre + s[:cut] + post
					if got, want := mayCreditEditor(in), containsStem(in); got != want {
						t.Errorf("mayCreditEditor(%q) = %v, want %v", in, got, want)
					}
				}
			}
		}
	}
	pieces := []string{"d", "D", "e", "i", "t", "c", "u", "r", "a", "b", "w", "k", "g", "I", "T", "C", " ",
		"编", "辑", "編", "集", "е", "д", "а", "к", "т", "\xe7", "\xd0"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		in := b.String()
		if got, want := mayCreditEditor(in), containsStem(in); got != want {
			t.Fatalf("mayCreditEditor(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestHasPrefixASCIIFold checks the scheme test of resolve against
// lowercasing the whole reference, including letters outside ASCII whose
// lowercase is ASCII (the Kelvin sign, the dotted capital I, the long s).
func TestHasPrefixASCIIFold(t *testing.T) {
	refs := []string{"javascript:void(0)", "JavaScript:x", "JAVASCRIPT:", "javascript", "data:image/png", "DATA:x",
		"Data", "vbscript:x", "VBScript:msg", "java\u212Ascript:x", "javascr\u0130pt:x", "data\u017F:", "javaſcript:",
		"https://example.com/", "/a/b", "", "d", "\xffdata:", "Ｄata:"}
	for _, ref := range refs {
		for _, p := range []string{"javascript:", "data:", "vbscript:"} {
			if got, want := hasPrefixASCIIFold(ref, p), strings.HasPrefix(strings.ToLower(ref), p); got != want {
				t.Errorf("hasPrefixASCIIFold(%q, %q) = %v, want %v", ref, p, got, want)
			}
		}
	}
}

// TestDecodeSingleByte checks the table conversion of single-byte charsets
// against their decoders, on every byte value and on a page-like text.
func TestDecodeSingleByte(t *testing.T) {
	all := make([]byte, 0, 512)
	for c := range 256 {
		all = append(all, byte(c))
	}
	all = append(all, "<p class=\"x\">Привет, мир \xc0\xff\x80\x98</p>"...)
	rng := rand.New(rand.NewPCG(5, 6))
	for range 4000 { // runs of ASCII of every length between other bytes
		if rng.IntN(4) == 0 {
			all = append(all, byte(0x80+rng.IntN(128)))
		} else {
			all = append(all, byte(rng.IntN(128)))
		}
	}
	for _, name := range []string{"windows-1251", "windows-1252", "iso-8859-2", "iso-8859-8", "koi8-r", "ibm866", "macintosh", "x-mac-cyrillic", "windows-874"} {
		cm, ok := singleByte(name)
		if !ok {
			t.Fatalf("singleByte(%q): not a single-byte charset", name)
		}
		want, _, err := transform.Bytes(cm.NewDecoder(), all)
		if err != nil {
			t.Fatal(err)
		}
		if got := decodeSingleByte(cm, all); !bytes.Equal(got, want) {
			t.Errorf("%s: decodeSingleByte differs from the decoder:\n%q\n%q", name, got, want)
		}
	}
	for _, name := range []string{"utf-8", "shift_jis", "gbk", "euc-kr", "utf-16le"} {
		if _, ok := singleByte(name); ok {
			t.Errorf("singleByte(%q) = true", name)
		}
	}
}

// localBoilerplateRef is localBoilerplate as it was before its length gate:
// every short line lowercased.
func localBoilerplateRef(t string) bool {
	if len(t) > 200 {
		return false
	}
	k := strings.ToLower(strings.TrimFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
	if boilerLabels[k] {
		return true
	}
	if i := strings.IndexAny(k, ":："); i > 0 {
		head := strings.TrimSpace(k[:i])
		return boilerLabels[head] || readAlsoLabels[head]
	}
	return false
}

// TestLocalBoilerplateGate checks that the length gate of localBoilerplate
// changes no answer: every label, padded, cased and with letters that
// lowercase to fewer bytes, and random lines of label pieces.
func TestLocalBoilerplateGate(t *testing.T) {
	var lines []string
	for l := range boilerLabels {
		up := strings.ToUpper(l)
		lines = append(lines, l, up, "— "+up+" —", l+": x", "  "+l+"  ", strings.Repeat("\u212A", len(l)), l+strings.Repeat(".", 60),
			strings.Repeat("-", 80)+l+strings.Repeat("-", 80), l+" "+strings.Repeat("x", 50))
	}
	for l := range readAlsoLabels {
		lines = append(lines, l+": Title", strings.ToUpper(l)+"：x", l+" "+strings.Repeat("y", 60))
	}
	lines = append(lines, strings.Repeat("\u212A", 20), strings.Repeat("\u212A", 60), strings.Repeat("\xff", 70), "")
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"anzeige", "ANZEIGE", "\u212A", "İ", " ", ":", "：", "-", "x", "é", "広告", "\xff", "read more"}
	for range 50000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		lines = append(lines, b.String())
	}
	for _, l := range lines {
		if got, want := localBoilerplate(l), localBoilerplateRef(l); got != want {
			t.Errorf("localBoilerplate(%q) = %v, want %v", l, got, want)
		}
	}
}

// bioAttrRef is bioAttr as eight searches, one per word.
func bioAttrRef(n *html.Node) bool {
	fold := func(sub string) bool {
		for _, a := range n.Attr {
			if (a.Key == "class" || a.Key == "id" || a.Key == "itemprop") && containsFold(a.Val, sub) {
				return true
			}
		}
		return false
	}
	for _, w := range []string{"bio", "desc", "excerpt", "about", "summary", "content", "text", "details"} {
		if fold(w) {
			return true
		}
	}
	return false
}

// TestBioAttr checks the one-pass bio word test against searching for each
// word, on random attribute values made of the words' pieces.
func TestBioAttr(t *testing.T) {
	pieces := []string{"bio", "BIO", "Bi", "o", "desc", "DeSc", "det", "ails", "excerpt", "ex", "about", "ABOUT", "summ", "ary",
		"content", "CONT", "ent", "text", "TEX", "t", "details", "-", " ", "_", "é", "\xff", "author"}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 100000 {
		var attrs []html.Attribute
		for range rng.IntN(3) {
			var b strings.Builder
			for range rng.IntN(6) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			key := []string{"class", "id", "itemprop", "title"}[rng.IntN(4)]
			attrs = append(attrs, html.Attribute{Key: key, Val: b.String()})
		}
		n := &html.Node{Type: html.ElementNode, Data: "div", Attr: attrs}
		if got, want := bioAttr(n), bioAttrRef(n); got != want {
			t.Fatalf("bioAttr(%v) = %v, want %v", attrs, got, want)
		}
	}
}
