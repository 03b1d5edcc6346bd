package extract

import (
	"regexp"
	"strings"
	"testing"
)

// olderSkeleton turns a Skeleton-theme fixture page into the theme's older
// variant: tags as a "Tagged:" line of links without the tag classes, the
// image credit on the image's own line, and no paginate block, so that the
// breadcrumb's "Older Post" / "Newer Post" links are the only reading-next
// links.
func olderSkeleton(t *testing.T, page string) string {
	t.Helper()
	tags := regexp.MustCompile(`(?s)<div class="blog_tags">.*?</div>`)
	paginate := regexp.MustCompile(`(?s)<div class="paginate">.*?</div>`)
	image := regexp.MustCompile(`(<img src="[^"]*starship-sn10[^"]*" alt="[^"]*">)</p>\s*<p><em>(Image: [^<]*)</em></p>`)
	for name, re := range map[string]*regexp.Regexp{"tags": tags, "paginate": paginate, "image": image} {
		if !re.MatchString(page) {
			t.Fatalf("fixture has no %s block to rewrite", name)
		}
	}
	page = tags.ReplaceAllString(page, `<p class="meta">Tagged: <a href="/blogs/tesmanian-blog/tagged/spacex">SpaceX</a>, `+
		`<a href="/blogs/tesmanian-blog/tagged/starship">Starship</a>, <a href="/blogs/tesmanian-blog/tagged/elon-musk">Elon Musk</a></p>`)
	page = paginate.ReplaceAllString(page, "")
	page = image.ReplaceAllString(page, "$1<br><span>$2</span></p>")
	return page
}

func TestOlderSkeletonTheme(t *testing.T) {
	const handle = "starship-sn10-suborbital-pad"
	page := olderSkeleton(t, string(readFixture(t, handle)))
	wantRelated := []string{
		"https://www.tesmanian.com/blogs/tesmanian-blog/spacex-starlink-passes-1000-satellites-in-orbit",
		"https://www.tesmanian.com/blogs/tesmanian-blog/norway-electric-car-share-january-2021-model-y",
	}
	for _, tc := range []struct {
		name string
		e    *Extractor
	}{{"site rule", defaultExtractor(t)}, {"generic layer only", New(nil)}} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := tc.e.Extract(fixtureURL+handle, nil, []byte(page))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(a.Tags, "|"); got != "SpaceX|Starship|Elon Musk" {
				t.Errorf("tags = %q, want SpaceX|Starship|Elon Musk", got)
			}
			if a.Image == nil || a.Image.Caption != "Image: SpaceX" {
				t.Errorf("image = %+v, want caption Image: SpaceX", a.Image)
			}
			var got []string
			for _, l := range a.Related {
				got = append(got, l.URL)
				if l.Title == "" || strings.Contains(l.Title, "Older Post") || strings.Contains(l.Title, "Newer Post") {
					t.Errorf("related %s titled %q, want the article's title", l.URL, l.Title)
				}
			}
			if strings.Join(got, " ") != strings.Join(wantRelated, " ") {
				t.Errorf("related = %q, want %q", got, wantRelated)
			}
			if strings.Contains(a.BodyText, "Image: SpaceX") || strings.Contains(a.BodyText, "Tagged") {
				t.Errorf("body holds the credit or the tags:\n%s", a.BodyText)
			}
		})
	}
}
