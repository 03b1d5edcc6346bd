package warc

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// Response is one HTTP response read from a WARC file: a response record,
// or a revisit record resolved against the response it refers to.
type Response struct {
	URL      string // WARC-Target-URI
	Date     time.Time
	RecordID string
	Location Location // of the response or revisit record
	Status   int
	// Header is the response header as Go's HTTP client hands it over:
	// Transfer-Encoding removed, and Content-Encoding and Content-Length
	// removed when the payload was decoded.
	Header http.Header
	// Body is the payload with transfer and content encodings removed, at
	// most ReadOptions.MaxBody bytes.
	Body []byte
	// Truncated is set when the body was cut at MaxBody or the record
	// itself was truncated (WARC-Truncated, a cut chunked body).
	Truncated bool
	// Revisit is set when the record was a revisit and the payload came from
	// the record it refers to (RefersTo).
	Revisit  bool
	RefersTo Location
	// PayloadDigest is the WARC-Payload-Digest as recorded ("" when none).
	PayloadDigest string
}

// ReadOptions configures a Reader.
type ReadOptions struct {
	// MaxBody caps a decoded body (default 16 MiB, the crawl's cap).
	MaxBody int64
}

// Index remembers where response records lie, to resolve revisit records,
// also across files. Share one Index between the Readers of one import.
// It is not safe for concurrent use.
type Index struct {
	byID     map[string]Location
	byDigest map[string]Location
}

// NewIndex returns an empty Index.
func NewIndex() *Index {
	return &Index{byID: make(map[string]Location), byDigest: make(map[string]Location)}
}

// Reader reads the HTTP responses of one WARC file (gzipped per record,
// whole-file gzipped, or plain), in file order.
type Reader struct {
	path  string
	f     *os.File
	wr    *gowarc.WarcFileReader
	opts  ReadOptions
	idx   *Index
	fails int
	last  int64
}

// OpenReader opens a WARC file for reading. idx may be nil.
func OpenReader(path string, idx *Index, opts ReadOptions) (*Reader, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("warc: open %s: %w", path, err)
	}
	f, err := os.Open(abs)
	if err != nil {
		return nil, fmt.Errorf("warc: open %s: %w", path, err)
	}
	wr, err := gowarc.NewWarcFileReaderFromStream(f, 0, readOptions()...)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("warc: open %s: %w", path, err)
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 16 << 20
	}
	if idx == nil {
		idx = NewIndex()
	}
	return &Reader{path: abs, f: f, wr: wr, opts: opts, idx: idx, last: -1}, nil
}

// readOptions are lenient: records of any crawler are read as they are; what
// matters to an import is the HTTP message inside, checked here. Spec
// violations are collected rather than ignored because only then does the
// library keep the block for us to read (it caches it to check the digest).
func readOptions() []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrIgnore),
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore),
		gowarc.WithSkipParseBlock(),
		gowarc.WithBufferMaxMemBytes(32 << 20),
	}
}

// Close closes the file.
func (r *Reader) Close() error {
	r.wr.Close()
	return nil
}

// maxConsecutiveFailures bounds the resynchronisation attempts after
// malformed records before the rest of a file is given up.
const maxConsecutiveFailures = 64

// Next returns the next HTTP response of the file. Records that are not
// HTTP responses (warcinfo, request, metadata, resource, DNS) are skipped.
// At the end it returns io.EOF. A record that cannot be read returns an
// error wrapping ErrMalformed: report it and call Next again, which goes on
// with the following record. A revisit record whose original is not known
// (yet) returns an *UnresolvedRevisit error; retry it with Resolve once
// every file has been read.
func (r *Reader) Next() (*Response, error) {
	for {
		rec, err := r.wr.Next()
		if err == io.EOF || errors.Is(err, gowarc.ErrNoRecord) {
			return nil, io.EOF
		}
		if err != nil {
			_ = rec.Close()
			r.fails++
			if r.fails > maxConsecutiveFailures || rec.Offset == r.last {
				return nil, io.EOF
			}
			r.last = rec.Offset
			return nil, fmt.Errorf("warc: %s at offset %d: %w: %w", filepath.Base(r.path), rec.Offset, ErrMalformed, err)
		}
		r.fails = 0
		r.last = rec.Offset
		resp, err := r.decode(rec)
		_ = rec.Close()
		if resp == nil && err == nil {
			continue
		}
		return resp, err
	}
}

// decode turns a response or revisit record into a Response; other records
// give (nil, nil).
func (r *Reader) decode(rec gowarc.Record) (*Response, error) {
	wr := rec.WarcRecord
	h := wr.WarcHeader()
	typ := wr.Type()
	if typ != gowarc.Response && typ != gowarc.Revisit {
		return nil, nil
	}
	ct := strings.ToLower(h.Get(gowarc.ContentType))
	uri := targetURI(rec)
	if !strings.HasPrefix(uri, "http://") && !strings.HasPrefix(uri, "https://") {
		return nil, nil // dns:, whois:, ftp: …
	}
	if ct != "" && !strings.HasPrefix(ct, "application/http") {
		return nil, nil
	}
	loc := Location{File: r.path, Offset: rec.Offset}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("warc: %s at offset %d (%s): %w: %s", filepath.Base(r.path), rec.Offset, uri, ErrMalformed, fmt.Sprintf(format, a...))
	}
	raw, err := wr.Block().RawBytes()
	if err != nil {
		return nil, bad("block: %v", err)
	}
	block, err := io.ReadAll(raw)
	if err != nil {
		return nil, bad("block: %v", err)
	}
	resp := &Response{
		URL: uri, RecordID: h.GetId(gowarc.WarcRecordID), Location: loc,
		PayloadDigest: h.Get(gowarc.WarcPayloadDigest),
		Truncated:     h.Get(gowarc.WarcTruncated) != "",
	}
	if d, err := wr.Date(); err == nil {
		resp.Date = d.UTC()
	}
	if typ == gowarc.Response {
		if resp.RecordID != "" {
			r.idx.byID[resp.RecordID] = loc
		}
		if resp.PayloadDigest != "" {
			if _, ok := r.idx.byDigest[resp.PayloadDigest]; !ok {
				r.idx.byDigest[resp.PayloadDigest] = loc
			}
		}
		if err := fillHTTP(resp, block, nil, r.opts.MaxBody); err != nil {
			return nil, bad("%v", err)
		}
		return resp, nil
	}
	profile := h.Get(gowarc.WarcProfile)
	if profile != ProfileIdenticalPayload && profile != ProfileIdenticalPayload10 {
		// server-not-modified revisits carry no payload to archive.
		return nil, nil
	}
	resp.Revisit = true
	ur := &UnresolvedRevisit{Response: resp, block: block,
		refersTo: strings.TrimSpace(h.Get(gowarc.WarcRefersTo)), maxBody: r.opts.MaxBody}
	if err := r.idx.Resolve(ur); err != nil {
		return nil, err
	}
	return ur.Response, nil
}

// UnresolvedRevisit is the error for a revisit record whose original
// response was not read yet.
type UnresolvedRevisit struct {
	Response *Response // what is known: URL, date, location, digest
	block    []byte
	refersTo string
	maxBody  int64
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
	loc, ok := idx.byID[u.refersTo]
	if !ok && u.Response.PayloadDigest != "" {
		loc, ok = idx.byDigest[u.Response.PayloadDigest]
	}
	if !ok {
		return u
	}
	orig, err := readRecordAt(loc)
	if err != nil {
		return fmt.Errorf("warc: revisit of %s: original at %s:%d: %w: %w", u.Response.URL, filepath.Base(loc.File), loc.Offset, ErrMalformed, err)
	}
	_, payload, _ := splitHead(skipInterim(orig))
	u.Response.RefersTo = loc
	// The revisit's own head (status and headers of this capture) with the
	// original's payload.
	if err := fillHTTP(u.Response, u.block, payload, u.maxBody); err != nil {
		return fmt.Errorf("warc: revisit of %s: %w: %w", u.Response.URL, ErrMalformed, err)
	}
	return nil
}

// readRecordAt returns the block of the record at loc.
func readRecordAt(loc Location) ([]byte, error) {
	f, err := os.Open(loc.File)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	wr, err := gowarc.NewWarcFileReaderFromStream(f, loc.Offset, readOptions()...)
	if err != nil {
		return nil, err
	}
	defer wr.Close()
	rec, err := wr.Next()
	if err != nil {
		return nil, err
	}
	defer rec.Close()
	raw, err := rec.WarcRecord.Block().RawBytes()
	if err != nil {
		return nil, err
	}
	return io.ReadAll(raw)
}

// fillHTTP parses an HTTP response block into resp. payload, when not nil,
// replaces the block's own payload (revisits).
func fillHTTP(resp *Response, block, payload []byte, maxBody int64) error {
	msg := skipInterim(block)
	head, rest, ok := splitHead(msg)
	if !ok {
		return errors.New("HTTP response head is incomplete")
	}
	status, _, hdr, err := parseResponseHead(head)
	if err != nil {
		return err
	}
	if payload != nil {
		rest = payload
	}
	body, err := entityBody(hdr, rest)
	if err != nil {
		resp.Truncated = true
	}
	chunked := strings.Contains(strings.ToLower(strings.Join(hdr.Values("Transfer-Encoding"), ",")), "chunked")
	hdr.Del("Transfer-Encoding")
	if chunked {
		hdr.Del("Content-Length")
	}
	decoded, did, err := decodeContent(hdr, body, maxBody)
	switch {
	case errors.Is(err, ErrUnsupportedEncoding):
		// Kept as transferred, like Go's client does with encodings it did
		// not ask for.
	case err != nil:
		return fmt.Errorf("payload: %w", err)
	case did:
		body = decoded
		hdr.Del("Content-Encoding")
		hdr.Del("Content-Length")
	}
	if int64(len(body)) > maxBody {
		body, resp.Truncated = body[:maxBody], true
	}
	resp.Status, resp.Header, resp.Body = status, hdr, body
	return nil
}

// targetURI returns a record's WARC-Target-URI without the angle brackets
// that WARC/1.0 writers (wget, older Heritrix) put around it. The library
// drops a value its URL parser rejects, such as a bracketed one, and reports
// it among the validation findings, where it is recovered from.
func targetURI(rec gowarc.Record) string {
	if v := rec.WarcRecord.WarcHeader().Get(gowarc.WarcTargetURI); v != "" {
		return strings.Trim(strings.TrimSpace(v), "<>")
	}
	for _, err := range rec.Validation {
		var he *gowarc.HeaderFieldError
		if !errors.As(err, &he) || he.FieldName != gowarc.WarcTargetURI {
			continue
		}
		i := strings.Index(he.Msg, "Url: '")
		j := strings.LastIndexByte(he.Msg, '\'')
		if i >= 0 && j > i+6 {
			return strings.Trim(strings.TrimSpace(he.Msg[i+6:j]), "<>")
		}
	}
	return ""
}
