package warc

import (
	"errors"
	"strings"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// IndexFile reads the files this package writes with nlnwa/gowarc, the
// library that writes them; imports go through the package's own reader
// (scan.go), which is lenient with files of other tools.

// readOptions are lenient: what matters to an index is the record framing.
// Spec violations are collected rather than ignored because only then does
// the library keep the block for us to read.
func readOptions() []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithSyntaxErrorPolicy(gowarc.ErrIgnore),
		gowarc.WithSpecViolationPolicy(gowarc.ErrWarn),
		gowarc.WithUnknownRecordTypePolicy(gowarc.ErrIgnore),
		gowarc.WithSkipParseBlock(),
		gowarc.WithBufferMaxMemBytes(32 << 20),
	}
}

// maxConsecutiveFailures bounds the resynchronisation attempts after
// malformed records before the rest of a file is given up.
const maxConsecutiveFailures = 64

// targetURI returns a record's WARC-Target-URI without the angle brackets
// that WARC/1.0 writers (wget, older Heritrix) put around it. The library
// drops a value its URL parser rejects, such as a bracketed one, and reports
// it among the validation findings, where it is recovered from.
func targetURI(rec gowarc.Record) string {
	if v := rec.WarcRecord.WarcHeader().Get(gowarc.WarcTargetURI); v != "" {
		return strings.Trim(strings.TrimSpace(v), "<>")
	}
	for _, err := range rec.Validation {
		var he *gowarc.HeaderFieldError
		if !errors.As(err, &he) || he.FieldName != gowarc.WarcTargetURI {
			continue
		}
		i := strings.Index(he.Msg, "Url: '")
		j := strings.LastIndexByte(he.Msg, '\'')
		if i >= 0 && j > i+6 {
			return strings.Trim(strings.TrimSpace(he.Msg[i+6:j]), "<>")
		}
	}
	return ""
}
