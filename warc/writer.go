package warc

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"
	gowarc "github.com/nlnwa/gowarc/v3"
)

// WriterOptions configures Create.
type WriterOptions struct {
	// Dir is the directory the WARC files are written to; it is created if
	// missing.
	Dir string
	// Prefix starts every file name (default "newsarchive").
	Prefix string
	// MaxSize rotates to a new file before a record would take the current
	// one past this many bytes on disk (default 1 GiB, the WARC 1.1 annex C
	// recommendation).
	MaxSize int64
	// Info is the content of the warcinfo record that opens every file,
	// after the format and conformsTo fields.
	Info []Field
	// GzipLevel is the per-record gzip level (default gzip.BestSpeed: the
	// crawl's CPU budget matters more than a few percent of disk).
	GzipLevel int
}

// Exchange is one HTTP request and response as they crossed the wire, the
// input of Writer.WriteExchange.
type Exchange struct {
	URL        string
	RemoteAddr string // "ip:port" or ""
	Date       time.Time
	Request    []byte
	Response   []byte
	// Complete is false when Response was cut short (size cap, abort,
	// network); the response record then carries WARC-Truncated.
	Complete bool
	// Metadata, when set, is written as a metadata record about the
	// exchange (see WriteMetadata) right after the response, in the same
	// write.
	Metadata []Field
	// Original, set for a conditional request, is the capture whose
	// validators it sent: a 304 answer is then written as a revisit record
	// of the server-not-modified profile referring to it (WARC 1.1
	// §6.7.3), never as a response record of its own.
	Original *RecordRef
}

// Written is what WriteExchange wrote.
type Written struct {
	// Location is the response (or revisit) record's place.
	Location Location
	// ResponseID is its WARC-Record-ID, for metadata records to refer to.
	ResponseID string
	// Revisit is set when the payload repeated one already written and a
	// revisit record was written instead of a response.
	Revisit bool
	// NotModified is set when a 304 was written as a revisit of
	// Exchange.Original.
	NotModified bool
}

// Writer writes exchanges to a rotating series of gzip-per-record WARC/1.1
// files. Its methods are safe for concurrent use.
//
// A record's header is the WARC library's (gowarc) WarcFields, serialised
// by it; the block is written from the caller's bytes as they are. (The
// library's record builder copies each block into a buffer and hashes it a
// second time while marshalling; with it, WARC writing cost about twice the
// CPU.) Each record is compressed into its own gzip member in the calling
// goroutine, outside any lock, so concurrent callers compress in parallel,
// and each call's records reach the file in one write: only that append is
// serialised.
type Writer struct {
	dir     string
	names   *nameGen
	maxSize int64
	level   int
	info    []Field

	seenMu sync.Mutex
	seen   map[[sha1.Size]byte]revisitRef // payload SHA-1 → first response
	// writing holds the payloads whose first response is being written:
	// a revisit of one waits, so that it never precedes its original.
	writing map[[sha1.Size]byte]chan struct{}

	mu     sync.Mutex // the file state below
	f      *os.File
	open   string // path while being written (".open" suffix)
	final  string // path once closed
	size   int64
	infoID string // WARC-Warcinfo-ID of the current file, or of the next one
	closed bool

	encoders sync.Pool // *encoder
	records  atomic.Int64
}

// revisitRef is what a revisit record needs of the first response with a
// payload, kept compact: one is held per distinct payload of the crawl.
type revisitRef struct {
	id   [16]byte // record id (UUID)
	date int64    // WARC-Date, Unix nanoseconds
	uri  string
}

// encoder marshals records into consecutive gzip members in buf.
type encoder struct {
	buf  bytes.Buffer
	head bytes.Buffer // one record's version line and header
	gz   *gzip.Writer
	ends []int // end offset in buf of each record's member
}

// record is one WARC record: its header fields and its content block.
type record struct {
	h     gowarc.WarcFields
	block []byte
}

// newRecord starts a record with its type, id and date.
func newRecord(typ gowarc.RecordType, id string, date time.Time) *record {
	r := &record{}
	r.h.Add(gowarc.WarcType, typ.String())
	r.h.Add(gowarc.WarcRecordID, id)
	r.h.AddTimeNano(gowarc.WarcDate, date)
	return r
}

// setBlock sets the content block, its length and its digest.
func (r *record) setBlock(block []byte, digest string) {
	r.block = block
	if digest == "" {
		digest = Digest(block)
	}
	r.h.Add(gowarc.WarcBlockDigest, digest)
	r.h.AddInt(gowarc.ContentLength, len(block))
}

// Create opens a Writer. No file is created before the first record.
func Create(opts WriterOptions) (*Writer, error) {
	if opts.Dir == "" {
		return nil, errors.New("warc: create: no directory")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("warc: create: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("warc: create: %w", err)
	}
	if opts.Prefix == "" {
		opts.Prefix = "newsarchive"
	}
	if opts.MaxSize <= 0 {
		opts.MaxSize = 1 << 30
	}
	if opts.GzipLevel == 0 {
		opts.GzipLevel = gzip.BestSpeed
	}
	if _, err := gzip.NewWriterLevel(io.Discard, opts.GzipLevel); err != nil {
		return nil, fmt.Errorf("warc: create: %w", err)
	}
	var tag [3]byte
	_, _ = rand.Read(tag[:])
	return &Writer{
		dir:     dir,
		names:   &nameGen{dir: dir, prefix: opts.Prefix, tag: hex.EncodeToString(tag[:])},
		maxSize: opts.MaxSize,
		level:   opts.GzipLevel,
		info:    opts.Info,
		seen:    make(map[[sha1.Size]byte]revisitRef),
		writing: make(map[[sha1.Size]byte]chan struct{}),
		infoID:  newID(),
	}, nil
}

// Dir returns the absolute directory the files are written to.
func (w *Writer) Dir() string { return w.dir }

// Records returns how many records were written so far.
func (w *Writer) Records() int64 { return w.records.Load() }

// Close finishes the current file (renaming it from its .open name). Writes
// after Close fail.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	if err := w.closeFile(); err != nil {
		return fmt.Errorf("warc: close: %w", err)
	}
	return nil
}

// closeFile closes and renames the current file, if any; w.mu is held.
func (w *Writer) closeFile() error {
	if w.f == nil {
		return nil
	}
	f := w.f
	w.f, w.size = nil, 0
	w.infoID = newID()
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", w.open, err)
	}
	if err := os.Rename(w.open, w.final); err != nil {
		return fmt.Errorf("rename %s: %w", w.open, err)
	}
	return nil
}

// ensureFile makes room for n more bytes: it rotates when they would take a
// non-empty file past the size limit and opens a file (starting with its
// warcinfo record) when none is open; w.mu is held.
func (w *Writer) ensureFile(n int64) error {
	if w.f != nil && w.size > 0 && w.size+n > w.maxSize {
		if err := w.closeFile(); err != nil {
			return err
		}
	}
	if w.f != nil {
		return nil
	}
	name := w.names.next()
	w.final = filepath.Join(w.dir, name)
	w.open = w.final + ".open"
	f, err := os.OpenFile(w.open, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	e := w.encoder()
	defer w.encoders.Put(e)
	if err := e.marshal([]*record{w.warcinfo(name, w.infoID)}, ""); err != nil {
		_ = f.Close()
		return fmt.Errorf("warcinfo: %w", err)
	}
	if _, err := f.Write(e.buf.Bytes()); err != nil {
		_ = f.Close()
		return fmt.Errorf("warcinfo: %w", err)
	}
	w.f, w.size = f, int64(e.buf.Len())
	w.records.Add(1)
	return nil
}

// warcinfo builds the record that opens file name.
func (w *Writer) warcinfo(name, id string) *record {
	var sb strings.Builder
	sb.WriteString("format: WARC File Format 1.1\r\n")
	sb.WriteString("conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
	for _, f := range w.info {
		sb.WriteString(f.Name + ": " + oneLine(f.Value) + "\r\n")
	}
	r := newRecord(gowarc.Warcinfo, id, time.Now().UTC())
	r.h.Add(gowarc.WarcFilename, name)
	r.h.Add(gowarc.ContentType, gowarc.ApplicationWarcFields)
	r.setBlock([]byte(sb.String()), "")
	return r
}

func (w *Writer) encoder() *encoder {
	if e, ok := w.encoders.Get().(*encoder); ok {
		return e
	}
	gz, _ := gzip.NewWriterLevel(nil, w.level) // level checked by Create
	return &encoder{gz: gz}
}

// marshal writes recs as consecutive gzip members into e.buf, each naming
// infoID (if set) as its warcinfo record.
func (e *encoder) marshal(recs []*record, infoID string) error {
	e.buf.Reset()
	e.ends = e.ends[:0]
	for _, r := range recs {
		if infoID != "" {
			r.h.Set(gowarc.WarcWarcinfoID, infoID)
		}
		e.head.Reset()
		e.head.WriteString("WARC/1.1\r\n")
		if _, err := r.h.Write(&e.head); err != nil {
			return err
		}
		e.head.WriteString("\r\n")
		e.gz.Reset(&e.buf)
		_, _ = e.gz.Write(e.head.Bytes()) // writes to a bytes.Buffer do not fail
		_, _ = e.gz.Write(r.block)
		_, _ = e.gz.Write(recordEnd)
		if err := e.gz.Close(); err != nil {
			return err
		}
		e.ends = append(e.ends, e.buf.Len())
	}
	return nil
}

var recordEnd = []byte("\r\n\r\n")

// emit compresses recs and appends them to the current file in one write,
// returning where each one lies.
func (w *Writer) emit(recs []*record) ([]Location, error) {
	e := w.encoder()
	defer w.encoders.Put(e)
	w.mu.Lock()
	id, closed := w.infoID, w.closed
	w.mu.Unlock()
	if closed {
		return nil, errors.New("writer closed")
	}
	for {
		if err := e.marshal(recs, id); err != nil {
			return nil, err
		}
		w.mu.Lock()
		if w.closed {
			w.mu.Unlock()
			return nil, errors.New("writer closed")
		}
		if err := w.ensureFile(int64(e.buf.Len())); err != nil {
			w.mu.Unlock()
			return nil, err
		}
		if w.infoID != id {
			// The file rotated after the records were marshalled: they
			// must name the new file's warcinfo record.
			id = w.infoID
			w.mu.Unlock()
			continue
		}
		off, file := w.size, w.final
		n, err := w.f.Write(e.buf.Bytes())
		w.size += int64(n)
		if err != nil {
			// A short write (disk full) leaves a cut record at the end of
			// this file: later records start a new one.
			_ = w.closeFile()
		}
		w.mu.Unlock()
		if err != nil {
			return nil, err
		}
		w.records.Add(int64(len(recs)))
		locs := make([]Location, len(recs))
		start := 0
		for i, end := range e.ends {
			locs[i] = Location{File: file, Offset: off + int64(start)}
			start = end
		}
		return locs, nil
	}
}

// nameGen names files prefix-YYYYMMDDhhmmss-tag-NNNNN.warc.gz: the time
// and a random tag per Writer keep names unique across crawls, the serial
// within one.
type nameGen struct {
	dir, prefix, tag string
	serial           int
}

// next returns the next file name; the Writer's mu is held.
func (g *nameGen) next() string {
	g.serial++
	return fmt.Sprintf("%s-%s-%s-%05d.warc.gz", g.prefix, time.Now().UTC().Format("20060102150405"), g.tag, g.serial)
}

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return string(appendOneLine(nil, s))
}

// appendOneLine appends s with its line breaks replaced by spaces.
func appendOneLine(b []byte, s string) []byte {
	if !strings.ContainsAny(s, "\r\n") {
		return append(b, s...)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' || c == '\n' {
			c = ' '
		}
		b = append(b, c)
	}
	return b
}

// newID returns a random (version 4) UUID record id. It does not use the
// uuid package, whose random pool the WARC library toggles on every record
// builder it makes (a global written without synchronisation).
func newID() string { return idString(newUUID()) }

// newUUID returns a random (version 4) UUID.
func newUUID() [16]byte {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

// idString formats u as a WARC-Record-ID.
func idString(u [16]byte) string { return "<urn:uuid:" + uuidString(u) + ">" }

func uuidString(u [16]byte) string {
	h := hex.EncodeToString(u[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// WriteExchange writes a request record and a response record (or, when
// the 2xx payload repeats one already written by this Writer, a revisit
// record of the identical-payload-digest profile; for a 304 to a
// conditional request, a revisit of the server-not-modified profile, see
// Exchange.Original) linked to each other by WARC-Concurrent-To, in one
// file. An exchange without response bytes
// writes nothing and returns a zero Written.
func (w *Writer) WriteExchange(ex Exchange) (Written, error) {
	if len(ex.Response) == 0 {
		return Written{}, nil
	}
	date := ex.Date.UTC()
	if date.IsZero() {
		date = time.Now().UTC()
	}
	ip := ""
	if h, _, err := net.SplitHostPort(ex.RemoteAddr); err == nil {
		ip = h
	}

	final := skipInterim(ex.Response)
	head, rest, headOK := splitHead(final)
	status := 0
	var payloadDigest string
	var payloadSum [sha1.Size]byte
	if headOK {
		st, _, h, err := parseResponseHead(head)
		if err == nil {
			status = st
			if body, _ := entityBody(h, rest); len(body) > 0 {
				payloadSum = sha1.Sum(body)
				payloadDigest = "sha1:" + b32.EncodeToString(payloadSum[:])
			}
		}
	}

	respUUID := newUUID()
	respID, reqID := idString(respUUID), ""
	if len(ex.Request) > 0 {
		reqID = newID()
	}
	var ref revisitRef
	var original chan struct{} // set when this response is a payload's first
	revisit := false
	if payloadDigest != "" && status >= 200 && status <= 299 && ex.Complete {
		var wait chan struct{}
		w.seenMu.Lock()
		if r, ok := w.seen[payloadSum]; ok {
			ref, revisit, wait = r, true, w.writing[payloadSum]
		} else {
			w.seen[payloadSum] = revisitRef{id: respUUID, date: date.UnixNano(), uri: ex.URL}
			original = make(chan struct{})
			w.writing[payloadSum] = original
		}
		w.seenMu.Unlock()
		if wait != nil {
			<-wait
		}
	}
	written := false
	if original != nil {
		defer func() {
			w.seenMu.Lock()
			delete(w.writing, payloadSum)
			if !written {
				delete(w.seen, payloadSum) // nothing to refer to: the next one is a response
			}
			w.seenMu.Unlock()
			close(original)
		}()
	}
	block := ex.Response
	if revisit {
		block = ex.Response[:len(ex.Response)-len(final)+len(head)]
	}
	// A 304 confirms the original: the revisit has no block (§6.7.3
	// allows none), so that replayers serve the original's status, headers
	// and payload; the conditional request stays in the request record.
	notModified := status == 304 && ex.Original != nil && ex.Original.TargetURI != "" && ex.Original.Date != ""
	if notModified {
		block = nil
	}

	var recs []*record
	if reqID != "" {
		r := newRecord(gowarc.Request, reqID, date)
		r.h.Add(gowarc.WarcTargetURI, ex.URL)
		r.h.Add(gowarc.ContentType, "application/http;msgtype=request")
		if ip != "" {
			r.h.Add(gowarc.WarcIPAddress, ip)
		}
		r.h.Add(gowarc.WarcConcurrentTo, respID)
		r.setBlock(ex.Request, "")
		recs = append(recs, r)
	}
	typ := gowarc.Response
	if revisit || notModified {
		typ = gowarc.Revisit
	}
	r := newRecord(typ, respID, date)
	r.h.Add(gowarc.WarcTargetURI, ex.URL)
	if !notModified {
		r.h.Add(gowarc.ContentType, "application/http;msgtype=response")
	}
	if ip != "" {
		r.h.Add(gowarc.WarcIPAddress, ip)
	}
	if reqID != "" {
		r.h.Add(gowarc.WarcConcurrentTo, reqID)
	}
	switch {
	case notModified:
		r.h.Add(gowarc.WarcProfile, ProfileNotModified)
		if ex.Original.ID != "" {
			r.h.Add(gowarc.WarcRefersTo, ex.Original.ID)
		}
		r.h.Add(gowarc.WarcRefersToTargetURI, ex.Original.TargetURI)
		r.h.Add(gowarc.WarcRefersToDate, ex.Original.Date)
	case revisit:
		r.h.Add(gowarc.WarcProfile, ProfileIdenticalPayload)
		r.h.Add(gowarc.WarcRefersTo, idString(ref.id))
		r.h.Add(gowarc.WarcRefersToTargetURI, ref.uri)
		r.h.Add(gowarc.WarcRefersToDate, time.Unix(0, ref.date).UTC().Format(time.RFC3339Nano))
		r.h.Add(gowarc.WarcTruncated, "length")
	case !ex.Complete:
		r.h.Add(gowarc.WarcTruncated, "length")
	}
	if payloadDigest != "" && !notModified {
		r.h.Add(gowarc.WarcPayloadDigest, payloadDigest)
	}
	r.setBlock(block, "")
	recs = append(recs, r)
	if len(ex.Metadata) > 0 {
		recs = append(recs, metadataRecord(ex.URL, respID, date, ex.Metadata))
	}

	locs, err := w.emit(recs)
	if err != nil {
		return Written{}, fmt.Errorf("warc: write %s: %w", ex.URL, err)
	}
	written = true
	resp := len(locs) - 1
	if len(ex.Metadata) > 0 {
		resp--
	}
	return Written{Location: locs[resp], ResponseID: respID, Revisit: revisit, NotModified: notModified}, nil
}

// WriteMetadata writes a metadata record about uri (application/warc-fields,
// one "outlink: URL" field per link, Heritrix's convention), concurrent to
// the record concurrentTo.
func (w *Writer) WriteMetadata(uri, concurrentTo string, date time.Time, fields []Field) error {
	if _, err := w.emit([]*record{metadataRecord(uri, concurrentTo, date, fields)}); err != nil {
		return fmt.Errorf("warc: metadata record %s: %w", uri, err)
	}
	return nil
}

// metadataRecord builds a metadata record of fields about uri.
func metadataRecord(uri, concurrentTo string, date time.Time, fields []Field) *record {
	var b []byte
	for _, f := range fields {
		b = append(b, f.Name...)
		b = append(b, ": "...)
		b = appendOneLine(b, f.Value)
		b = append(b, "\r\n"...)
	}
	r := newRecord(gowarc.Metadata, newID(), date.UTC())
	r.h.Add(gowarc.WarcTargetURI, uri)
	r.h.Add(gowarc.ContentType, gowarc.ApplicationWarcFields)
	if concurrentTo != "" {
		r.h.Add(gowarc.WarcConcurrentTo, concurrentTo)
	}
	r.setBlock(b, "")
	return r
}
