package extract

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Errors returned by Extract for input that holds no page to extract. They are
// wrapped with the page URL; test with errors.Is.
var (
	// ErrEmpty means the body is empty or only whitespace.
	ErrEmpty = errors.New("empty page")
	// ErrNotHTML means the body is not an HTML document: binary data (an image,
	// a PDF, an archive), a non-HTML Content-Type such as JSON, or text without
	// any markup.
	ErrNotHTML = errors.New("not an HTML page")
)

// maxDepth is the element depth kept when a page is too deeply nested for the
// HTML parser, which refuses more than 512 open elements.
const maxDepth = 400

// decode returns the page as UTF-8, detecting its encoding from the BOM, then the
// HTTP Content-Type charset, then <meta charset>/http-equiv (the HTML5 order that
// charset.DetermineEncoding implements), and checks that it is HTML at all.
func decode(header http.Header, body []byte) ([]byte, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, ErrEmpty
	}
	contentType := header.Get("Content-Type")
	if err := checkHTML(contentType, body); err != nil {
		return nil, err
	}
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if !certain && name == "windows-1252" && utf8.Valid(body) {
		// Nothing declared the charset and the first kilobyte (all that
		// DetermineEncoding reads) was ASCII: a page that is valid UTF-8 as a
		// whole is UTF-8, which is what most pages without a declaration are.
		name = "utf-8"
	}
	if name == "utf-8" || enc == nil {
		// Not validated here: invalid bytes pass through the parser and are
		// replaced in the record's fields (see validUTF8), which costs far
		// less than checking the whole page.
		return bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), nil
	}
	if strings.HasPrefix(name, "utf-16") {
		// Only a BOM selects UTF-16 (a meta tag naming it is ignored, as in
		// browsers); the decoder honours and removes the BOM.
		enc = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
		if bytes.HasPrefix(body, []byte{0xfe, 0xff}) {
			enc = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
		}
	}
	if cm, ok := singleByte(name); ok {
		return decodeSingleByte(cm, body), nil
	}
	// Sized for the common case (mostly ASCII markup, letters taking up to
	// two bytes in UTF-8) so the output is not grown step by step.
	out, _, err := transform.Append(enc.NewDecoder(), make([]byte, 0, 2*len(body)+512), body)
	if err != nil {
		// A decoder error means malformed input for that charset; fall back to
		// the bytes as UTF-8 with invalid sequences replaced rather than fail.
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), nil
	}
	if !utf8.Valid(out) {
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return out, nil
}

// singleByte returns the table of a single-byte charset (windows-125x,
// ISO 8859, KOI8, …) by its canonical name.
func singleByte(name string) (*charmap.Charmap, bool) {
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil, false
	}
	cm, ok := enc.(*charmap.Charmap)
	return cm, ok
}

// decodeSingleByte converts a page in a single-byte charset to UTF-8, as its
// decoder does (every byte becomes the UTF-8 of cm.DecodeByte, U+FFFD for
// undefined bytes), but copying runs of ASCII whole (in charsets that keep
// ASCII) and the other bytes from a table of the 256 encodings built once,
// into an output of the exact size: a fraction of the decoder's work and
// half its memory.
func decodeSingleByte(cm *charmap.Charmap, body []byte) []byte {
	var enc [256][utf8.UTFMax]byte
	var n [256]uint8
	keepsASCII := true
	for c := range 256 {
		n[c] = uint8(utf8.EncodeRune(enc[c][:], cm.DecodeByte(byte(c))))
		if c < utf8.RuneSelf && (n[c] != 1 || enc[c][0] != byte(c)) {
			keepsASCII = false
		}
	}
	size := 0
	for i := 0; i < len(body); i++ {
		if keepsASCII {
			k := asciiRun(body, i)
			size += k - i
			if i = k; i == len(body) {
				break
			}
		}
		size += int(n[body[i]])
	}
	out := make([]byte, 0, size)
	for i := 0; i < len(body); i++ {
		if keepsASCII {
			k := asciiRun(body, i)
			out = append(out, body[i:k]...)
			if i = k; i == len(body) {
				break
			}
		}
		c := body[i]
		out = append(out, enc[c][:n[c]]...)
	}
	return out
}

// asciiRun returns the end of the run of ASCII bytes of b starting at i,
// reading eight bytes at a time.
func asciiRun(b []byte, i int) int {
	for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
		i += 8
	}
	for i < len(b) && b[i] < utf8.RuneSelf {
		i++
	}
	return i
}

// checkHTML refuses bodies that are plainly not HTML. It is deliberately lenient:
// a text body with any tag in it is accepted, whatever the server said.
func checkHTML(contentType string, body []byte) error {
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		if err == nil && !htmlishType(mt) {
			return fmt.Errorf("%w: content type %s", ErrNotHTML, mt)
		}
	}
	head := body
	if len(head) > 512 {
		head = head[:512]
	}
	sniffed := http.DetectContentType(head)
	mt, _, _ := mime.ParseMediaType(sniffed)
	switch {
	case mt == "text/html", mt == "text/xml":
		return nil
	case mt == "text/plain":
		// UTF-16 text or HTML without a recognisable start: accept if there is a
		// tag somewhere near the start.
		if bytes.HasPrefix(body, []byte{0xfe, 0xff}) || bytes.HasPrefix(body, []byte{0xff, 0xfe}) {
			return nil
		}
		probe := body
		if len(probe) > 64<<10 {
			probe = probe[:64<<10]
		}
		if bytes.IndexByte(probe, '<') >= 0 && bytes.IndexByte(probe, 0) < 0 {
			return nil
		}
		return fmt.Errorf("%w: text without markup", ErrNotHTML)
	default:
		return fmt.Errorf("%w: content looks like %s", ErrNotHTML, mt)
	}
}

func htmlishType(mt string) bool {
	switch mt {
	case "text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml",
		"application/octet-stream", "":
		return true
	}
	return false
}

// parse builds the DOM. Pages nested deeper than the parser allows are
// rewritten with their excess nesting removed (text kept) and parsed again;
// flattened says so.
func parse(page []byte) (doc *html.Node, flattened bool, err error) {
	doc, err = html.Parse(bytes.NewReader(page))
	if err == nil {
		return doc, false, nil
	}
	for _, depth := range []int{maxDepth, 100, 0} {
		flat := flatten(page, depth)
		if doc, err2 := html.Parse(bytes.NewReader(flat)); err2 == nil {
			return doc, true, nil
		}
	}
	return nil, false, fmt.Errorf("parse html: %w", err)
}

type openTag struct {
	name string
	kept bool
}

// flatten copies the token stream, dropping start and end tags of elements that
// would open deeper than limit (their text and the tags of shallower elements are
// kept). With limit 0 only text remains.
func flatten(page []byte, limit int) []byte {
	var out bytes.Buffer
	out.Grow(len(page))
	z := html.NewTokenizer(bytes.NewReader(page))
	var stack []openTag
	kept := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out.Bytes()
		case html.StartTagToken:
			name, _ := z.TagName()
			n := string(name)
			if voidElement(n) {
				if limit > 0 {
					out.Write(z.Raw())
				}
				continue
			}
			keep := limit > 0 && kept < limit
			stack = append(stack, openTag{n, keep})
			if keep {
				kept++
				out.Write(z.Raw())
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			n := string(name)
			i := len(stack) - 1
			for i >= 0 && stack[i].name != n {
				i--
			}
			if i < 0 {
				continue
			}
			emit := stack[i].kept
			for _, t := range stack[i:] {
				if t.kept {
					kept--
				}
			}
			stack = stack[:i]
			if emit {
				out.Write(z.Raw())
			}
		case html.SelfClosingTagToken:
			if limit > 0 && kept < limit {
				out.Write(z.Raw())
			}
		case html.TextToken:
			out.Write(z.Raw())
		case html.DoctypeToken:
			out.Write(z.Raw())
		}
	}
}

func voidElement(name string) bool {
	switch name {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
		"source", "track", "wbr":
		return true
	}
	return false
}
