package scraper

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http/httptrace"
	"sync"
	"time"
)

// Exchange is one HTTP request and its response exactly as they crossed the
// wire (after TLS, before any decoding): the request line, headers and body
// as written, and the status line, headers and body as read, still
// transfer-encoded (chunked) and content-encoded (gzip). A fetch followed
// through redirects has one Exchange per hop. Exchanges are recorded only
// when Config.RecordWire is set; WARC writers turn them into request and
// response records.
type Exchange struct {
	URL        string    // the URL requested in this hop
	RemoteAddr string    // the peer's address ("ip:port"), "" when unknown
	Started    time.Time // when the connection was handed to the request
	Request    []byte    // bytes written for the request
	Response   []byte    // bytes read for the response (may be cut short, see Complete)
	// Complete is set when the response body was read to its end; a body cut
	// at the size cap, aborted after the headers or broken by the network
	// leaves Response incomplete.
	Complete bool
}

// wireConn records what is written to and read from a connection into the
// exchange currently bound to it. Go's HTTP/1.1 transport uses a connection
// for one exchange at a time (no pipelining) and reads a response to its end
// before it hands the connection to the next request, so every byte belongs
// to the exchange bound when it crossed.
type wireConn struct {
	net.Conn
	mu  sync.Mutex
	cur *wireRec
}

// Read implements net.Conn, recording what was read.
func (c *wireConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		if c.cur != nil {
			c.cur.resp = append(c.cur.resp, p[:n]...)
		}
		c.mu.Unlock()
	}
	return n, err
}

// Write implements net.Conn, recording what was written.
func (c *wireConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if n > 0 {
		c.mu.Lock()
		if c.cur != nil {
			c.cur.req = append(c.cur.req, p[:n]...)
		}
		c.mu.Unlock()
	}
	return n, err
}

func (c *wireConn) bind(r *wireRec) {
	c.mu.Lock()
	c.cur = r
	// A request retried by the transport on a fresh connection starts over.
	// The first capacities fit most requests and news pages, sparing the
	// append growth; released recordings are reused.
	if r.req == nil {
		r.req, r.resp = r.pool.get(1<<10), r.pool.get(64<<10)
	}
	r.req, r.resp = r.req[:0], r.resp[:0]
	c.mu.Unlock()
}

func (c *wireConn) unbind(r *wireRec) {
	c.mu.Lock()
	if c.cur == r {
		c.cur = nil
	}
	c.mu.Unlock()
}

// wirePool keeps the buffers of released recordings (Response.ReleaseWire)
// for later ones, sparing a crawl with --warc an allocation of each page's
// size. A nil pool allocates.
type wirePool struct{ p sync.Pool } // of *[]byte

// maxPooledWire is the largest buffer kept: rare huge pages are not held.
const maxPooledWire = 1 << 20

func (wp *wirePool) get(size int) []byte {
	if wp != nil {
		if b, ok := wp.p.Get().(*[]byte); ok {
			return (*b)[:0]
		}
	}
	return make([]byte, 0, size)
}

func (wp *wirePool) put(b []byte) {
	if wp == nil || cap(b) == 0 || cap(b) > maxPooledWire {
		return
	}
	b = b[:0]
	wp.p.Put(&b)
}

// wireRec is the recording of one hop.
type wireRec struct {
	pool     *wirePool
	url      string
	started  time.Time
	mu       sync.Mutex // guards conn and remote
	conn     *wireConn
	remote   string
	req      []byte // written under conn.mu
	resp     []byte // written under conn.mu
	complete bool
}

// trace returns a ClientTrace that binds r to the connection the transport
// picks for it.
func (r *wireRec) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		wc, ok := info.Conn.(*wireConn)
		if !ok {
			return
		}
		r.mu.Lock()
		if r.conn != nil && r.conn != wc {
			r.conn.unbind(r)
		}
		r.conn = wc
		r.remote = wc.RemoteAddr().String()
		r.mu.Unlock()
		wc.bind(r)
	}}
}

// finish stops the recording; afterwards the buffers are r's alone.
func (r *wireRec) finish() {
	r.mu.Lock()
	wc := r.conn
	r.mu.Unlock()
	if wc != nil {
		wc.unbind(r)
	}
}

// exchange returns the recording as an Exchange; call finish first.
func (r *wireRec) exchange() Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Exchange{URL: r.url, RemoteAddr: r.remote, Started: r.started,
		Request: r.req, Response: r.resp, Complete: r.complete}
}

// wireBody marks the hop complete when its body reaches EOF and stops the
// recording when it is closed.
type wireBody struct {
	io.ReadCloser
	rec *wireRec
}

// Read implements io.Reader.
func (b *wireBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.rec.mu.Lock()
		b.rec.complete = true
		b.rec.mu.Unlock()
	}
	return n, err
}

// Close implements io.Closer.
func (b *wireBody) Close() error {
	err := b.ReadCloser.Close()
	b.rec.finish()
	return err
}

// recordingDialers returns dial functions whose connections record their
// bytes. TLS is done here, not by the transport, so that what is recorded is
// the plaintext HTTP/1.1 exchange; HTTP/2 is therefore not offered (a WARC
// record holds an HTTP/1.x message).
func recordingDialers(d *net.Dialer, handshake time.Duration) (
	dial func(ctx context.Context, network, addr string) (net.Conn, error),
	dialTLS func(ctx context.Context, network, addr string) (net.Conn, error),
) {
	dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &wireConn{Conn: c}, nil
	}
	dialTLS = func(ctx context.Context, network, addr string) (net.Conn, error) {
		raw, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			host = addr
		}
		tc := tls.Client(raw, &tls.Config{ServerName: host, NextProtos: []string{"http/1.1"}})
		hctx := ctx
		if handshake > 0 {
			var cancel context.CancelFunc
			hctx, cancel = context.WithTimeout(ctx, handshake)
			defer cancel()
		}
		if err := tc.HandshakeContext(hctx); err != nil {
			raw.Close()
			return nil, err
		}
		return &wireConn{Conn: tc}, nil
	}
	return dial, dialTLS
}

// ContentType returns the media type a crawl gives a body served with this
// Content-Type header value: the header's, or sniffed when the header is
// missing or generic. Importers of archived responses (WARC) use it so that
// a stored response is treated exactly as a fetched one.
func ContentType(header string, body []byte) string { return contentType(header, body) }
