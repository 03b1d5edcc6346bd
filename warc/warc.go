// Package warc reads and writes WARC files (ISO 28500, WARC/1.1) and packs
// them as WACZ. It is the only package that imports a WARC library
// (github.com/nlnwa/gowarc/v3): when writing, record framing, per-record
// gzip, warcinfo records and file rotation are the library's; what goes into
// the records (the bytes as they crossed the wire, the digests, the revisit
// decisions) is decided here. Reading other tools' WARC, ARC and WACZ files
// (OpenReader) is this package's own streaming reader (scan.go), lenient
// where real files need it (docs/import.md).
//
// Digests are SHA-1 in base32 ("sha1:…"), the convention of Heritrix, wget,
// pywb and most CDX indexes, so that deduplication and index lookups work
// across tools. The payload digest is taken over the entity body with any
// transfer encoding (chunked) removed and any content encoding (gzip) kept,
// as WARC 1.1 §6.3.2 defines the payload.
package warc

import (
	"crypto/sha1"
	"encoding/base32"
	"errors"
	"hash"
)

// Location is where a record lies: the WARC file's path and the byte offset
// of the record (its gzip member) in it.
type Location struct {
	File   string
	Offset int64
}

// IsZero reports whether l names no record.
func (l Location) IsZero() bool { return l.File == "" }

// Field is one named value of a warcinfo or metadata record.
type Field struct {
	Name, Value string
}

// ErrMalformed is wrapped by the errors reported for records that cannot be
// read; readers skip such records and go on.
var ErrMalformed = errors.New("malformed WARC record")

// Record types of WARC 1.1 §6.
const (
	TypeWarcinfo = "warcinfo"
	TypeResponse = "response"
	TypeResource = "resource"
	TypeRequest  = "request"
	TypeMetadata = "metadata"
	TypeRevisit  = "revisit"
)

// Revisit profiles of WARC 1.1 §6.7.2 (and their WARC 1.0 forms, which
// wget and Heritrix still write).
const (
	ProfileIdenticalPayload   = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
	ProfileIdenticalPayload10 = "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"
	ProfileNotModified        = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
	ProfileNotModified10      = "http://netpreserve.org/warc/1.0/revisit/server-not-modified"
)

var b32 = base32.StdEncoding

// sha1Digest formats a finished SHA-1 as a WARC digest value.
func sha1Digest(h hash.Hash) string {
	return "sha1:" + b32.EncodeToString(h.Sum(nil))
}

// Digest returns the WARC digest value ("sha1:BASE32") of b.
func Digest(b []byte) string {
	h := sha1.New()
	h.Write(b)
	return sha1Digest(h)
}
