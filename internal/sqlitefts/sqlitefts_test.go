package sqlitefts

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func openTest(t *testing.T) *sql.DB {
	t.Helper()
	db := sql.OpenDB(NewConnector("file:" + filepath.Join(t.TempDir(), "t.db")))
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(4)
	return db
}

// fill creates an FTS5 table of n generated rows over three columns, with
// accents and case to fold, and returns the words used.
func fill(t *testing.T, db *sql.DB, n int) []string {
	t.Helper()
	if _, err := db.Exec(`CREATE VIRTUAL TABLE f USING fts5(title, body, authors, tokenize = 'unicode61 remove_diacritics 2')`); err != nil {
		t.Fatal(err)
	}
	words := []string{"Müller", "tesla", "Énergie", "wind", "solar", "grid", "battery", "x", "ça", "Ωmega", "naïve", "rain", "storm"}
	r := rand.New(rand.NewPCG(1, 2))
	gen := func(k int) string {
		var b strings.Builder
		for i := range k {
			if i > 0 {
				b.WriteByte(' ')
			}
			// Skewed: the first words are in most rows.
			b.WriteString(words[min(r.IntN(len(words)), r.IntN(len(words)))])
		}
		return b.String()
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := tx.Exec(`INSERT INTO f (rowid, title, body, authors) VALUES (?, ?, ?, ?)`,
			i+1, gen(1+r.IntN(6)), gen(r.IntN(80)), gen(r.IntN(3))); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return words
}

// TestRegistered: every connection of the pool carries the functions.
func TestRegistered(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	for range 3 {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ok bool
		if err := c.Raw(func(dc any) error { ok = Registered(dc); return nil }); err != nil {
			t.Fatal(err)
		}
		if !ok {
			t.Fatal("connection without the functions")
		}
		defer c.Close() // held, so that the next one is another connection
	}
	if Registered(struct{}{}) || Registered(nil) || Registered(&struct{ db int }{}) {
		t.Fatal("Registered accepts a value that is no connection")
	}
}

// TestPhrases: fts5_phrases gives each phrase's folded tokens in FTS5's order.
func TestPhrases(t *testing.T) {
	db := openTest(t)
	fill(t, db, 50)
	for q, want := range map[string][][]string{
		`tesla`:                        {{"tesla"}},
		`MÜLLER wind`:                  {{"muller"}, {"wind"}},
		`"solar grid" OR (wind NOT x)`: {{"solar", "grid"}, {"wind"}, {"x"}},
		`énergie + storm`:              {{"energie", "storm"}},
		`title: tesla`:                 {{"tesla"}},
		`tes*`:                         {{"tes"}},
		`NEAR(wind solar, 3) "Ωmega"`:  {{"wind"}, {"solar"}, {"ωmega"}},
		`"wind" "wind"`:                {{"wind"}, {"wind"}},
	} {
		var js string
		err := db.QueryRow(`SELECT fts5_phrases(f) FROM f WHERE f MATCH ? LIMIT 1`, q).Scan(&js)
		if err == sql.ErrNoRows {
			continue // the generated rows hold no match; the other queries check
		}
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var got [][]string
		if err := json.Unmarshal([]byte(js), &got); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: phrases %v, want %v", q, got, want)
		}
	}
}

// TestBM25DFSameAsBM25: with each phrase's true row count, bm25_df gives
// bm25's score bit for bit, on every row and for every query shape; with
// another count it gives another score (the argument is used).
func TestBM25DFSameAsBM25(t *testing.T) {
	db := openTest(t)
	fill(t, db, 3000)
	queries := []string{`tesla`, `muller wind`, `wind solar grid`, `"wind solar"`, `x OR rain`,
		`wind NOT storm`, `énergie ça`, `Ωmega`, `naïve AND battery`, `wind wind`, `title: tesla`, `storm*`}
	for _, q := range queries {
		var js string
		if err := db.QueryRow(`SELECT fts5_phrases(f) FROM f WHERE f MATCH ? LIMIT 1`, q).Scan(&js); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var ph [][]string
		json.Unmarshal([]byte(js), &ph)
		// Each phrase's row count, as bm25 counts it: the phrase alone. The
		// column filter and prefix query keep their syntax.
		hits := make([]string, len(ph))
		for i, p := range ph {
			pq := `"` + strings.Join(p, " ") + `"`
			switch {
			case strings.HasPrefix(q, "title:"):
				pq = "title: " + pq
			case strings.HasSuffix(q, "*"):
				pq += "*"
			}
			var n int
			if err := db.QueryRow(`SELECT count(*) FROM f WHERE f MATCH ?`, pq).Scan(&n); err != nil {
				t.Fatal(err)
			}
			hits[i] = fmt.Sprint(n)
		}
		arg := strings.Join(hits, " ")
		rows, err := db.Query(`SELECT rowid, bm25(f, 10.0, 1.0, 5.0), bm25_df(f, 10.0, 1.0, 5.0, ?), bm25(f), bm25_df(f, ?), bm25_df(f, 10.0, 1.0, 5.0, ?)
			FROM f WHERE f MATCH ?`, arg, arg, strings.Repeat("1 ", len(ph)), q)
		if err != nil {
			t.Fatal(err)
		}
		n, differ := 0, 0
		for rows.Next() {
			var id int64
			var a, b, c, d, other float64
			if err := rows.Scan(&id, &a, &b, &c, &d, &other); err != nil {
				t.Fatal(err)
			}
			n++
			if a != b || c != d {
				t.Fatalf("%s row %d: bm25 %v / %v, bm25_df %v / %v", q, id, a, c, b, d)
			}
			if other != a {
				differ++
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if n == 0 {
			t.Fatalf("%s: no rows", q)
		}
		if differ == 0 && !slices.Contains(hits, "1") {
			t.Errorf("%s: other row counts gave the same scores", q)
		}
	}
}

// TestBM25DFErrors: a wrong number of counts or a bad count is an error, not
// a wrong score.
func TestBM25DFErrors(t *testing.T) {
	db := openTest(t)
	fill(t, db, 100)
	for _, arg := range []string{"", "1 2", "x", "-3", " "} {
		var s float64
		err := db.QueryRow(`SELECT bm25_df(f, 10.0, ?) FROM f WHERE f MATCH 'wind' LIMIT 1`, arg).Scan(&s)
		if err == nil || !strings.Contains(err.Error(), "bm25_df") {
			t.Errorf("hits %q: err %v", arg, err)
		}
	}
	if err := db.QueryRow(`SELECT bm25_df(f) FROM f WHERE f MATCH 'wind' LIMIT 1`).Scan(new(float64)); err == nil {
		t.Error("no counts: no error")
	}
}

// TestBM25DFFilterPhrases: with counts for the first phrases only, the
// phrases after them filter without being scored: "(q) AND authors: x"
// gives each row it returns the score q alone gives it, and returns only
// the rows of q that hold x in authors.
func TestBM25DFFilterPhrases(t *testing.T) {
	db := openTest(t)
	fill(t, db, 3000)
	for _, q := range []string{`wind solar`, `tesla`, `"wind solar" OR rain`} {
		var js string
		if err := db.QueryRow(`SELECT fts5_phrases(f) FROM f WHERE f MATCH ? LIMIT 1`, q).Scan(&js); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var ph [][]string
		json.Unmarshal([]byte(js), &ph)
		hits := strings.TrimSpace(strings.Repeat("700 ", len(ph)))
		alone := map[int64]float64{}
		rows, err := db.Query(`SELECT rowid, bm25_df(f, 10.0, 1.0, 5.0, ?) FROM f
			WHERE f MATCH ? AND rowid IN (SELECT rowid FROM f WHERE f MATCH 'authors: grid')`, hits, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			var sc float64
			rows.Scan(&id, &sc)
			alone[id] = sc
		}
		rows.Close()
		rows, err = db.Query(`SELECT rowid, bm25_df(f, 10.0, 1.0, 5.0, ?) FROM f WHERE f MATCH ?`,
			hits, "("+q+`) AND {authors}: "grid"`)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var id int64
			var sc float64
			if err := rows.Scan(&id, &sc); err != nil {
				t.Fatal(err)
			}
			n++
			if want, ok := alone[id]; !ok || want != sc {
				t.Fatalf("%s row %d: filtered score %v, alone %v (found %v)", q, id, sc, want, ok)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if n == 0 || n != len(alone) {
			t.Fatalf("%s: %d filtered rows, %d rows of the query with grid in authors", q, n, len(alone))
		}
	}
}
