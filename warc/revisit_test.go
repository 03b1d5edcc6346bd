package warc

import (
	"testing"
	"time"
)

// TestNotModifiedRevisit: a 304 with Original is written as a
// server-not-modified revisit referring to it; ReadRecordRef of a revisit
// of identical payload leads to its original; IndexFile and
// resolveNotModified give the 304 revisit its original's status.
func TestNotModifiedRevisit(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(WriterOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	page := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\nETag: \"1\"\r\n\r\nhello"
	req := []byte("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n")
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	orig, err := w.WriteExchange(Exchange{URL: "http://example.com/", Date: t0, Request: req, Response: []byte(page), Complete: true})
	if err != nil {
		t.Fatal(err)
	}
	dup, err := w.WriteExchange(Exchange{URL: "http://example.com/copy", Date: t0.Add(time.Second), Request: req, Response: []byte(page), Complete: true})
	if err != nil || !dup.Revisit {
		t.Fatalf("identical payload: %+v %v", dup, err)
	}
	// The copy's record leads to the original response.
	ref, err := ReadRecordRef(dup.Location)
	if err != nil {
		t.Fatal(err)
	}
	if ref.ID != orig.ResponseID || ref.TargetURI != "http://example.com/" || ref.Date != "2024-05-01T10:00:00Z" {
		t.Errorf("ReadRecordRef of the identical-payload revisit = %+v, want the original %s", ref, orig.ResponseID)
	}
	nm, err := w.WriteExchange(Exchange{URL: "http://example.com/copy", Date: t0.Add(time.Hour), Complete: true,
		Request:  []byte("GET /copy HTTP/1.1\r\nHost: example.com\r\nIf-None-Match: \"1\"\r\n\r\n"),
		Response: []byte("HTTP/1.1 304 Not Modified\r\nETag: \"1\"\r\n\r\n"), Original: &ref})
	if err != nil || !nm.NotModified || nm.Revisit {
		t.Fatalf("304: %+v %v", nm, err)
	}
	// A 304 without Original stays a response.
	plain, err := w.WriteExchange(Exchange{URL: "http://example.com/other", Date: t0.Add(time.Hour), Complete: true,
		Request: req, Response: []byte("HTTP/1.1 304 Not Modified\r\n\r\n")})
	if err != nil || plain.NotModified || plain.Revisit {
		t.Fatalf("304 without original: %+v %v", plain, err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	entries, err := IndexFile(nm.Location.File)
	if err != nil {
		t.Fatal(err)
	}
	resolveNotModified(entries)
	var got *IndexEntry
	for i, e := range entries {
		if e.Offset == nm.Location.Offset {
			got = &entries[i]
		}
	}
	if got == nil {
		t.Fatal("the 304 revisit is not indexed")
	}
	if got.Mime != "warc/revisit" || got.Profile != ProfileNotModified || got.RefersToURI != "http://example.com/" ||
		got.RefersToDate != "2024-05-01T10:00:00Z" || got.Status != "200" || got.Digest != "" {
		t.Errorf("index entry of the 304 revisit: %+v; want a revisit with its original's status 200", *got)
	}

	// Without the original's line, the latest earlier capture of the URI.
	e := []IndexEntry{
		{URL: "http://x/", Timestamp: "20240101000000", Status: "200", Mime: "text/html"},
		{URL: "http://x/", Timestamp: "20240301000000", Status: "203", Mime: "text/html"},
		{URL: "http://x/", Timestamp: "20240601000000", Status: "500", Mime: "text/html"},
		{URL: "http://x/", Timestamp: "20240401000000", Mime: "warc/revisit", Profile: ProfileNotModified10,
			RefersToURI: "http://x/", RefersToDate: "2023-01-01T00:00:00Z"},
	}
	resolveNotModified(e)
	if e[3].Status != "203" {
		t.Errorf("fallback status %q, want 203 (latest capture before the revisit)", e[3].Status)
	}
}
