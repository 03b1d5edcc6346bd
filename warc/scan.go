package warc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
)

// The scanner is the record framing of the reader, written for the files
// real crawlers leave behind rather than for the standard's happy path:
//
//   - gzip is sniffed at every record boundary, so per-record members
//     (WARC 1.1 annex D), one gzip stream around the whole file, a ".warc"
//     that is gzipped and a plain file all read alike, and members with an
//     FEXTRA field (RFC 1952 §2.3.1.1, jwarc and Heritrix write them) are
//     ordinary members;
//   - a record starts with a "WARC/x.y" line (0.17, 0.18, 1.0, 1.1) or an
//     ARC v1/v2 header line (URL IP date type … length);
//   - a record's block is handed out as a stream, never read whole, so
//     memory does not depend on what a record declares;
//   - a Content-Length that is garbage, negative or past the end of the
//     file does not swallow what follows: the block then ends at the next
//     line that starts a record (or at the end of its gzip member), the
//     record is flagged truncated, and reading goes on from there;
//   - bytes between records that are no record are skipped up to the next
//     record start (a "WARC/" line or a gzip member) and reported.

// maxHeaderBytes bounds a record's header (WARC or ARC) and an HTTP head.
const maxHeaderBytes = 1 << 20

// pos is where a record starts: a raw offset, and for a record inside a
// gzip member the member's raw offset and the decompressed bytes before the
// record in it (0 for per-record gzip).
type pos struct {
	off  int64 // raw offset of the record, or of its gzip member
	gz   bool
	skip int64 // decompressed bytes into the member
}

// String names p for messages: "offset N", or "offset N+M" for M bytes into
// the gzip member at N.
func (p pos) String() string {
	if p.skip > 0 {
		return fmt.Sprintf("offset %d+%d", p.off, p.skip)
	}
	return fmt.Sprintf("offset %d", p.off)
}

// rawRecord is a record's header and a stream of its block.
type rawRecord struct {
	version string // "WARC/1.1", …, or "ARC"
	h       http.Header
	at      pos
	length  int64 // declared block length; -1 when unknown (bad or past EOF)
	block   *blockReader
	// badLength says why the declared length was not used ("" when it was).
	badLength string
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// scanner reads records from a seekable source.
type scanner struct {
	src  *io.SectionReader
	size int64

	raw *countReader // over src from rawBase
	rbr *bufio.Reader
	// rawBase is the raw offset where raw starts reading.
	rawBase int64

	zr       *gzip.Reader
	zc       *countReader // over zr
	zbr      *bufio.Reader
	inMember bool
	member   int64 // raw offset of the current member
	// memberErr is the error that ended the last member early ("" if none).
	memberErr error

	arc  bool // an ARC header was seen: ARC lines are record starts too
	cur  *rawRecord
	lost int64 // bytes skipped while resynchronising since the last report
	// rewind, when set, is where reading goes on after the current record
	// (a record start found inside a block that ran past the end).
	rewind *pos
}

func newScanner(src *io.SectionReader) *scanner {
	s := &scanner{src: src, size: src.Size(), rbr: bufio.NewReaderSize(nil, 64<<10), zbr: bufio.NewReaderSize(nil, 64<<10)}
	s.seekRaw(0)
	return s
}

func (s *scanner) seekRaw(off int64) {
	s.inMember = false
	s.rawBase = off
	s.raw = &countReader{r: io.NewSectionReader(s.src, off, s.size-off)}
	s.rbr.Reset(s.raw)
}

// rawOff is the raw offset of the next unread raw byte.
func (s *scanner) rawOff() int64 { return s.rawBase + s.raw.n - int64(s.rbr.Buffered()) }

// here is the position of the next unread byte.
func (s *scanner) here() pos {
	if s.inMember {
		return pos{off: s.member, gz: true, skip: s.zc.n - int64(s.zbr.Buffered())}
	}
	return pos{off: s.rawOff()}
}

// seek moves to p.
func (s *scanner) seek(p pos) error {
	s.seekRaw(p.off)
	if !p.gz {
		return nil
	}
	if err := s.openMember(); err != nil {
		return err
	}
	_, err := io.CopyN(io.Discard, s.zbr, p.skip)
	return err
}

// openMember starts reading the gzip member at the raw position.
func (s *scanner) openMember() error {
	s.member = s.rawOff()
	var err error
	if s.zr == nil {
		s.zr, err = gzip.NewReader(s.rbr)
	} else {
		err = s.zr.Reset(s.rbr)
	}
	if err != nil {
		return fmt.Errorf("gzip member at %d: %w", s.member, err)
	}
	s.zr.Multistream(false)
	s.zc = &countReader{r: s.zr}
	s.zbr.Reset(s.zc)
	s.inMember, s.memberErr = true, nil
	return nil
}

// in is the reader records are read from now.
func (s *scanner) in() *bufio.Reader {
	if s.inMember {
		return s.zbr
	}
	return s.rbr
}

// endMember leaves the current member after a read from it failed with err.
func (s *scanner) endMember(err error) {
	s.inMember = false
	if err != nil && err != io.EOF {
		s.memberErr = err
	}
}

// skipSpace skips the blank bytes between records. It leaves a member at its
// end and reports io.EOF at the end of the file.
func (s *scanner) skipSpace() error {
	for {
		br := s.in()
		b, err := br.ReadByte()
		if err != nil {
			if s.inMember {
				s.endMember(err)
				continue
			}
			return io.EOF
		}
		switch b {
		case '\r', '\n', ' ', '\t', 0:
			continue
		}
		_ = br.UnreadByte()
		if s.inMember {
			return nil
		}
		if p, _ := s.rbr.Peek(2); len(p) == 2 && p[0] == 0x1f && p[1] == 0x8b {
			at := s.rawOff()
			if err := s.openMember(); err != nil {
				// Not a member after all (or a broken header): step over the
				// magic and look for the next record.
				s.seekRaw(at + 1)
				return fmt.Errorf("%w: %w", errNotRecord, err)
			}
			continue
		}
		return nil
	}
}

// errNotRecord marks bytes where a record should start.
var errNotRecord = errors.New("no record here")

// readLine reads one line (without its end), at most maxHeaderBytes long.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		line = append(line, frag...)
		if err == nil {
			break
		}
		if err != bufio.ErrBufferFull {
			if len(line) > 0 && err == io.EOF {
				break
			}
			return line, err
		}
		if len(line) > maxHeaderBytes {
			return line, errors.New("line too long")
		}
	}
	return bytes.TrimRight(line, "\r\n"), nil
}

// isWARCLine reports whether line is a WARC version line.
func isWARCLine(line []byte) bool {
	return len(line) >= 6 && bytes.HasPrefix(line, []byte("WARC/")) && line[5] >= '0' && line[5] <= '9'
}

// arcHeader parses an ARC record's header line (ARC v1: URL IP date type
// length; v2 adds result code, checksum, location, offset and file name
// before the length). ok is false when line is none.
func arcHeader(line []byte) (url, date, ctype string, length int64, ok bool) {
	f := strings.Fields(string(line))
	if len(f) != 5 && len(f) != 10 {
		return "", "", "", 0, false
	}
	n, err := strconv.ParseInt(f[len(f)-1], 10, 64)
	// The date is not checked: Heritrix 1 wrote "null" for some.
	if err != nil || n < 0 || !strings.Contains(f[0], ":") {
		return "", "", "", 0, false
	}
	return f[0], f[2], f[3], n, true
}

// isRecordStart reports whether line starts a record.
func (s *scanner) isRecordStart(line []byte) bool {
	if isWARCLine(line) {
		return true
	}
	if s.arc {
		_, _, _, _, ok := arcHeader(line)
		return ok
	}
	return false
}

// next returns the next record. Bytes that are not a record give an error
// wrapping errNotRecord (after them, next goes on with the following
// record); the end of the file gives io.EOF. The previous record's block is
// drained first.
func (s *scanner) next() (*rawRecord, error) {
	if s.cur != nil {
		s.finish()
	}
	if err := s.skipSpace(); err != nil {
		if errors.Is(err, errNotRecord) {
			s.resync()
		}
		return nil, err
	}
	at := s.here()
	line, err := readLine(s.in())
	if err != nil && len(line) == 0 {
		if s.inMember {
			s.endMember(err)
			return s.next()
		}
		return nil, io.EOF
	}
	var rec *rawRecord
	switch {
	case isWARCLine(line):
		rec, err = s.warcHeader(string(line))
	default:
		rec, err = s.arcRecord(line)
	}
	if err != nil {
		// Go on from just after the line that started the bad record.
		s.resync()
		return nil, fmt.Errorf("%w at %s: %w", errNotRecord, at, err)
	}
	rec.at = at
	s.frame(rec)
	s.cur = rec
	return rec, nil
}

// warcHeader reads the named fields after a version line. A field line
// without a colon is skipped (seen in old ClueWeb and Heritrix files); a
// header cut by the end of the stream is an error.
func (s *scanner) warcHeader(version string) (*rawRecord, error) {
	h := http.Header{}
	total := 0
	var last string
	for {
		line, err := readLine(s.in())
		if err != nil {
			return nil, fmt.Errorf("record header: %w", err)
		}
		if len(line) == 0 {
			break
		}
		if total += len(line); total > maxHeaderBytes {
			return nil, errors.New("record header: too long")
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" {
			vs := h[last]
			vs[len(vs)-1] += " " + strings.TrimSpace(string(line))
			continue
		}
		name, value, ok := strings.Cut(string(line), ":")
		if !ok {
			continue
		}
		last = textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(name))
		h[last] = append(h[last], strings.TrimSpace(value))
	}
	return &rawRecord{version: version, h: h}, nil
}

// arcRecord turns an ARC header line into a record with WARC fields.
func (s *scanner) arcRecord(line []byte) (*rawRecord, error) {
	u, date, ctype, n, ok := arcHeader(line)
	if !ok {
		return nil, fmt.Errorf("not a WARC or ARC record header: %q", truncate(line, 60))
	}
	s.arc = true
	h := http.Header{}
	typ := TypeResponse
	switch {
	case strings.HasPrefix(u, "filedesc:"):
		typ = TypeWarcinfo
	case strings.HasPrefix(u, "http:") || strings.HasPrefix(u, "https:"):
		ctype = "application/http; msgtype=response"
	default:
		typ = TypeResource
	}
	h.Set("WARC-Type", typ)
	h.Set("WARC-Target-URI", u)
	h.Set("Content-Type", ctype)
	if len(date) >= 14 {
		if t, err := time.Parse("20060102150405", date[:14]); err == nil {
			h.Set("WARC-Date", t.UTC().Format(time.RFC3339))
		}
	}
	h.Set("Content-Length", strconv.FormatInt(n, 10))
	return &rawRecord{version: "ARC", h: h}, nil
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// frame sets up rec's block reader from its Content-Length.
func (s *scanner) frame(rec *rawRecord) {
	cl := strings.TrimSpace(rec.h.Get("Content-Length"))
	n, err := strconv.ParseInt(cl, 10, 64)
	switch {
	case err != nil:
		rec.length, rec.badLength = -1, fmt.Sprintf("Content-Length %q is not a number", cl)
	case n < 0:
		rec.length, rec.badLength = -1, fmt.Sprintf("Content-Length %d is negative", n)
	case !s.inMember && s.rawOff()+n > s.size:
		rec.length, rec.badLength = -1, fmt.Sprintf("Content-Length %d runs past the end of the file (%d bytes left)", n, s.size-s.rawOff())
	default:
		rec.length = n
	}
	rec.block = &blockReader{s: s, left: rec.length, start: s.here()}
}

// blockReader streams a record's block: the declared length, or when that
// is unknown up to the next line that starts a record. It ends early at the
// end of a gzip member or of the file, which makes the record truncated.
type blockReader struct {
	s     *scanner
	left  int64 // bytes still to read; -1: delimited by the next record
	start pos
	read  int64
	short bool // ended before its length (or delimited)
	done  bool
	bol   bool // at the beginning of a line (delimited mode)
	// cand is the first record start seen inside a block whose length ran
	// past the end: reading goes on there.
	cand *pos
}

func (b *blockReader) Read(p []byte) (int, error) {
	if b.done || len(p) == 0 {
		if b.done {
			return 0, io.EOF
		}
		return 0, nil
	}
	br := b.s.in()
	if b.left < 0 {
		return b.readDelimited(br, p)
	}
	if b.left == 0 {
		b.done = true
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	var before pos
	if b.s.inMember && b.cand == nil {
		before = b.s.here()
	}
	n, err := br.Read(p)
	b.left -= int64(n)
	b.read += int64(n)
	if b.s.inMember && b.cand == nil && n > 0 {
		// Remember a record start inside the block, in case the block
		// turns out to run past the end of its stream.
		if i := bytes.Index(p[:n], []byte("\nWARC/")); i >= 0 {
			c := before
			c.skip += int64(i + 1)
			b.cand = &c
		}
	}
	if err != nil {
		b.done, b.short = true, true
		if b.s.inMember {
			b.s.endMember(err)
		}
		if n > 0 {
			return n, nil
		}
		return 0, io.EOF
	}
	return n, nil
}

// readDelimited reads up to the next line that starts a record.
func (b *blockReader) readDelimited(br *bufio.Reader, p []byte) (int, error) {
	if b.read == 0 {
		b.bol = true
	}
	n := 0
	for n < len(p) {
		if b.bol {
			peek, _ := br.Peek(64)
			if i := bytes.IndexByte(peek, '\n'); (i >= 0 && b.s.isRecordStart(bytes.TrimRight(peek[:i], "\r"))) ||
				(i < 0 && isWARCLine(peek)) {
				b.done, b.short = true, true
				break
			}
		}
		c, err := br.ReadByte()
		if err != nil {
			b.done, b.short = true, true
			if b.s.inMember {
				b.s.endMember(err)
			}
			break
		}
		p[n] = c
		n++
		b.bol = c == '\n'
	}
	b.read += int64(n)
	if n == 0 && b.done {
		return 0, io.EOF
	}
	return n, nil
}

// finish drains the current record's block and moves to where the next
// record is looked for.
func (s *scanner) finish() {
	b := s.cur.block
	_, _ = io.Copy(io.Discard, b)
	s.cur = nil
	if b.left > 0 && b.cand != nil {
		// The length ran past the end of the stream, over later records:
		// go back to the first of them.
		_ = s.seek(*b.cand)
	}
}

// resync skips to the next record start: a "WARC/" or ARC header line, or
// a gzip member outside a member. It counts the bytes skipped.
func (s *scanner) resync() {
	for {
		if s.inMember {
			for {
				peek, _ := s.zbr.Peek(64)
				if i := bytes.IndexByte(peek, '\n'); (i >= 0 && s.isRecordStart(bytes.TrimRight(peek[:i], "\r"))) ||
					(i < 0 && len(peek) > 0 && isWARCLine(peek)) {
					return
				}
				line, err := s.zbr.ReadSlice('\n')
				s.lost += int64(len(line))
				if err != nil && err != bufio.ErrBufferFull {
					s.endMember(err)
					break
				}
			}
			continue
		}
		for {
			buf, err := s.rbr.Peek(s.rbr.Size())
			if len(buf) == 0 {
				return
			}
			if i := s.rawCandidate(buf); i >= 0 {
				s.lost += int64(i)
				_, _ = s.rbr.Discard(i)
				return
			}
			if err != nil {
				s.lost += int64(len(buf))
				_, _ = s.rbr.Discard(len(buf))
				return
			}
			keep := 128
			if len(buf) <= keep {
				s.lost += int64(len(buf))
				_, _ = s.rbr.Discard(len(buf))
				return
			}
			s.lost += int64(len(buf) - keep)
			_, _ = s.rbr.Discard(len(buf) - keep)
		}
	}
}

// rawCandidate returns the index in buf (which starts at a line start or
// just after a failed gzip member) of the first gzip member or record-start
// line, or -1.
func (s *scanner) rawCandidate(buf []byte) int {
	best := bytes.Index(buf, []byte{0x1f, 0x8b, 0x08})
	for start := 0; start < len(buf); {
		if best >= 0 && start > best {
			break
		}
		end := bytes.IndexByte(buf[start:], '\n')
		var line []byte
		if end >= 0 {
			line = bytes.TrimRight(buf[start:start+end], "\r")
		} else {
			line = buf[start:]
		}
		if (end >= 0 && s.isRecordStart(line)) || (end < 0 && isWARCLine(line)) {
			return start
		}
		if end < 0 {
			break
		}
		start += end + 1
	}
	return best
}

// takeLost returns the bytes skipped since the last call.
func (s *scanner) takeLost() int64 {
	n := s.lost
	s.lost = 0
	return n
}
