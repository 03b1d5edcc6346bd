package warc

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
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
}

// Writer writes exchanges to a rotating series of gzip-per-record WARC/1.1
// files. Its methods are safe for concurrent use.
type Writer struct {
	w   *gowarc.WarcFileWriter
	dir string

	// mu serialises record building and writing. The library's writer
	// writes one record at a time anyway, and its record builders write a
	// package-level flag of the uuid package (uuid.EnableRandPool) each time
	// one is made, also in its own goroutine when it opens a file: holding mu
	// across the build and the write keeps those writes ordered.
	mu   sync.Mutex
	seen map[string]revisitRef // payload digest → first response

	records atomic.Int64
}

type revisitRef struct {
	id, uri, date string
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
	var tag [3]byte
	_, _ = rand.Read(tag[:])
	names := &nameGen{dir: dir, prefix: opts.Prefix, tag: hex.EncodeToString(tag[:])}
	info := opts.Info
	w := gowarc.NewWarcFileWriter(
		gowarc.WithFileNameGenerator(names),
		gowarc.WithMaxFileSize(opts.MaxSize),
		gowarc.WithCompression(true),
		gowarc.WithCompressionLevel(opts.GzipLevel),
		// Our records are compressed HTML at about 4:1; the library's
		// rotation estimate uses this ratio before writing a record.
		gowarc.WithExpectedCompressionRatio(0.3),
		gowarc.WithAddWarcConcurrentToHeader(true),
		gowarc.WithRecordOptions(gowarc.WithNoValidation()),
		gowarc.WithWarcInfoFunc(func(b gowarc.WarcRecordBuilder) error {
			var sb strings.Builder
			sb.WriteString("format: WARC File Format 1.1\r\n")
			sb.WriteString("conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
			for _, f := range info {
				sb.WriteString(f.Name + ": " + oneLine(f.Value) + "\r\n")
			}
			_, err := b.WriteString(sb.String())
			b.AddWarcHeader(gowarc.WarcBlockDigest, Digest([]byte(sb.String())))
			return err
		}),
	)
	return &Writer{w: w, dir: dir, seen: make(map[string]revisitRef)}, nil
}

// Dir returns the absolute directory the files are written to.
func (w *Writer) Dir() string { return w.dir }

// Records returns how many records were written so far.
func (w *Writer) Records() int64 { return w.records.Load() }

// Close finishes the current file (renaming it from its .open name).
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.w.Close(); err != nil {
		return fmt.Errorf("warc: close: %w", err)
	}
	return nil
}

// nameGen names files prefix-YYYYMMDDhhmmss-tag-NNNNN.warc(.gz): the time
// and a random tag per Writer keep names unique across crawls, the serial
// within one.
type nameGen struct {
	dir, prefix, tag string
	serial           atomic.Int32
}

// NewWarcfileName implements gowarc.WarcFileNameGenerator.
func (g *nameGen) NewWarcfileName() (string, string) {
	n := g.serial.Add(1)
	return g.dir, fmt.Sprintf("%s-%s-%s-%05d.warc", g.prefix, time.Now().UTC().Format("20060102150405"), g.tag, n)
}

func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

// newID returns a random (version 4) UUID record id. It does not use the
// uuid package, whose random pool the WARC library toggles on every record
// builder it makes (a global written without synchronisation).
func newID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return "<urn:uuid:" + uuidString(u) + ">"
}

func uuidString(u [16]byte) string {
	h := hex.EncodeToString(u[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// WriteExchange writes a request record and a response record (or, when
// the 2xx payload repeats one already written by this Writer, a revisit
// record of the identical-payload-digest profile) linked to each other by
// WARC-Concurrent-To, in one file. An exchange without response bytes
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
	if headOK {
		st, _, h, err := parseResponseHead(head)
		if err == nil {
			status = st
			body, _ := entityBody(h, rest)
			payloadDigest = Digest(body)
			if len(body) == 0 {
				payloadDigest = ""
			}
		}
	}

	respID := newID()
	reqDigest, respBlockDigest := Digest(ex.Request), Digest(ex.Response)
	w.mu.Lock()
	defer w.mu.Unlock()
	var ref revisitRef
	revisit := false
	if payloadDigest != "" && status >= 200 && status <= 299 && ex.Complete {
		if r, ok := w.seen[payloadDigest]; ok {
			ref, revisit = r, true
		} else {
			w.seen[payloadDigest] = revisitRef{id: respID, uri: ex.URL, date: date.Format(time.RFC3339Nano)}
		}
	}

	var recs []gowarc.WarcRecord
	if len(ex.Request) > 0 {
		rb := gowarc.NewRecordBuilder(gowarc.Request, gowarc.WithNoValidation())
		rb.AddWarcHeader(gowarc.WarcRecordID, newID())
		rb.AddWarcHeader(gowarc.WarcTargetURI, ex.URL)
		rb.AddWarcHeaderTime(gowarc.WarcDate, date)
		rb.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=request")
		if ip != "" {
			rb.AddWarcHeader(gowarc.WarcIPAddress, ip)
		}
		rb.AddWarcHeader(gowarc.WarcBlockDigest, reqDigest)
		if _, err := rb.Write(ex.Request); err != nil {
			return Written{}, fmt.Errorf("warc: request record %s: %w", ex.URL, err)
		}
		rec, _, err := rb.Build()
		if err != nil {
			return Written{}, fmt.Errorf("warc: request record %s: %w", ex.URL, err)
		}
		recs = append(recs, rec)
	}

	typ := gowarc.Response
	block := ex.Response
	if revisit {
		typ = gowarc.Revisit
		block = ex.Response[:len(ex.Response)-len(final)+len(head)]
	}
	rb := gowarc.NewRecordBuilder(typ, gowarc.WithNoValidation())
	rb.AddWarcHeader(gowarc.WarcRecordID, respID)
	rb.AddWarcHeader(gowarc.WarcTargetURI, ex.URL)
	rb.AddWarcHeaderTime(gowarc.WarcDate, date)
	rb.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
	if ip != "" {
		rb.AddWarcHeader(gowarc.WarcIPAddress, ip)
	}
	if revisit {
		rb.AddWarcHeader(gowarc.WarcProfile, ProfileIdenticalPayload)
		rb.AddWarcHeader(gowarc.WarcRefersTo, ref.id)
		rb.AddWarcHeader(gowarc.WarcRefersToTargetURI, ref.uri)
		rb.AddWarcHeader(gowarc.WarcRefersToDate, ref.date)
		rb.AddWarcHeader(gowarc.WarcTruncated, "length")
	} else if !ex.Complete {
		rb.AddWarcHeader(gowarc.WarcTruncated, "length")
	}
	if revisit {
		respBlockDigest = Digest(block)
	}
	rb.AddWarcHeader(gowarc.WarcBlockDigest, respBlockDigest)
	if payloadDigest != "" {
		rb.AddWarcHeader(gowarc.WarcPayloadDigest, payloadDigest)
	}
	if _, err := rb.Write(block); err != nil {
		closeAll(recs)
		return Written{}, fmt.Errorf("warc: response record %s: %w", ex.URL, err)
	}
	rec, _, err := rb.Build()
	if err != nil {
		closeAll(recs)
		return Written{}, fmt.Errorf("warc: response record %s: %w", ex.URL, err)
	}
	recs = append(recs, rec)

	res := w.w.Write(recs...)
	if len(res) != len(recs) {
		return Written{}, fmt.Errorf("warc: write %s: writer closed", ex.URL)
	}
	for _, r := range res {
		if r.Err != nil {
			return Written{}, fmt.Errorf("warc: write %s: %w", ex.URL, r.Err)
		}
	}
	w.records.Add(int64(len(recs)))
	last := res[len(res)-1]
	return Written{
		Location:   Location{File: filepath.Join(w.dir, last.FileName), Offset: last.FileOffset},
		ResponseID: respID,
		Revisit:    revisit,
	}, nil
}

// WriteMetadata writes a metadata record about uri (application/warc-fields,
// one "outlink: URL" field per link, Heritrix's convention), concurrent to
// the record concurrentTo.
func (w *Writer) WriteMetadata(uri, concurrentTo string, date time.Time, fields []Field) error {
	var sb strings.Builder
	for _, f := range fields {
		sb.WriteString(f.Name + ": " + oneLine(f.Value) + "\r\n")
	}
	b := []byte(sb.String())
	w.mu.Lock()
	defer w.mu.Unlock()
	rb := gowarc.NewRecordBuilder(gowarc.Metadata, gowarc.WithNoValidation())
	rb.AddWarcHeader(gowarc.WarcRecordID, newID())
	rb.AddWarcHeader(gowarc.WarcTargetURI, uri)
	rb.AddWarcHeaderTime(gowarc.WarcDate, date.UTC())
	rb.AddWarcHeader(gowarc.ContentType, gowarc.ApplicationWarcFields)
	if concurrentTo != "" {
		rb.AddWarcHeader(gowarc.WarcConcurrentTo, concurrentTo)
	}
	rb.AddWarcHeader(gowarc.WarcBlockDigest, Digest(b))
	if _, err := rb.Write(b); err != nil {
		return fmt.Errorf("warc: metadata record %s: %w", uri, err)
	}
	rec, _, err := rb.Build()
	if err != nil {
		return fmt.Errorf("warc: metadata record %s: %w", uri, err)
	}
	res := w.w.Write(rec)
	if len(res) != 1 {
		return fmt.Errorf("warc: metadata record %s: writer closed", uri)
	}
	if res[0].Err != nil {
		return fmt.Errorf("warc: metadata record %s: %w", uri, res[0].Err)
	}
	w.records.Add(1)
	return nil
}

func closeAll(recs []gowarc.WarcRecord) {
	for _, r := range recs {
		_ = r.Close()
	}
}
