package warc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Response is one HTTP response read from a WARC, ARC or WACZ file: a
// response record, a resource record with an http(s) URI, or a revisit
// record resolved against the response it refers to.
type Response struct {
	URL      string // WARC-Target-URI, without <…>
	Date     time.Time
	RecordID string   // WARC-Record-ID without <…>
	Location Location // of the response or revisit record
	Status   int
	// Header is the response header as Go's HTTP client hands it over:
	// Transfer-Encoding removed, and Content-Encoding and Content-Length
	// removed when the payload was decoded.
	Header http.Header
	// Body is the payload with transfer and content encodings removed
	// where they decode, at most ReadOptions.MaxBody bytes.
	Body []byte
	// Truncated is set when the body was cut at MaxBody or the record
	// itself was cut short (WARC-Truncated, a block or encoded payload cut
	// by the end of the file, a Content-Length that could not be used).
	Truncated bool
	// Undecoded says why an encoding named in the header was not removed
	// from Body ("" when none was left): a recorder that stored the body
	// already de-chunked or decompressed keeps the header, and the bytes
	// are kept as stored.
	Undecoded string
	// Revisit is set when the record was a revisit and the payload came from
	// the record it refers to (RefersTo).
	Revisit  bool
	RefersTo Location
	// PayloadDigest is the WARC-Payload-Digest as recorded ("" when none).
	PayloadDigest string
}

// ReadOptions configures a Reader.
type ReadOptions struct {
	// MaxBody caps a decoded body (default 16 MiB, the crawl's cap). Memory
	// use is bounded by it, whatever the records declare.
	MaxBody int64
}

// FileStats counts what a Reader met in one file.
type FileStats struct {
	Format    string `json:"format"`    // "warc", "warc.gz", "arc", "arc.gz", "wacz", …
	Records   int64  `json:"records"`   // records read, of every type
	Responses int64  `json:"responses"` // HTTP responses handed out (revisits included)
	// Malformed counts stretches of the file that were no record and were
	// skipped (SkippedBytes in all) and records that could not be used.
	Malformed    int64 `json:"malformed"`
	SkippedBytes int64 `json:"skipped_bytes"`
	// Truncated counts responses whose body was cut short; BadLength the
	// records whose Content-Length was garbage, negative or past the end.
	Truncated int64 `json:"truncated"`
	BadLength int64 `json:"bad_length"`
	// Undecoded counts responses kept as stored because an encoding their
	// header names did not decode (see Response.Undecoded).
	Undecoded int64 `json:"kept_undecoded"`
	// NotModified counts server-not-modified revisits: no payload.
	NotModified int64 `json:"not_modified_revisits"`
	// Other counts records that are no HTTP response (warcinfo, request,
	// metadata, DNS, …).
	Other int64      `json:"other_records"`
	WACZ  *WACZCheck `json:"wacz,omitempty"`
}

// Index remembers where response records lie, to resolve revisit records,
// also across files. Share one Index between the Readers of one import.
// It is not safe for concurrent use.
type Index struct {
	byID     map[string]recordRef
	byDigest map[string]recordRef
}

// recordRef is where an original response lies and how to read it again.
type recordRef struct {
	loc  Location
	open func() (*io.SectionReader, io.Closer, error)
	at   pos
}

// NewIndex returns an empty Index.
func NewIndex() *Index {
	return &Index{byID: make(map[string]recordRef), byDigest: make(map[string]recordRef)}
}

// part is one stream of records: the file, or one WARC inside a WACZ.
type part struct {
	name string // "" for the file itself, else the zip entry
	open func() (*io.SectionReader, io.Closer, error)
}

// Reader reads the HTTP responses of one WARC, ARC or WACZ file, in file
// order.
type Reader struct {
	path  string
	f     *os.File
	opts  ReadOptions
	idx   *Index
	parts []part
	i     int // current part
	sc    *scanner
	// closer releases the current part's source (a spooled zip entry).
	closer io.Closer
	stats  FileStats
	// pending is an error to report before the records (a bad package).
	pending error
}

// OpenReader opens a WARC, ARC or WACZ file for reading; the format and
// compression are sniffed, not taken from the name. idx may be nil.
func OpenReader(path string, idx *Index, opts ReadOptions) (*Reader, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("warc: open %s: %w", path, err)
	}
	f, err := os.Open(abs)
	if err != nil {
		return nil, fmt.Errorf("warc: open %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("warc: open %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("warc: open %s: not a regular file", path)
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 16 << 20
	}
	if idx == nil {
		idx = NewIndex()
	}
	r := &Reader{path: abs, f: f, opts: opts, idx: idx}
	var magic [4]byte
	n, _ := f.ReadAt(magic[:], 0)
	var check *WACZCheck
	if n == 4 && string(magic[:]) == "PK\x03\x04" {
		var parts []part
		check, parts, err = openWACZ(abs, f, st.Size())
		r.stats.Format, r.stats.WACZ, r.parts = "wacz", check, parts
		if err != nil {
			// Reported by the first Next. A zip that is no WACZ has no
			// records to read; one that is no zip is read as WARC, for what
			// it may hold.
			r.pending = fmt.Errorf("warc: %s: %w: %w", filepath.Base(abs), ErrMalformed, err)
		}
	}
	if r.parts == nil && check == nil {
		size := st.Size()
		r.parts = []part{{open: func() (*io.SectionReader, io.Closer, error) {
			g, err := os.Open(abs)
			if err != nil {
				return nil, nil, err
			}
			return io.NewSectionReader(g, 0, size), g, nil
		}}}
		r.stats.Format = "warc"
		if n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			r.stats.Format = "warc.gz"
		}
	}
	r.i = -1
	return r, nil
}

// Stats returns what was read so far.
func (r *Reader) Stats() FileStats { return r.stats }

// Close closes the file.
func (r *Reader) Close() error {
	if r.closer != nil {
		r.closer.Close()
		r.closer = nil
	}
	return r.f.Close()
}

// nextPart moves to the next stream of records; false at the end.
func (r *Reader) nextPart() (bool, error) {
	if r.closer != nil {
		r.closer.Close()
		r.closer, r.sc = nil, nil
	}
	r.i++
	if r.i >= len(r.parts) {
		return false, nil
	}
	src, c, err := r.parts[r.i].open()
	if err != nil {
		return true, fmt.Errorf("warc: %s: %s: %w: %w", filepath.Base(r.path), r.parts[r.i].name, ErrMalformed, err)
	}
	r.sc, r.closer = newScanner(src), c
	return true, nil
}

// location names the record at p of the current part.
func (r *Reader) location(p pos) Location {
	f := r.path
	if name := r.parts[r.i].name; name != "" {
		f += "#" + name
	}
	return Location{File: f, Offset: p.off}
}

// Next returns the next HTTP response of the file. Records that are not
// HTTP responses (warcinfo, request, metadata, DNS) are skipped. At the end
// it returns io.EOF. Bytes that are no record, and a record that cannot be
// used, return an error wrapping ErrMalformed: report it and call Next
// again, which goes on with the following record. A revisit record whose
// original is not known (yet) returns an *UnresolvedRevisit error; retry it
// with Resolve once every file has been read.
func (r *Reader) Next() (*Response, error) {
	if err := r.pending; err != nil {
		r.pending = nil
		r.stats.Malformed++
		return nil, err
	}
	for {
		if r.sc == nil {
			more, err := r.nextPart()
			if !more {
				return nil, io.EOF
			}
			if err != nil {
				r.stats.Malformed++
				return nil, err
			}
		}
		rec, err := r.sc.next()
		if lost := r.sc.takeLost(); lost > 0 {
			r.stats.SkippedBytes += lost
		}
		if err == io.EOF {
			r.sc = nil
			continue
		}
		if err != nil {
			r.stats.Malformed++
			return nil, fmt.Errorf("warc: %s%s: %w: %w", filepath.Base(r.path), partSuffix(r.parts[r.i].name), ErrMalformed, err)
		}
		r.stats.Records++
		if rec.version == "ARC" && r.stats.Records == 1 {
			r.stats.Format = strings.Replace(r.stats.Format, "warc", "arc", 1)
		}
		if rec.badLength != "" {
			r.stats.BadLength++
		}
		resp, err := r.decode(rec)
		if resp == nil && err == nil {
			r.stats.Other++
			continue
		}
		if err != nil {
			var ur *UnresolvedRevisit
			if !errors.As(err, &ur) {
				r.stats.Malformed++
			}
			return nil, err
		}
		r.count(resp)
		return resp, nil
	}
}

func (r *Reader) count(resp *Response) {
	r.stats.Responses++
	if resp.Truncated {
		r.stats.Truncated++
	}
	if resp.Undecoded != "" {
		r.stats.Undecoded++
	}
}

func partSuffix(name string) string {
	if name == "" {
		return ""
	}
	return " (" + name + ")"
}

// decode turns a response, resource or revisit record into a Response;
// other records give (nil, nil).
func (r *Reader) decode(rec *rawRecord) (*Response, error) {
	h := rec.h
	typ := strings.ToLower(strings.TrimSpace(h.Get("WARC-Type")))
	if typ != TypeResponse && typ != TypeRevisit && typ != TypeResource {
		return nil, nil
	}
	uri := strings.Trim(strings.TrimSpace(h.Get("WARC-Target-URI")), "<>")
	if !strings.HasPrefix(uri, "http://") && !strings.HasPrefix(uri, "https://") {
		return nil, nil // dns:, whois:, ftp:, urn: …
	}
	ct := strings.ToLower(h.Get("Content-Type"))
	httpBlock := ct == "" || strings.HasPrefix(ct, "application/http")
	if typ == TypeResponse && !httpBlock {
		// A response record holding the document without its HTTP
		// message (some converters write them): read as a resource.
		typ = TypeResource
	}
	loc := r.location(rec.at)
	resp := &Response{
		URL: uri, RecordID: recordID(h.Get("WARC-Record-ID")), Location: loc,
		PayloadDigest: strings.TrimSpace(h.Get("WARC-Payload-Digest")),
		Truncated:     h.Get("WARC-Truncated") != "" || rec.badLength != "",
		Date:          parseWARCDate(h.Get("WARC-Date")),
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("warc: %s%s at %s (%s): %w: %s", filepath.Base(r.path), partSuffix(r.parts[r.i].name), rec.at, uri, ErrMalformed, fmt.Sprintf(format, a...))
	}
	switch typ {
	case TypeResource:
		if httpBlock {
			return nil, nil
		}
		body, cut, err := readCapped(rec.block, r.opts.MaxBody)
		if err != nil {
			return nil, bad("block: %v", err)
		}
		resp.Status, resp.Header, resp.Body = 200, http.Header{"Content-Type": {h.Get("Content-Type")}}, body
		resp.Truncated = resp.Truncated || cut || rec.block.short
		return resp, nil
	case TypeResponse:
		ref := recordRef{loc: loc, open: r.parts[r.i].open, at: rec.at}
		if resp.RecordID != "" {
			r.idx.byID[resp.RecordID] = ref
		}
		if resp.PayloadDigest != "" {
			if _, ok := r.idx.byDigest[resp.PayloadDigest]; !ok {
				r.idx.byDigest[resp.PayloadDigest] = ref
			}
		}
		m, err := readMessage(rec.block, r.opts.MaxBody)
		if err != nil {
			return nil, bad("%v", err)
		}
		m.trimDelimited(rec)
		m.fill(resp, r.opts.MaxBody)
		return resp, nil
	}
	profile := strings.ToLower(h.Get("WARC-Profile"))
	if strings.Contains(profile, "server-not-modified") {
		r.stats.NotModified++
		return nil, nil
	}
	resp.Revisit = true
	ur := &UnresolvedRevisit{Response: resp, refersTo: recordID(h.Get("WARC-Refers-To")), maxBody: r.opts.MaxBody,
		RefersToURL: strings.Trim(strings.TrimSpace(h.Get("WARC-Refers-To-Target-URI")), "<>")}
	if ur.RefersToURL == "" {
		ur.RefersToURL = uri
	}
	// The revisit's own HTTP head, when it has one (WARC 1.1 §6.7.2).
	if m, err := readMessage(rec.block, 0); err == nil {
		ur.head = m
	}
	if err := r.idx.Resolve(ur); err != nil {
		return nil, err
	}
	return ur.Response, nil
}

// recordID normalises a record ID for lookups: writers differ on the angle
// brackets WARC 1.1 §5.2 puts around it.
func recordID(v string) string {
	return strings.Trim(strings.TrimSpace(v), "<>")
}

// parseWARCDate reads a WARC-Date: RFC 3339 (WARC 1.0, 1.1, with or
// without fractions) or the 14-digit form of WARC 0.17 and ARC; zero when it
// is neither.
func parseWARCDate(v string) time.Time {
	v = strings.TrimSpace(v)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "20060102150405"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// UnresolvedRevisit is the error for a revisit record whose original
// response was not read yet.
type UnresolvedRevisit struct {
	Response *Response // what is known: URL, date, location, digest
	// RefersToURL is the URL of the original capture
	// (WARC-Refers-To-Target-URI, else the revisit's own).
	RefersToURL string
	head        *message // the revisit's own HTTP head, nil when none
	refersTo    string
	maxBody     int64
}

// Error implements error.
func (u *UnresolvedRevisit) Error() string {
	return fmt.Sprintf("warc: revisit of %s at %s:%d: original (%s %s) not found", u.Response.URL,
		filepath.Base(u.Response.Location.File), u.Response.Location.Offset, u.refersTo, u.Response.PayloadDigest)
}

// Resolve completes u.Response from its original: the record named by
// WARC-Refers-To, else the first response with the same payload digest.
// It returns u itself while the original is unknown.
func (idx *Index) Resolve(u *UnresolvedRevisit) error {
	ref, ok := idx.byID[u.refersTo]
	if !ok && u.Response.PayloadDigest != "" {
		ref, ok = idx.byDigest[u.Response.PayloadDigest]
	}
	if !ok {
		return u
	}
	orig, err := readMessageAt(ref, u.maxBody)
	if err != nil {
		return fmt.Errorf("warc: revisit of %s: original at %s:%d: %w: %w", u.Response.URL, filepath.Base(ref.loc.File), ref.loc.Offset, ErrMalformed, err)
	}
	u.Response.RefersTo = ref.loc
	// The revisit's own head (status and headers of this capture) with the
	// original's payload.
	if u.head != nil && u.head.status != 0 {
		orig.status, orig.header = u.head.status, u.head.header
	}
	orig.fill(u.Response, u.maxBody)
	return nil
}

// ResolveWith completes u.Response with a decoded body found elsewhere (a
// capture of RefersToURL archived before): the revisit's own status and
// header, when it has them, else 200.
func (u *UnresolvedRevisit) ResolveWith(body []byte, truncated bool) {
	resp := u.Response
	resp.Status, resp.Header = 200, http.Header{}
	if u.head != nil && u.head.status != 0 {
		resp.Status, resp.Header = u.head.status, u.head.header.Clone()
	}
	for _, k := range []string{"Transfer-Encoding", "Content-Encoding", "Content-Length"} {
		resp.Header.Del(k)
	}
	resp.Body, resp.Truncated = body, truncated
}

// readMessageAt reads the HTTP message of the record at ref.
func readMessageAt(ref recordRef, maxBody int64) (*message, error) {
	src, c, err := ref.open()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	s := newScanner(src)
	if err := s.seek(ref.at); err != nil {
		return nil, err
	}
	rec, err := s.next()
	if err != nil {
		return nil, err
	}
	m, err := readMessage(rec.block, maxBody)
	if err != nil {
		return nil, err
	}
	m.trimDelimited(rec)
	return m, nil
}

// readCapped reads up to limit bytes of r; cut is set when there was more.
func readCapped(r io.Reader, limit int64) (b []byte, cut bool, err error) {
	return readCappedInto(nil, r, limit)
}

// readCappedInto is readCapped appending to buf.
func readCappedInto(buf []byte, r io.Reader, limit int64) (b []byte, cut bool, err error) {
	lr := io.LimitReader(r, limit+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, rerr := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			err = rerr
			break
		}
	}
	if int64(len(buf)) > limit {
		return buf[:limit], true, err
	}
	return buf, false, err
}

// message is an HTTP response read from a record block.
type message struct {
	status int
	header http.Header
	// payload is the entity as stored, at most the raw cap; cut is set when
	// there was more, short when the block itself ended early.
	payload []byte
	cut     bool
	short   bool
	headLen int64 // bytes of the block before the payload
}

// rawSlack is what an entity may take beyond MaxBody before decoding
// (chunk framing); a body cut there is cut at MaxBody anyway.
const rawSlack = 1 << 20

// readMessage reads the head of the HTTP response in block (1xx interim
// responses skipped) and at most maxBody+rawSlack bytes of its payload;
// maxBody 0 reads the head only.
func readMessage(block *blockReader, maxBody int64) (*message, error) {
	br := bufio.NewReaderSize(block, 16<<10)
	m := &message{}
	for {
		var head bytes.Buffer
		for {
			line, err := br.ReadSlice('\n')
			head.Write(line)
			if head.Len() > maxHeaderBytes {
				return nil, errors.New("HTTP response head is too long")
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err != nil {
				if head.Len() == 0 {
					return nil, errors.New("no HTTP response in the block")
				}
				return nil, errors.New("HTTP response head is incomplete")
			}
			if t := bytes.TrimRight(line, "\r\n"); len(t) == 0 && head.Len() > len(line) {
				break
			}
			if head.Len() == len(line) && len(bytes.TrimSpace(line)) == 0 {
				head.Reset() // blank lines before the status line
			}
		}
		m.headLen += int64(head.Len())
		status, _, hdr, err := parseResponseHead(head.Bytes())
		if err != nil {
			return nil, err
		}
		m.status, m.header = status, hdr
		if status >= 200 || status < 100 {
			break
		}
	}
	if maxBody == 0 {
		return m, nil
	}
	limit := maxBody + rawSlack
	var buf []byte
	if n, ok := contentLength(m.header); ok && n < limit {
		// Sized from the header, so the body is not copied as it grows
		// (the header may lie: it is only a first capacity).
		buf = make([]byte, 0, n+512)
	}
	var err error
	m.payload, m.cut, err = readCappedInto(buf, br, limit)
	if err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	m.short = block.short && !m.cut
	return m, nil
}

// trimDelimited drops the record separator from a payload whose block was
// delimited by the next record or cut by the end of its stream rather than
// ended by its length.
func (m *message) trimDelimited(rec *rawRecord) {
	b := rec.block
	if b.short && b.cand != nil {
		// The block ran over later records (in one gzip stream): the
		// payload ends where the first of them starts.
		if keep := b.cand.skip - (b.start.skip + m.headLen); keep >= 0 && keep < int64(len(m.payload)) {
			m.payload = m.payload[:keep]
		}
	}
	if rec.length < 0 || b.short {
		m.payload = bytes.TrimSuffix(m.payload, []byte("\r\n\r\n"))
	}
}

// fill decodes m's payload into resp.
func (m *message) fill(resp *Response, maxBody int64) {
	hdr := m.header.Clone()
	body, truncated, note := decodePayload(hdr, m.payload, m.cut || m.short, maxBody)
	resp.Status, resp.Header, resp.Body = m.status, hdr, body
	resp.Truncated = resp.Truncated || truncated || m.cut || m.short
	resp.Undecoded = note
}
