// Package sqlitefts opens SQLite connections (modernc.org/sqlite) that carry
// two FTS5 auxiliary functions of the archive's search:
//
//   - bm25_df(fts, w0, w1, …, hits) is FTS5's bm25(fts, w0, w1, …), the same
//     arithmetic in the same order, except that the number of rows each
//     phrase matches (bm25's document frequency) is given in hits, a text
//     of one integer per phrase separated by spaces, instead of being
//     counted by walking the phrase's whole doclist once per query. When
//     hits has fewer counts than the query has phrases, the phrases past
//     them are not scored: a query "(q) AND {col}: x" ranks as q alone,
//     x only filtering. That
//     walk is what made two common words cost ~100 ms at a million
//     articles whatever the number of rows ranked (docs/search-scale.md).
//   - fts5_phrases(fts) returns the query's phrases as JSON, an array of
//     arrays of tokens as the tokenizer folded them, so that the caller can
//     look up each phrase's count.
//
// modernc.org/sqlite registers scalar functions but not FTS5 auxiliary
// ones, so the functions are registered through SQLite's C API as the
// driver exposes it (the fts5_api pointer from "SELECT fts5(?1)" and its
// xCreateFunction), on the connection handle read from the driver's
// connection by reflection. [Registered] reports whether that worked: a
// driver version whose layout differs leaves the connection without the
// functions, and the caller ranks with bm25 as before.
package sqlitefts

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Connector opens connections to one DSN with the functions registered.
type Connector struct {
	dsn string
	d   *sqlite.Driver
}

// NewConnector returns a connector for dsn (modernc.org/sqlite's DSN syntax)
// whose connections carry bm25_df and fts5_phrases.
func NewConnector(dsn string) *Connector {
	d := &sqlite.Driver{}
	d.RegisterConnectionHook(func(c sqlite.ExecQuerierContext, _ string) error {
		// A connection the functions cannot be registered on still works:
		// Registered tells the caller to rank with bm25.
		_ = register(c)
		return nil
	})
	return &Connector{dsn: dsn, d: d}
}

// Connect implements driver.Connector.
func (c *Connector) Connect(context.Context) (driver.Conn, error) { return c.d.Open(c.dsn) }

// Driver implements driver.Connector.
func (c *Connector) Driver() driver.Driver { return c.d }

// Registered reports whether conn (a connection of a Connector, as
// database/sql's Conn.Raw hands it) carries the functions.
func Registered(conn any) bool {
	db, tls, ok := handle(conn)
	if !ok {
		return false
	}
	return apiOf(tls, db) != 0
}

// handle returns the sqlite3* handle and the C thread state of a
// modernc.org/sqlite connection.
func handle(conn any) (db uintptr, tls *libc.TLS, ok bool) {
	v := reflect.ValueOf(conn)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return 0, nil, false
	}
	v = v.Elem()
	fdb, ftls := v.FieldByName("db"), v.FieldByName("tls")
	if !fdb.IsValid() || fdb.Kind() != reflect.Uintptr || !ftls.IsValid() || ftls.Type() != reflect.TypeFor[*libc.TLS]() {
		return 0, nil, false
	}
	if fdb.Uint() == 0 || ftls.IsNil() {
		return 0, nil, false
	}
	return uintptr(fdb.Uint()), (*libc.TLS)(ftls.UnsafePointer()), true
}

// register creates the functions on conn's handle.
func register(conn any) error {
	db, tls, ok := handle(conn)
	if !ok {
		return errors.New("sqlitefts: not a modernc.org/sqlite connection of the expected layout")
	}
	api := apiOf(tls, db)
	if api == 0 {
		return errors.New("sqlitefts: no fts5_api")
	}
	a := (*sqlite3.Tfts5_api)(ptr(api))
	if a.FiVersion < 2 {
		return fmt.Errorf("sqlitefts: fts5_api version %d", a.FiVersion)
	}
	for _, f := range []struct {
		name string
		fn   uintptr
	}{
		{"bm25_df", cfunc(bm25DF)},
		{"fts5_phrases", cfunc(phrases)},
	} {
		name, err := libc.CString(f.name)
		if err != nil {
			return err
		}
		rc := (*(*func(*libc.TLS, uintptr, uintptr, uintptr, uintptr, uintptr) int32)(unsafe.Pointer(&struct{ uintptr }{a.FxCreateFunction})))(tls, api, name, 0, f.fn, 0)
		libc.Xfree(tls, name)
		if rc != sqlite3.SQLITE_OK {
			return fmt.Errorf("sqlitefts: create %s: code %d", f.name, rc)
		}
	}
	return nil
}

// apiOf returns db's fts5_api pointer (0 when FTS5 is missing), obtained the
// documented way: "SELECT fts5(?1)" with a pointer bound as fts5_api_ptr.
func apiOf(tls *libc.TLS, db uintptr) uintptr {
	zSQL, err := libc.CString("SELECT fts5(?1)")
	if err != nil {
		return 0
	}
	defer libc.Xfree(tls, zSQL)
	zType, err := libc.CString("fts5_api_ptr")
	if err != nil {
		return 0
	}
	defer libc.Xfree(tls, zType)
	bp := tls.Alloc(16)
	defer tls.Free(16)
	*(*uintptr)(ptr(bp)) = 0     // the statement
	*(*uintptr)(ptr(bp + 8)) = 0 // the fts5_api pointer
	if sqlite3.Xsqlite3_prepare_v2(tls, db, zSQL, -1, bp, 0) != sqlite3.SQLITE_OK {
		return 0
	}
	stmt := *(*uintptr)(ptr(bp))
	defer sqlite3.Xsqlite3_finalize(tls, stmt)
	if sqlite3.Xsqlite3_bind_pointer(tls, stmt, 1, bp+8, zType, 0) != sqlite3.SQLITE_OK {
		return 0
	}
	sqlite3.Xsqlite3_step(tls, stmt)
	return *(*uintptr)(ptr(bp + 8))
}

// cfunc returns a Go function as the C function pointer modernc's
// translated C calls (the function value's address, as the driver's own
// callbacks are passed).
func cfunc[T any](f T) uintptr {
	return *(*uintptr)(unsafe.Pointer(&struct{ f T }{f}))
}

// ptr turns an address in C memory (from libc or SQLite) into a pointer,
// without the uintptr-to-Pointer conversion vet reports: such memory is
// never moved by the Go runtime.
func ptr(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }

// ext is the Fts5ExtensionApi of a call.
type ext struct {
	tls  *libc.TLS
	api  *sqlite3.TFts5ExtensionApi
	fts  uintptr
	call uintptr // scratch C memory of the call: 32 bytes
}

func (e ext) phraseCount() int32 {
	return (*(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&struct{ uintptr }{e.api.FxPhraseCount})))(e.tls, e.fts)
}

func (e ext) phraseSize(i int32) int32 {
	return (*(*func(*libc.TLS, uintptr, int32) int32)(unsafe.Pointer(&struct{ uintptr }{e.api.FxPhraseSize})))(e.tls, e.fts, i)
}

// queryToken returns token j of phrase i as the tokenizer folded it.
func (e ext) queryToken(i, j int32) (string, int32) {
	*(*uintptr)(ptr(e.call)) = 0
	*(*int32)(ptr(e.call + 8)) = 0
	rc := (*(*func(*libc.TLS, uintptr, int32, int32, uintptr, uintptr) int32)(unsafe.Pointer(&struct{ uintptr }{e.api.FxQueryToken})))(e.tls, e.fts, i, j, e.call, e.call+8)
	if rc != sqlite3.SQLITE_OK {
		return "", rc
	}
	p, n := *(*uintptr)(ptr(e.call)), *(*int32)(ptr(e.call + 8))
	if p == 0 || n <= 0 {
		return "", sqlite3.SQLITE_OK
	}
	return string(libc.GoBytes(p, int(n))), sqlite3.SQLITE_OK
}

func (e ext) int64Out(fn uintptr, col int32, withCol bool) (int64, int32) {
	*(*int64)(ptr(e.call)) = 0
	var rc int32
	if withCol {
		rc = (*(*func(*libc.TLS, uintptr, int32, uintptr) int32)(unsafe.Pointer(&struct{ uintptr }{fn})))(e.tls, e.fts, col, e.call)
	} else {
		rc = (*(*func(*libc.TLS, uintptr, uintptr) int32)(unsafe.Pointer(&struct{ uintptr }{fn})))(e.tls, e.fts, e.call)
	}
	return *(*int64)(ptr(e.call)), rc
}

// phrases implements fts5_phrases(fts).
func phrases(tls *libc.TLS, pApi, pFts, pCtx uintptr, nVal int32, apVal uintptr) {
	bp := tls.Alloc(32)
	defer tls.Free(32)
	e := ext{tls: tls, api: (*sqlite3.TFts5ExtensionApi)(ptr(pApi)), fts: pFts, call: bp}
	if e.api.FiVersion < 3 {
		resultError(tls, pCtx, "fts5_phrases: FTS5 API too old")
		return
	}
	n := e.phraseCount()
	out := make([][]string, n)
	for i := range n {
		size := e.phraseSize(i)
		out[i] = make([]string, 0, size)
		for j := range size {
			tok, rc := e.queryToken(i, j)
			if rc != sqlite3.SQLITE_OK {
				sqlite3.Xsqlite3_result_error_code(tls, pCtx, rc)
				return
			}
			out[i] = append(out[i], tok)
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		resultError(tls, pCtx, err.Error())
		return
	}
	resultText(tls, pCtx, string(b))
}

// bm25DF implements bm25_df(fts, weights…, hits): FTS5's fts5Bm25Function
// and fts5Bm25GetData (SQLite 3.54) with nHit read from hits.
func bm25DF(tls *libc.TLS, pApi, pFts, pCtx uintptr, nVal int32, apVal uintptr) {
	bp := tls.Alloc(32)
	defer tls.Free(32)
	e := ext{tls: tls, api: (*sqlite3.TFts5ExtensionApi)(ptr(pApi)), fts: pFts, call: bp}
	if nVal < 1 {
		resultError(tls, pCtx, "bm25_df: the phrases' row counts are missing")
		return
	}
	arg := func(i int32) uintptr { return *(*uintptr)(ptr(apVal + uintptr(i)*8)) }
	hits := valueText(tls, arg(nVal-1))
	nWeights := nVal - 1
	nPhrase := e.phraseCount()
	fields := strings.Fields(hits)
	if len(fields) == 0 || int32(len(fields)) > nPhrase {
		resultError(tls, pCtx, fmt.Sprintf("bm25_df: %d row counts for %d phrases", len(fields), nPhrase))
		return
	}
	nRow, rc := e.int64Out(e.api.FxRowCount, 0, false)
	if rc != sqlite3.SQLITE_OK {
		sqlite3.Xsqlite3_result_error_code(tls, pCtx, rc)
		return
	}
	nToken, rc := e.int64Out(e.api.FxColumnTotalSize, -1, true)
	if rc != sqlite3.SQLITE_OK {
		sqlite3.Xsqlite3_result_error_code(tls, pCtx, rc)
		return
	}
	avgdl := float64(nToken) / float64(nRow)
	var idfBuf, freqBuf [8]float64
	idf, freq := idfBuf[:0], freqBuf[:0]
	for _, f := range fields {
		nHit, err := strconv.ParseInt(f, 10, 64)
		if err != nil || nHit < 0 {
			resultError(tls, pCtx, "bm25_df: bad row count "+strconv.Quote(f))
			return
		}
		v := libc.Xlog(tls, (float64(nRow-nHit)+float64(0.5))/(float64(nHit)+float64(0.5)))
		if v <= 0 {
			v = 1e-06
		}
		idf = append(idf, v)
		freq = append(freq, 0)
	}
	const k1, b = 1.2, 0.75
	*(*int32)(ptr(bp)) = 0
	rc = (*(*func(*libc.TLS, uintptr, uintptr) int32)(unsafe.Pointer(&struct{ uintptr }{e.api.FxInstCount})))(tls, pFts, bp)
	nInst := *(*int32)(ptr(bp))
	for i := int32(0); rc == sqlite3.SQLITE_OK && i < nInst; i++ {
		rc = (*(*func(*libc.TLS, uintptr, int32, uintptr, uintptr, uintptr) int32)(unsafe.Pointer(&struct{ uintptr }{e.api.FxInst})))(tls, pFts, i, bp+4, bp+8, bp+12)
		if rc == sqlite3.SQLITE_OK {
			ip, ic := *(*int32)(ptr(bp + 4)), *(*int32)(ptr(bp + 8))
			if int(ip) >= len(freq) {
				continue // a phrase past the counts: a filter, not scored
			}
			w := float64(1)
			if nWeights > ic {
				w = sqlite3.Xsqlite3_value_double(tls, arg(ic))
			}
			freq[ip] += w
		}
	}
	var D float64
	if rc == sqlite3.SQLITE_OK {
		*(*int32)(ptr(bp + 16)) = 0
		rc = (*(*func(*libc.TLS, uintptr, int32, uintptr) int32)(unsafe.Pointer(&struct{ uintptr }{e.api.FxColumnSize})))(tls, pFts, -1, bp+16)
		D = float64(*(*int32)(ptr(bp + 16)))
	}
	if rc != sqlite3.SQLITE_OK {
		sqlite3.Xsqlite3_result_error_code(tls, pCtx, rc)
		return
	}
	score := float64(0)
	for i := range idf {
		// The expression of fts5Bm25Function, with the same roundings.
		score = score + float64(idf[i]*(float64(freq[i]*(k1+float64(1)))/(freq[i]+float64(k1*(float64(1)-b+float64(b*D)/avgdl)))))
	}
	sqlite3.Xsqlite3_result_double(tls, pCtx, float64(-float64(1)*score))
}

func valueText(tls *libc.TLS, v uintptr) string {
	p := sqlite3.Xsqlite3_value_text(tls, v)
	n := sqlite3.Xsqlite3_value_bytes(tls, v)
	if p == 0 || n <= 0 {
		return ""
	}
	return string(libc.GoBytes(p, int(n)))
}

// resultText sets a text result (SQLite copies it: SQLITE_TRANSIENT).
func resultText(tls *libc.TLS, pCtx uintptr, s string) {
	z, err := libc.CString(s)
	if err != nil {
		sqlite3.Xsqlite3_result_error_nomem(tls, pCtx)
		return
	}
	defer libc.Xfree(tls, z)
	sqlite3.Xsqlite3_result_text(tls, pCtx, z, int32(len(s)), ^uintptr(0))
}

func resultError(tls *libc.TLS, pCtx uintptr, msg string) {
	z, err := libc.CString(msg)
	if err != nil {
		sqlite3.Xsqlite3_result_error_nomem(tls, pCtx)
		return
	}
	defer libc.Xfree(tls, z)
	sqlite3.Xsqlite3_result_error(tls, pCtx, z, int32(len(msg)))
}
