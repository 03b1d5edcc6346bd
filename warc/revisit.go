package warc

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/klauspost/compress/gzip"
)

// RecordRef identifies the capture a server-not-modified revisit confirms:
// the values of its WARC-Refers-To, WARC-Refers-To-Target-URI and
// WARC-Refers-To-Date fields (WARC 1.1 §5.11–5.13).
type RecordRef struct {
	ID        string // WARC-Record-ID of the original record, "" when unknown
	TargetURI string
	Date      string // the original's WARC-Date, as written (W3C ISO 8601)
}

// ReadRecordRef reads the header of the record at loc and returns a
// reference to the response it holds. When that record is itself a revisit,
// the reference is to the response it refers to, so that a revisit never
// needs two hops to reach a payload. A file still being written (its
// ".open" name) is found too. Safe for concurrent use: it parses the header
// itself (the WARC library's reader toggles a global of the uuid package on
// every reader it makes).
func ReadRecordRef(loc Location) (RecordRef, error) {
	h, err := readHeaderAt(loc)
	if err != nil {
		return RecordRef{}, fmt.Errorf("warc: record at %s:%d: %w", loc.File, loc.Offset, err)
	}
	ref := RecordRef{ID: h["warc-record-id"], TargetURI: strings.Trim(h["warc-target-uri"], "<>"), Date: h["warc-date"]}
	if h["warc-type"] == TypeRevisit {
		if uri, date := h["warc-refers-to-target-uri"], h["warc-refers-to-date"]; uri != "" && date != "" {
			ref = RecordRef{ID: h["warc-refers-to"], TargetURI: strings.Trim(uri, "<>"), Date: date}
		}
	}
	if ref.TargetURI == "" || ref.Date == "" {
		return RecordRef{}, fmt.Errorf("warc: record at %s:%d: %w: no target URI or date", loc.File, loc.Offset, ErrMalformed)
	}
	return ref, nil
}

// readHeaderAt returns the header fields (names lowercased, first value)
// of the record at loc, gzipped per record or not.
func readHeaderAt(loc Location) (map[string]string, error) {
	f, err := os.Open(loc.File)
	if errors.Is(err, fs.ErrNotExist) {
		f, err = os.Open(loc.File + ".open")
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(io.NewSectionReader(f, loc.Offset, 1<<62))
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		defer zr.Close()
		r = zr
	}
	lr := bufio.NewReader(io.LimitReader(r, 1<<20))
	line, err := lr.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "WARC/") {
		return nil, fmt.Errorf("%w: no WARC version line", ErrMalformed)
	}
	h := map[string]string{}
	for {
		line, err := lr.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if err != nil && len(h) == 0 {
				return nil, fmt.Errorf("%w: header: %w", ErrMalformed, err)
			}
			return h, nil
		}
		if name, value, ok := strings.Cut(line, ":"); ok {
			name = strings.ToLower(strings.TrimSpace(name))
			if _, dup := h[name]; !dup {
				h[name] = strings.TrimSpace(value)
			}
		}
		if err != nil {
			return h, nil
		}
	}
}

// resolveNotModified gives each server-not-modified revisit of entries the
// status of the capture it confirms (found by its refers-to URI and date,
// else the latest earlier capture of that URI in entries). Replayers serve
// a capture with the status its index line gives, resolving the payload and
// headers of a revisit from its original: a revisit indexed with the 304
// it recorded would replay as an empty page (wabac.js serves no body for a
// 304), so the newest capture of a re-crawled page would be blank.
func resolveNotModified(entries []IndexEntry) {
	type key struct{ url, ts string }
	status := map[key]string{}
	latest := map[string][]IndexEntry{} // by URL: original captures
	for _, e := range entries {
		if e.Mime != "warc/revisit" && e.Status != "" {
			status[key{e.URL, e.Timestamp}] = e.Status
			latest[e.URL] = append(latest[e.URL], e)
		}
	}
	for i := range entries {
		e := &entries[i]
		if e.Mime != "warc/revisit" || !isNotModified(e.Profile) {
			continue
		}
		if st, ok := status[key{e.RefersToURI, timestamp14(e.RefersToDate)}]; ok {
			e.Status = st
			continue
		}
		best := ""
		for _, o := range latest[e.RefersToURI] {
			if o.Timestamp <= e.Timestamp && o.Timestamp >= best {
				best, e.Status = o.Timestamp, o.Status
			}
		}
	}
}

func isNotModified(profile string) bool {
	return profile == ProfileNotModified || profile == ProfileNotModified10
}

// timestamp14 turns a WARC-Date into the 14-digit form of CDXJ keys; "" when
// it does not parse.
func timestamp14(date string) string {
	var b strings.Builder
	for _, c := range date {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
			if b.Len() == 14 {
				return b.String()
			}
		}
	}
	return ""
}
