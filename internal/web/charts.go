package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/newsarchive/newsarchive/archive"
)

// Charts are drawn on the server as inline SVG through html/template (so
// every label is escaped) and need no script: the UI's CSP allows none.

// chartTemplate draws a barChart.
var chartTemplate = template.Must(template.New("chart").Parse(`<figure class="chart {{.Class}}">
<figcaption>{{.Title}}</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.Width}} {{.Height}}" width="100%" role="img" aria-label="{{.Title}}">
<line x1="{{.Left}}" y1="{{.Base}}" x2="{{.Right}}" y2="{{.Base}}" stroke="#9aa5b1"/>
<text x="{{.YLabelX}}" y="{{.Top}}" font-size="11" text-anchor="end" dominant-baseline="hanging" fill="#5d6874">{{.Max}}</text>
<text x="{{.YLabelX}}" y="{{.Base}}" font-size="11" text-anchor="end" fill="#5d6874">0</text>
{{range .Bars}}{{if .N}}<rect class="bar" data-key="{{.Key}}" data-n="{{.N}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="#0b5cad"><title>{{.Key}}: {{.N}}</title></rect>
{{end}}{{end}}{{range .Labels}}<text x="{{.X}}" y="{{.Y}}" font-size="11" text-anchor="middle" fill="#5d6874">{{.Text}}</text>
{{end}}</svg>
</figure>`))

// bar is one bar of a chart, in SVG user units.
type bar struct {
	Key        string
	N          int
	X, Y, W, H string
}

// axisLabel is a label under the axis.
type axisLabel struct {
	X, Y string
	Text string
}

// barChart is a chart of counts over consecutive periods.
type barChart struct {
	Title, Class                    string
	Width, Height                   int
	Left, Right, Top, Base, YLabelX int
	Max                             int
	Bars                            []bar
	Labels                          []axisLabel
}

// maxDayBars bounds a per-day chart: the last this many days with data.
const maxDayBars = 120

// num formats an SVG coordinate.
func num(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}

// fillPeriods returns the counts of every period from the first key to the
// last (months "2006-01" or days "2006-01-02"), zero where there were none.
// Keys of another form are dropped.
func fillPeriods(counts []archive.Count, layout string, step func(time.Time) time.Time) []archive.Count {
	have := map[string]int{}
	var first, last time.Time
	for _, c := range counts {
		t, err := time.Parse(layout, c.Key)
		if err != nil {
			continue
		}
		have[c.Key] += c.N
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	if first.IsZero() {
		return nil
	}
	var out []archive.Count
	for t := first; !t.After(last); t = step(t) {
		k := t.Format(layout)
		out = append(out, archive.Count{Key: k, N: have[k]})
	}
	return out
}

// monthly fills the months between the first and last of counts.
func monthly(counts []archive.Count) []archive.Count {
	return fillPeriods(counts, "2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) })
}

// daily fills the days between the first and last of counts, keeping the
// last maxDayBars days.
func daily(counts []archive.Count) []archive.Count {
	out := fillPeriods(counts, "2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) })
	if len(out) > maxDayBars {
		out = out[len(out)-maxDayBars:]
	}
	return out
}

// drawBars lays out counts as a bar chart and renders it; nil when there is
// nothing to draw.
func drawBars(title, class string, counts []archive.Count) (template.HTML, error) {
	if len(counts) == 0 {
		return "", nil
	}
	c := barChart{Title: title, Class: class, Width: 720, Height: 180, Left: 40, Right: 680, Top: 10, Base: 150, YLabelX: 34}
	for _, x := range counts {
		c.Max = max(c.Max, x.N)
	}
	slot := float64(c.Right-c.Left) / float64(len(counts))
	w := min(max(slot*0.8, 1), 48)
	every := max(1, (len(counts)+9)/10) // at most ~10 labels
	for i, x := range counts {
		h := 0.0
		if c.Max > 0 {
			h = float64(x.N) / float64(c.Max) * float64(c.Base-c.Top)
		}
		left := float64(c.Left) + float64(i)*slot + (slot-w)/2
		c.Bars = append(c.Bars, bar{Key: x.Key, N: x.N, X: num(left), Y: num(float64(c.Base) - h), W: num(w), H: num(h)})
		if i%every == 0 {
			c.Labels = append(c.Labels, axisLabel{X: num(left + w/2), Y: num(float64(c.Base) + 16), Text: x.Key})
		}
	}
	var b strings.Builder
	if err := chartTemplate.Execute(&b, c); err != nil {
		return "", fmt.Errorf("web: chart %s: %w", class, err)
	}
	return template.HTML(b.String()), nil // #nosec: html/template output
}

// timelineTemplate draws an article's versions as points on a line, each a
// link to its diff from the version before.
var timelineTemplate = template.Must(template.New("timeline").Parse(`<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.Width}} 70" width="100%" role="img" aria-label="Versions on a timeline">
<line x1="20" y1="25" x2="{{.End}}" y2="25" stroke="#9aa5b1" stroke-width="2"/>
{{range .Points}}{{if .Href}}<a href="{{.Href}}">{{end}}<circle class="version{{if .Changed}} changed{{end}}" data-version="{{.ID}}" cx="{{.X}}" cy="25" r="7" fill="{{if .Changed}}#c2410c{{else}}#0b5cad{{end}}"><title>version {{.ID}}, {{.Date}}: {{.Summary}}</title></circle>{{if .Href}}</a>{{end}}
<text x="{{.X}}" y="52" font-size="11" text-anchor="middle" fill="#5d6874">{{.Date}}</text>
{{end}}</svg>`))

// timelinePoint is one version on the timeline.
type timelinePoint struct {
	ID      int64
	X       string
	Date    string
	Summary string
	Href    string
	Changed bool
}

// drawTimeline places the versions evenly in fetch order, each labelled
// with its date (captures minutes apart and months apart both stay
// readable), and renders the timeline.
func drawTimeline(articleID int64, tl []archive.TimelineEntry) (template.HTML, error) {
	if len(tl) == 0 {
		return "", nil
	}
	const width, left, right = 720.0, 70.0, 650.0
	data := struct {
		Width, End int
		Points     []timelinePoint
	}{Width: int(width), End: int(width - 20)}
	for i, v := range tl {
		x := left
		if len(tl) == 1 {
			x = (left + right) / 2
		} else {
			x = left + float64(i)/float64(len(tl)-1)*(right-left)
		}
		p := timelinePoint{ID: v.ID, X: num(x), Date: v.FetchedAt.UTC().Format("2006-01-02 15:04"), Summary: "first version"}
		if v.Diff != nil {
			p.Summary, p.Changed = v.Diff.Summary(), true
			p.Href = fmt.Sprintf("/articles/%d/diff?from=%d&to=%d", articleID, tl[i-1].ID, v.ID)
		}
		data.Points = append(data.Points, p)
	}
	var b strings.Builder
	if err := timelineTemplate.Execute(&b, data); err != nil {
		return "", fmt.Errorf("web: timeline: %w", err)
	}
	return template.HTML(b.String()), nil // #nosec: html/template output
}
