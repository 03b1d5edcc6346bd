package archive

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/klauspost/compress/zstd"
)

// Each version's text is stored once (migration 0003). The record JSON in
// versions.record is json.Marshal of an extract.Article with its two bodies
// cut out: body_text lives in the versions.body_text column only (the copy
// the full-text index reads) and body_html, which nothing searches, in
// versions.body_html as a zstd frame. The full record is rebuilt on read by
// putting both back where json.Marshal wrote them, just before "related", so
// export, show and serve print the same bytes as before.
//
// versions.body_html NULL means the record still holds both bodies (a record
// that could not be split exactly, or a schema-2 archive opened read-only).

// relatedKey is the record key that follows body_html in extract.Article.
const relatedKey = `,"related":`

// bodiesJSON returns the bytes json.Marshal writes for the two bodies of a
// record, from the comma before body_text to the end of body_html's value.
func bodiesJSON(text, html string) ([]byte, error) {
	t, err := json.Marshal(text)
	if err != nil {
		return nil, err
	}
	h, err := json.Marshal(html)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, len(t)+len(h)+28)
	b = append(b, `,"body_text":`...)
	b = append(b, t...)
	b = append(b, `,"body_html":`...)
	return append(b, h...), nil
}

// joinRecord puts the bodies back into a record split by splitRecord.
// JSON strings escape every quote inside them, so the first `,"related":`
// is the top-level key (the keys before it are in the record's own order).
func joinRecord(stripped []byte, text, html string) ([]byte, error) {
	i := bytes.Index(stripped, []byte(relatedKey))
	if i < 0 {
		return nil, fmt.Errorf("record without %q", relatedKey)
	}
	mid, err := bodiesJSON(text, html)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(stripped)+len(mid))
	out = append(out, stripped[:i]...)
	out = append(out, mid...)
	return append(out, stripped[i:]...), nil
}

// splitRecord cuts the bodies text and html out of full, the record JSON
// that holds them, and checks that joinRecord gives full back byte for
// byte. ok is false when it would not: the caller then keeps full whole.
func splitRecord(full []byte, text, html string) (stripped []byte, ok bool) {
	mid, err := bodiesJSON(text, html)
	if err != nil {
		return nil, false
	}
	i := bytes.Index(full, mid)
	if i < 0 {
		return nil, false
	}
	stripped = make([]byte, 0, len(full)-len(mid))
	stripped = append(stripped, full[:i]...)
	stripped = append(stripped, full[i+len(mid):]...)
	back, err := joinRecord(stripped, text, html)
	if err != nil || !bytes.Equal(back, full) {
		return nil, false
	}
	return stripped, true
}

// fullRecord returns the complete record JSON of a version from its stored
// columns: record, body_text and body_html (nil when NULL: record is whole).
func (s *Store) fullRecord(record []byte, bodyText string, bodyHTML []byte) ([]byte, error) {
	if bodyHTML == nil {
		return record, nil
	}
	html, err := s.dec.DecodeAll(bodyHTML, nil)
	if err != nil {
		return nil, fmt.Errorf("body_html: %w", err)
	}
	return joinRecord(record, bodyText, string(html))
}

// bodyHTMLCol is the SQL expression that reads versions.body_html of the
// versions row named v: NULL on a schema-2 archive opened read-only, whose
// records hold their bodies.
func (s *Store) bodyHTMLCol(v string) string {
	if s.schema < 3 {
		return "NULL"
	}
	return v + ".body_html"
}

// migrateRecordsOnce is the Go half of migration 0003: it splits every
// version's record (body_html still NULL) into record, body_text and a
// compressed body_html, inside the migration's transaction.
func migrateRecordsOnce(ctx context.Context, tx *sql.Tx) error {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithWindowSize(1<<20),
		zstd.WithEncoderConcurrency(1))
	if err != nil {
		return fmt.Errorf("zstd encoder: %w", err)
	}
	defer enc.Close()
	upd, err := tx.PrepareContext(ctx, `UPDATE versions SET record = ?, body_html = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer upd.Close()
	// In id order, a bounded slice at a time: the UPDATE does not move rows
	// and the next slice starts after the last id seen.
	var last int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT id, record, body_text FROM versions
			WHERE id > ? AND body_html IS NULL ORDER BY id LIMIT 512`, last)
		if err != nil {
			return err
		}
		type row struct {
			id     int64
			record []byte
			text   string
		}
		var batch []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.record, &r.text); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, r := range batch {
			last = r.id
			var b struct {
				BodyHTML *string `json:"body_html"`
			}
			if json.Unmarshal(r.record, &b) != nil || b.BodyHTML == nil {
				continue // not a record this code wrote: kept whole
			}
			stripped, ok := splitRecord(r.record, r.text, *b.BodyHTML)
			if !ok {
				continue
			}
			if _, err := upd.ExecContext(ctx, string(stripped), enc.EncodeAll([]byte(*b.BodyHTML), nil), r.id); err != nil {
				return fmt.Errorf("version %d: %w", r.id, err)
			}
		}
	}
}
