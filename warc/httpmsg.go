package warc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/textproto"
	"strconv"
	"strings"
)

// splitHead splits an HTTP message into its head (start line and headers,
// with the blank line) and what follows. ok is false when the head is not
// complete.
func splitHead(msg []byte) (head, rest []byte, ok bool) {
	if i := bytes.Index(msg, []byte("\r\n\r\n")); i >= 0 {
		return msg[:i+4], msg[i+4:], true
	}
	// Tolerate bare LF line ends (seen in some hand-made WARCs).
	if i := bytes.Index(msg, []byte("\n\n")); i >= 0 {
		return msg[:i+2], msg[i+2:], true
	}
	return msg, nil, false
}

// parseResponseHead reads the status and header of a response head.
func parseResponseHead(head []byte) (status int, proto string, h http.Header, err error) {
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(head)))
	line, err := tp.ReadLine()
	if err != nil {
		return 0, "", nil, fmt.Errorf("status line: %w", err)
	}
	proto, rest, ok := strings.Cut(line, " ")
	if !ok || !strings.HasPrefix(proto, "HTTP/") {
		return 0, "", nil, fmt.Errorf("status line %q: not HTTP", line)
	}
	code, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
	status, err = strconv.Atoi(code)
	if err != nil || status < 100 || status > 999 {
		return 0, "", nil, fmt.Errorf("status line %q: bad status", line)
	}
	mh, err := tp.ReadMIMEHeader()
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, "", nil, fmt.Errorf("header: %w", err)
	}
	return status, proto, http.Header(mh), nil
}

// skipInterim drops 1xx interim responses (100 Continue, 103 Early Hints)
// in front of the final response.
func skipInterim(msg []byte) []byte {
	for bytes.HasPrefix(msg, []byte("HTTP/1.")) && len(msg) > 12 && msg[9] == '1' {
		_, rest, ok := splitHead(msg)
		if !ok {
			return msg
		}
		msg = rest
	}
	return msg
}

// entityBody removes the transfer encoding from a response body: it
// de-chunks a chunked body. A cut chunked body yields what could be read
// and an error.
func entityBody(h http.Header, body []byte) ([]byte, error) {
	te := strings.ToLower(strings.Join(h.Values("Transfer-Encoding"), ","))
	if !strings.Contains(te, "chunked") {
		if cl := h.Get("Content-Length"); cl != "" {
			if n, err := strconv.ParseInt(strings.TrimSpace(cl), 10, 64); err == nil && n >= 0 && n < int64(len(body)) {
				return body[:n], nil
			}
		}
		return body, nil
	}
	out, err := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(body)))
	if err != nil {
		return out, fmt.Errorf("de-chunk: %w", err)
	}
	return out, nil
}
