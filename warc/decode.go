package warc

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// decodePayload removes the transfer and content encodings that hdr names
// from raw, each only where it actually decodes: recorders built on
// requests or warcio store bodies already de-chunked or decompressed with
// the headers left as they were. An encoding that does not decode leaves the
// bytes as stored, and note says which; one that decodes part-way (a body
// the recorder cut short) keeps what decoded and makes the body truncated.
// rawCut says raw is not the whole payload. hdr loses the headers that no
// longer describe the body. The body is at most maxBody bytes.
func decodePayload(hdr http.Header, raw []byte, rawCut bool, maxBody int64) (body []byte, truncated bool, note string) {
	var notes []string
	body = raw
	if te := strings.ToLower(strings.Join(hdr.Values("Transfer-Encoding"), ",")); strings.Contains(te, "chunked") {
		out, err := dechunk(raw)
		switch {
		case err == nil:
			body = out
		case errors.Is(err, io.ErrUnexpectedEOF) && (len(out) > 0 || rawCut):
			body, truncated = out, true
		case len(out) > 0:
			// Chunks, then bytes that are none: keep what de-chunked.
			body, truncated = out, true
		default:
			notes = append(notes, "Transfer-Encoding: chunked, but the body is not chunked (stored de-chunked)")
		}
		hdr.Del("Content-Length")
	} else if n, ok := contentLength(hdr); ok && !rawCut {
		switch {
		case n > int64(len(body)):
			// Cut by the recorder; or a HEAD response (no body at all).
			truncated = len(body) > 0
		case n < int64(len(body)) && len(hdr.Values("Content-Encoding")) == 0:
			// A body longer than its Content-Length ends there (bytes of a
			// keep-alive stream). Not with a Content-Encoding: a recorder
			// that stored the body decoded keeps the encoded length.
			body = body[:n]
		}
	}
	hdr.Del("Transfer-Encoding")

	var encs []string
	for _, v := range hdr.Values("Content-Encoding") {
		for _, e := range strings.Split(v, ",") {
			if e = strings.ToLower(strings.TrimSpace(e)); e != "" && e != "identity" {
				encs = append(encs, e)
			}
		}
	}
	decodedAll := len(encs) > 0
	for i := len(encs) - 1; i >= 0; i-- {
		out, cut, err := decodeOne(encs[i], body, maxBody)
		if err != nil {
			notes = append(notes, fmt.Sprintf("Content-Encoding: %s, but %v (kept as stored)", encs[i], err))
			decodedAll = false
			break
		}
		body, truncated = out, truncated || cut
	}
	if decodedAll {
		hdr.Del("Content-Encoding")
		hdr.Del("Content-Length")
	} else if len(encs) > 0 && len(notes) > 0 && looksDecoded(body) {
		// The body is what the header says it is encoded from.
		hdr.Del("Content-Encoding")
	}
	if int64(len(body)) > maxBody {
		body, truncated = body[:maxBody], true
	}
	return body, truncated, strings.Join(notes, "; ")
}

// contentLength returns the Content-Length of hdr, if it has a valid one.
func contentLength(hdr http.Header) (int64, bool) {
	cl := hdr.Get("Content-Length")
	if cl == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(cl), 10, 64)
	return n, err == nil && n >= 0
}

// looksDecoded reports whether b starts like text rather than compressed
// data: markup, or printable bytes.
func looksDecoded(b []byte) bool {
	b = bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(b) == 0 {
		return true
	}
	switch b[0] {
	case '<', '{', '[':
		return true
	}
	n := min(len(b), 64)
	for _, c := range b[:n] {
		if c < 0x09 || (c > 0x0d && c < 0x20) {
			return false
		}
	}
	return true
}

// dechunk removes chunked transfer coding. A body cut short gives what was
// read and io.ErrUnexpectedEOF; one that is not chunked gives another error.
func dechunk(raw []byte) ([]byte, error) {
	out, err := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(raw)))
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return out, err
}

// decodeOne removes one content encoding. It fails when the data is not in
// that encoding at all; data cut short gives what decoded and cut.
func decodeOne(enc string, data []byte, limit int64) (out []byte, cut bool, err error) {
	var r io.Reader
	switch enc {
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, false, errors.New("not gzip data")
		}
		zr.Multistream(false)
		r = zr
	case "deflate":
		// RFC 9110 §8.4.1.2 says zlib; some servers send raw deflate.
		if zr, err := zlib.NewReader(bytes.NewReader(data)); err == nil {
			r = zr
		} else {
			r = flate.NewReader(bytes.NewReader(data))
		}
	case "br":
		r = brotli.NewReader(bytes.NewReader(data))
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(data), zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, false, fmt.Errorf("zstd: %w", err)
		}
		defer zr.Close()
		r = zr
	default:
		return nil, false, errors.New("an encoding this reader does not know")
	}
	out, err = io.ReadAll(io.LimitReader(r, limit+1))
	if err == nil {
		return out, false, nil
	}
	// Data that does not decode from its first bytes is not in this
	// encoding (brotli and raw deflate have no magic number to tell).
	if len(out) == 0 || (enc == "br" || enc == "deflate") && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, false, fmt.Errorf("the body does not decode (%v)", err)
	}
	return out, true, nil
}
