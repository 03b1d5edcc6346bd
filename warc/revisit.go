package warc

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	gowarc "github.com/nlnwa/gowarc/v3"
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
// ".open" name) is found too.
func ReadRecordRef(loc Location) (RecordRef, error) {
	f, err := os.Open(loc.File)
	if errors.Is(err, fs.ErrNotExist) {
		f, err = os.Open(loc.File + ".open")
	}
	if err != nil {
		return RecordRef{}, fmt.Errorf("warc: record at %s:%d: %w", loc.File, loc.Offset, err)
	}
	defer f.Close()
	wr, err := gowarc.NewWarcFileReaderFromStream(f, loc.Offset, readOptions()...)
	if err != nil {
		return RecordRef{}, fmt.Errorf("warc: record at %s:%d: %w", loc.File, loc.Offset, err)
	}
	defer wr.Close()
	rec, err := wr.Next()
	if err != nil {
		return RecordRef{}, fmt.Errorf("warc: record at %s:%d: %w: %w", loc.File, loc.Offset, ErrMalformed, err)
	}
	defer rec.Close()
	h := rec.WarcRecord.WarcHeader()
	ref := RecordRef{ID: h.Get(gowarc.WarcRecordID), TargetURI: targetURI(rec), Date: h.Get(gowarc.WarcDate)}
	if rec.WarcRecord.Type() == gowarc.Revisit {
		if uri, date := h.Get(gowarc.WarcRefersToTargetURI), h.Get(gowarc.WarcRefersToDate); uri != "" && date != "" {
			ref = RecordRef{ID: h.Get(gowarc.WarcRefersTo), TargetURI: strings.Trim(uri, "<>"), Date: date}
		}
	}
	if ref.TargetURI == "" || ref.Date == "" {
		return RecordRef{}, fmt.Errorf("warc: record at %s:%d: %w: no target URI or date", loc.File, loc.Offset, ErrMalformed)
	}
	return ref, nil
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
