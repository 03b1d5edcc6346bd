package warc

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// IndexEntry is one capture in a CDXJ index (the format of pywb and of
// WACZ's indexes/index.cdxj): a response, revisit or resource record.
type IndexEntry struct {
	Key       string // SURT form of URL, the sort key
	Timestamp string // 14-digit UTC capture time
	URL       string
	Mime      string // media type of the payload; "warc/revisit" for revisits
	Status    string // HTTP status ("" for resources)
	Digest    string // payload digest ("sha1:…")
	Offset    int64  // of the record (gzip member) in File
	Length    int64  // bytes the record takes in File
	File      string // path of the WARC file
	// Profile, RefersToURI and RefersToDate are a revisit's WARC-Profile,
	// WARC-Refers-To-Target-URI and WARC-Refers-To-Date.
	Profile      string
	RefersToURI  string
	RefersToDate string
}

// CDXJ formats e as a CDXJ line (without newline), naming the file by name.
func (e IndexEntry) CDXJ(name string) string {
	js := map[string]string{
		"url": e.URL, "offset": strconv.FormatInt(e.Offset, 10), "length": strconv.FormatInt(e.Length, 10),
		"filename": name,
	}
	if e.Mime != "" {
		js["mime"] = e.Mime
	}
	if e.Status != "" {
		js["status"] = e.Status
	}
	if e.Digest != "" {
		js["digest"] = e.Digest
	}
	b, _ := json.Marshal(js) // keys sorted: stable output
	return e.Key + " " + e.Timestamp + " " + string(b)
}

// IndexFile lists the captures of a WARC file in file order. Unreadable
// records are skipped and reported in the returned error (errors.Join)
// while the rest is indexed.
func IndexFile(path string) ([]IndexEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("warc: index %s: %w", path, err)
	}
	defer f.Close()
	wr, err := gowarc.NewWarcFileReaderFromStream(f, 0, readOptions()...)
	if err != nil {
		return nil, fmt.Errorf("warc: index %s: %w", path, err)
	}
	defer wr.Close()
	var (
		out  []IndexEntry
		errs []error
	)
	for {
		rec, err := wr.Next()
		if err == io.EOF || errors.Is(err, gowarc.ErrNoRecord) {
			break
		}
		if err != nil {
			_ = rec.Close()
			errs = append(errs, fmt.Errorf("warc: index %s at %d: %w: %w", filepath.Base(path), rec.Offset, ErrMalformed, err))
			if len(errs) > maxConsecutiveFailures {
				break
			}
			continue
		}
		e, ok := indexEntry(rec, path)
		_ = rec.Close()
		if ok {
			out = append(out, e)
		}
	}
	return out, errors.Join(errs...)
}

func indexEntry(rec gowarc.Record, path string) (IndexEntry, bool) {
	wr := rec.WarcRecord
	typ := wr.Type()
	if typ != gowarc.Response && typ != gowarc.Revisit && typ != gowarc.Resource {
		return IndexEntry{}, false
	}
	uri := targetURI(rec)
	if uri == "" {
		return IndexEntry{}, false
	}
	h := wr.WarcHeader()
	e := IndexEntry{URL: uri, Key: SURT(uri), Offset: rec.Offset, Length: rec.Size, File: path,
		Digest: h.Get(gowarc.WarcPayloadDigest)}
	if d, err := wr.Date(); err == nil {
		e.Timestamp = d.UTC().Format("20060102150405")
	} else {
		e.Timestamp = time.Unix(0, 0).UTC().Format("20060102150405")
	}
	switch typ {
	case gowarc.Resource:
		e.Mime = mediaType(h.Get(gowarc.ContentType))
		return e, true
	case gowarc.Revisit:
		e.Mime = "warc/revisit"
		e.Profile = h.Get(gowarc.WarcProfile)
		e.RefersToURI = strings.Trim(h.Get(gowarc.WarcRefersToTargetURI), "<>")
		e.RefersToDate = h.Get(gowarc.WarcRefersToDate)
	}
	raw, err := wr.Block().RawBytes()
	if err != nil {
		return e, true
	}
	head := make([]byte, 0, 1024)
	buf := make([]byte, 4096)
	for len(head) < 64<<10 {
		n, err := raw.Read(buf)
		head = append(head, buf[:n]...)
		if _, _, ok := splitHead(skipInterim(head)); ok || err != nil {
			break
		}
	}
	if h, _, ok := splitHead(skipInterim(head)); ok {
		if st, _, hdr, err := parseResponseHead(h); err == nil {
			e.Status = strconv.Itoa(st)
			if typ == gowarc.Response {
				e.Mime = mediaType(hdr.Get("Content-Type"))
			}
		}
	}
	return e, true
}

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(ct, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// SURT returns the Sort-friendly URI Reordering Transform of u as pywb and
// the CDXJ indexes of WACZ use it: scheme and "www." dropped, host labels
// reversed and comma-joined, default port dropped, then ")" and the
// lowercased path and query ("com,example)/path?q=1").
func SURT(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return strings.ToLower(u)
	}
	host := strings.ToLower(p.Hostname())
	host = strings.TrimPrefix(host, "www.")
	labels := strings.Split(host, ".")
	for i, j := 0, len(labels)-1; i < j; i, j = i+1, j-1 {
		labels[i], labels[j] = labels[j], labels[i]
	}
	key := strings.Join(labels, ",")
	if port := p.Port(); port != "" && !(p.Scheme == "http" && port == "80") && !(p.Scheme == "https" && port == "443") {
		key += ":" + port
	}
	path := p.EscapedPath()
	if path == "" {
		path = "/"
	}
	if p.RawQuery != "" {
		q := strings.Split(p.RawQuery, "&")
		sort.Strings(q)
		path += "?" + strings.Join(q, "&")
	}
	return key + ")" + strings.ToLower(path)
}
