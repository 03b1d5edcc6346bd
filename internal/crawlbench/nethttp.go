package crawlbench

import (
	"bytes"
	"context"
	"fmt"
	"html"

	"net/http"
	"net/url"
	"strings"
)

// NetHTTPPool crawls startURL with a raw net/http worker pool: parallelism
// workers fed from a dispatcher's queue through a channel, an in-memory seen set
// (so no URL is fetched twice), and link discovery by scanning the body for
// href="…" attributes. It fetches and reads each page and follows its same-host
// links; it stores and parses nothing else. It is the yardstick for "the pages/s
// a crawler could reach at this parallelism", especially with server latency.
//
// It stops after maxPages fetches (maxPages <= 0: no limit) or when the site is
// exhausted. Fragments are dropped; nothing else is canonicalised.
//
// The result has Elapsed and CPU measured in this process; MaxRSS is left 0 (see
// ServeChild).
func NetHTTPPool(ctx context.Context, startURL string, parallelism, maxPages int) (Result, error) {
	start, err := url.Parse(startURL)
	if err != nil {
		return Result{}, fmt.Errorf("net/http pool: start URL: %w", err)
	}
	if parallelism < 1 {
		parallelism = 1
	}
	start.Fragment = ""
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = parallelism
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	type done struct {
		links []string
		ok    bool // a response arrived
	}
	jobs := make(chan string)
	results := make(chan done)

	for range parallelism {
		go func() {
			var buf bytes.Buffer
			for u := range jobs {
				links, ok := fetchLinks(ctx, client, start, u, &buf)
				results <- done{links: links, ok: ok}
			}
		}()
	}

	m := StartMeter()
	seen := map[string]struct{}{start.String(): {}}
	queue := []string{start.String()}
	var res Result
	dispatched, inFlight := 0, 0
	cancelled := ctx.Done()
	for {
		var send chan string // nil (disabled) unless there is something to send
		var next string
		if len(queue) > 0 && (maxPages <= 0 || dispatched < maxPages) && ctx.Err() == nil {
			send, next = jobs, queue[0]
		}
		if send == nil && inFlight == 0 {
			break
		}
		select {
		case send <- next:
			queue[0] = ""
			queue = queue[1:]
			dispatched++
			inFlight++
		case d := <-results:
			inFlight--
			if !d.ok {
				res.Errors++
				continue
			}
			res.Pages++
			for _, l := range d.links {
				if _, dup := seen[l]; !dup {
					seen[l] = struct{}{}
					queue = append(queue, l)
				}
			}
		case <-cancelled:
			// Stop dispatching; the loop ends once the in-flight fetches return.
			cancelled = nil
		}
	}
	close(jobs)
	res.Unique = res.Pages // the seen set never dispatches a URL twice
	res = m.Stop(res)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, nil
}

// fetchLinks GETs u and returns the absolute same-host URLs of its href
// attributes, without fragments. ok reports whether a response arrived.
func fetchLinks(ctx context.Context, client *http.Client, site *url.URL, u string, buf *bytes.Buffer) (links []string, ok bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, false
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, false
	}
	defer resp.Body.Close()
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return nil, true
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "html") {
		return nil, true
	}
	base := resp.Request.URL // after redirects
	return hrefs(buf.Bytes(), base, site.Host), true
}

var hrefAttr = []byte("href=")

// hrefs scans body for href="…" and href='…' attributes and returns the links on
// host, resolved against base, without fragments. It is deliberately cheap: no
// HTML parsing, so an href in a comment or script counts too.
func hrefs(body []byte, base *url.URL, host string) []string {
	var out []string
	for {
		i := bytes.Index(body, hrefAttr)
		if i < 0 {
			return out
		}
		body = body[i+len(hrefAttr):]
		if len(body) == 0 {
			return out
		}
		q := body[0]
		if q != '"' && q != '\'' {
			continue
		}
		end := bytes.IndexByte(body[1:], q)
		if end < 0 {
			return out
		}
		ref := string(body[1 : 1+end])
		body = body[1+end:]
		if strings.IndexByte(ref, '&') >= 0 {
			ref = html.UnescapeString(ref)
		}
		if i := strings.IndexByte(ref, '#'); i >= 0 {
			ref = ref[:i]
		}
		if ref == "" {
			continue
		}
		if ref[0] == '/' && (len(ref) == 1 || ref[1] != '/') && base.Host == host {
			// Root-relative, the common case: no need for a full parse.
			out = append(out, base.Scheme+"://"+base.Host+ref)
			continue
		}
		r, err := base.Parse(ref)
		if err != nil || r.Host != host || (r.Scheme != "http" && r.Scheme != "https") {
			continue
		}
		r.Fragment = ""
		out = append(out, r.String())
	}
}
