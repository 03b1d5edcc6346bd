package ingest

// crawl --warc: every exchange of a crawl is also written to WARC/1.1 files,
// and the archive records where each page's capture lies.

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/newsarchive/newsarchive/archive"
	"github.com/newsarchive/newsarchive/scraper"
	"github.com/newsarchive/newsarchive/warc"
)

// DefaultWARCMaxSize is the size at which WARC files are rotated (WARC 1.1
// annex C recommends 1 GB).
const DefaultWARCMaxSize = 1 << 30

// WARCOptions configure a WARCRecorder.
type WARCOptions struct {
	Dir       string // directory of the WARC files
	MaxSize   int64  // rotate before a file grows past this (0: DefaultWARCMaxSize)
	Software  string // the warcinfo software field, e.g. "newsarchive/0.1.0"
	UserAgent string
	Robots    bool           // robots.txt obeyed
	Settings  map[string]any // the crawl's settings, one warcinfo field each
}

// WARCRecorder writes the exchanges of crawled results to WARC files.
type WARCRecorder struct {
	w *warc.Writer
}

// NewWARCRecorder opens a WARC writer whose warcinfo records name the tool
// and the crawl settings.
func NewWARCRecorder(opts WARCOptions) (*WARCRecorder, error) {
	info := []warc.Field{
		{Name: "software", Value: opts.Software},
		{Name: "http-header-user-agent", Value: opts.UserAgent},
		{Name: "robots", Value: map[bool]string{true: "obey", false: "ignore"}[opts.Robots]},
		{Name: "description", Value: "newsarchive crawl"},
	}
	keys := make([]string, 0, len(opts.Settings))
	for k := range opts.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b, err := json.Marshal(opts.Settings[k])
		if err != nil {
			continue
		}
		info = append(info, warc.Field{Name: "newsarchive-" + k, Value: string(b)})
	}
	maxSize := opts.MaxSize
	if maxSize <= 0 {
		maxSize = DefaultWARCMaxSize
	}
	w, err := warc.Create(warc.WriterOptions{Dir: opts.Dir, MaxSize: maxSize, Info: info})
	if err != nil {
		return nil, fmt.Errorf("open WARC writer: %w", err)
	}
	return &WARCRecorder{w: w}, nil
}

// Close finishes the current WARC file.
func (r *WARCRecorder) Close() error { return r.w.Close() }

// Record writes res's exchanges (one request and response pair per hop, the
// last followed by a metadata record of the outlinks) and returns where the
// final response lies. Results without a response write nothing.
//
// original, when set, is the capture a 304 answer confirms: that answer is
// written as a revisit of it.
func (r *WARCRecorder) Record(res *scraper.Result, original *warc.RecordRef) (archive.WARCLocation, error) {
	resp := res.Response
	if resp == nil || len(resp.Wire) == 0 {
		return archive.WARCLocation{}, nil
	}
	// The metadata record (outlinks) goes with the last exchange that has
	// a response, in the same write.
	lastResp := -1
	for i, ex := range resp.Wire {
		if len(ex.Response) > 0 {
			lastResp = i
		}
	}
	var last warc.Written
	for i, ex := range resp.Wire {
		wex := warc.Exchange{
			URL: ex.URL, RemoteAddr: ex.RemoteAddr, Date: ex.Started,
			Request: ex.Request, Response: ex.Response, Complete: ex.Complete,
		}
		if i == lastResp {
			wex.Metadata = outlinkFields(res)
			wex.Original = original
		}
		wr, err := r.w.WriteExchange(wex)
		if err != nil {
			return archive.WARCLocation{}, fmt.Errorf("write WARC: %w", err)
		}
		if wr.ResponseID != "" {
			last = wr
		}
	}
	// The wire bytes are on disk now; their buffers go back to the crawler.
	resp.ReleaseWire()
	if last.ResponseID == "" {
		return archive.WARCLocation{}, nil
	}
	return archive.WARCLocation{File: last.Location.File, Offset: last.Location.Offset}, nil
}

// outlinkFields describes a page for its metadata record: how it was
// reached and the links found on it (Heritrix's "outlink" convention).
func outlinkFields(res *scraper.Result) []warc.Field {
	fields := make([]warc.Field, 0, len(res.Links)+2)
	if res.Entry.Via != "" {
		fields = append(fields, warc.Field{Name: "via", Value: res.Entry.Via})
	}
	fields = append(fields, warc.Field{Name: "hopsFromSeed", Value: strconv.Itoa(res.Entry.Depth)})
	for _, l := range res.Links {
		fields = append(fields, warc.Field{Name: "outlink", Value: l.URL})
	}
	return fields
}

// original returns the capture that r, a 304 answer to a conditional
// request, confirms: the record of the archived page whose validators were
// sent, read from its WARC file, or (when that page has no WARC record) its
// URL and fetch time. It returns nil for any other result, and when the
// page cannot be found (logged: the 304 is then written as a response).
func (s *Sink) original(ctx context.Context, r *scraper.Result) *warc.RecordRef {
	if r.Response == nil || !r.Response.NotModified {
		return nil
	}
	ref, ok, err := s.store.PreviousCapture(ctx, r.Entry.URL)
	if err != nil || !ok {
		s.logger.Warn("capture of a 304 not found", "url", r.Entry.URL, "error", err)
		return nil
	}
	if ref.WARC.File != "" {
		rr, err := warc.ReadRecordRef(warc.Location{File: ref.WARC.File, Offset: ref.WARC.Offset})
		if err == nil {
			return &rr
		}
		s.logger.Warn("WARC record of a 304's capture unreadable", "url", r.Entry.URL, "error", err)
	}
	return &warc.RecordRef{TargetURI: ref.URL, Date: ref.FetchedAt.UTC().Format(time.RFC3339Nano)}
}
