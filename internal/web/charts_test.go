package web

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsarchive/newsarchive/archive"
)

func TestFillPeriods(t *testing.T) {
	got := monthly([]archive.Count{cnt("2020-11", 2), cnt("2021-02", 5), cnt("unknown", 9)})
	want := []archive.Count{cnt("2020-11", 2), cnt("2020-12", 0), cnt("2021-01", 0), cnt("2021-02", 5)}
	if !slices.Equal(got, want) {
		t.Errorf("monthly = %v, want %v", got, want)
	}
	days := daily([]archive.Count{cnt("2020-01-01", 1), cnt("2021-01-01", 3)})
	if len(days) != maxDayBars || days[len(days)-1] != (cnt("2021-01-01", 3)) {
		t.Errorf("daily kept %d days ending %v", len(days), days[len(days)-1])
	}
	if monthly(nil) != nil {
		t.Error("no counts drew periods")
	}
}

func TestDrawBars(t *testing.T) {
	svg, err := drawBars(`Per <month> & "more"`, "m", []archive.Count{cnt("2021-01", 1), cnt("2021-02", 0), cnt("2021-03", 4)})
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if n := strings.Count(s, `<rect class="bar"`); n != 2 {
		t.Errorf("%d bars, want 2 (none for an empty month):\n%s", n, s)
	}
	if strings.Contains(s, "<month>") || !strings.Contains(s, "Per &lt;month&gt; &amp; &#34;more&#34;") {
		t.Errorf("title not escaped:\n%s", s)
	}
	// The tallest bar spans the plot; the other is a quarter of it.
	if !strings.Contains(s, `data-key="2021-03" data-n="4" x=`) || !strings.Contains(s, `height="140"`) || !strings.Contains(s, `height="35"`) {
		t.Errorf("bar heights:\n%s", s)
	}
	if svg, _ := drawBars("x", "x", nil); svg != "" {
		t.Errorf("empty chart drew %q", svg)
	}
}

func TestSideBySide(t *testing.T) {
	rows := sideBySide(nil, []string{"  same", "- old 1", "- old 2", "+ new 1", "  end", "+ appended"})
	type r struct {
		old, new string
		same     bool
	}
	var got []r
	for _, x := range rows {
		got = append(got, r{x.Old, x.New, x.Same})
	}
	want := []r{{"same", "same", true}, {"old 1", "new 1", false}, {"old 2", "", false}, {"end", "end", true}, {"", "appended", false}}
	if !slices.Equal(got, want) {
		t.Errorf("rows %+v, want %+v", got, want)
	}
	if rows := sideBySide([]string{"a", "b"}, nil); len(rows) != 2 || !rows[0].Same {
		t.Errorf("unchanged body rows %+v", rows)
	}
}

func cnt(k string, n int) archive.Count { return archive.Count{Key: k, N: n} }
