package extract

import (
	"math/rand/v2"
	"strings"
	"testing"
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
