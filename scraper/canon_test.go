package scraper

import (
	"errors"
	"testing"
)

func TestCanonicalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"lowercase scheme and host", "HTTP://Example.COM/Path", "http://example.com/Path"},
		{"empty path", "http://example.com", "http://example.com/"},
		{"default http port", "http://example.com:80/a", "http://example.com/a"},
		{"default https port", "https://example.com:443/a", "https://example.com/a"},
		{"other port kept", "http://example.com:8080/a", "http://example.com:8080/a"},
		{"empty port", "http://example.com:/a", "http://example.com/a"},
		{"fragment", "http://example.com/a#section", "http://example.com/a"},
		{"trailing question mark", "http://example.com/a?", "http://example.com/a"},
		{"sorted query", "http://example.com/a?b=2&a=1&c=3", "http://example.com/a?a=1&b=2&c=3"},
		{"repeated names keep order", "http://example.com/?b=2&a=1&b=1", "http://example.com/?a=1&b=2&b=1"},
		{"empty pairs", "http://example.com/?&a=1&&", "http://example.com/?a=1"},
		{"utm", "http://example.com/a?utm_source=x&utm_medium=y&id=5", "http://example.com/a?id=5"},
		{"click ids", "http://example.com/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref_src=5", "http://example.com/a"},
		{"sid", "http://example.com/a?sid=abc&x=1", "http://example.com/a?x=1"},
		{"phpsessid any case", "http://example.com/a?PHPSESSID=abc", "http://example.com/a"},
		{"aspsessionid prefix", "http://example.com/a?ASPSESSIONIDQQ=abc&p=2", "http://example.com/a?p=2"},
		{"jsessionid path param", "http://example.com/a;jsessionid=0A1B?x=1", "http://example.com/a?x=1"},
		{"other path param kept", "http://example.com/a;v=1", "http://example.com/a;v=1"},
		{"decode unreserved", "http://example.com/%7Euser/%41%62c", "http://example.com/~user/Abc"},
		{"uppercase escapes", "http://example.com/a%2fb?q=%3d", "http://example.com/a%2Fb?q=%3D"},
		{"escape space", "http://example.com/a b", "http://example.com/a%20b"},
		{"escape non-ASCII", "http://example.com/ツ", "http://example.com/%E3%83%84"},
		{"stray percent", "http://example.com/100%", "http://example.com/100%25"},
		{"dot segments", "http://example.com/a/./b/../c", "http://example.com/a/c"},
		{"dot segment at end", "http://example.com/a/b/..", "http://example.com/a/"},
		{"double slash kept", "http://example.com/a//b", "http://example.com/a//b"},
		{"user info dropped", "http://user:pw@example.com/", "http://example.com/"},
		{"trailing dot host", "http://example.com./a", "http://example.com/a"},
		{"IDN host", "http://bücher.example/", "http://xn--bcher-kva.example/"},
		{"IPv6", "http://[::1]:8080/a", "http://[::1]:8080/a"},
		{"plus kept", "http://example.com/search?q=a+b", "http://example.com/search?q=a+b"},
		{"spaces and newlines", " http://example.com/a\n/b\t ", "http://example.com/a/b"},
		{"https", "HTTPS://EXAMPLE.com", "https://example.com/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonicalize(tt.in)
			if err != nil {
				t.Fatalf("Canonicalize(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("Canonicalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			again, err := Canonicalize(got)
			if err != nil || again != got {
				t.Errorf("not idempotent: %q → %q (%v)", got, again, err)
			}
		})
	}
}

func TestCanonicalizeErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"mailto:a@example.com", ErrUnsupportedScheme},
		{"javascript:alert(1)", ErrUnsupportedScheme},
		{"ftp://example.com/", ErrUnsupportedScheme},
		{"/relative/path", ErrInvalidURL},
		{"http://", ErrInvalidURL},
		{"http://exa mple.com/", ErrInvalidURL},
		{"http://example.com:99999/", ErrInvalidURL},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := Canonicalize(tt.in)
			if !errors.Is(err, tt.want) {
				t.Errorf("Canonicalize(%q) error = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}

func TestTrapDetail(t *testing.T) {
	long := "http://example.com/" + string(make([]byte, 0))
	for range 300 {
		long += "abcdefgh"
	}
	tests := []struct {
		name, url string
		trap      bool
	}{
		{"normal", "http://example.com/2024/01/01/story", false},
		{"two repeats", "http://example.com/a/b/a/b/", false},
		{"three repeats", "http://example.com/a/b/a/b/a/b", true},
		{"calendar", "http://example.com/cal/next/next/next/", true},
		{"query pairs", "http://example.com/?a=1&a=1&a=1", true},
		{"too long", long, true},
		{"deep", "http://example.com/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/18/19/20/21/22/23/24/25/26/27/28/29/30/31/32/33", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := trapDetail(tt.url, 2048)
			if (d != "") != tt.trap {
				t.Errorf("trapDetail(%q) = %q, want trap %v", tt.url, d, tt.trap)
			}
		})
	}
}

func FuzzCanonicalize(f *testing.F) {
	for _, s := range []string{
		"http://example.com/a?b=1&a=2#f", "HTTPS://EX.com:443/%7e/./../x", "http://a/;jsessionid=1?sid=2",
		"http://[::1]/", "http://bücher.example/ツ", "http://x/%", "http://x/?&&=&", "http://x:0/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := Canonicalize(in)
		if err != nil {
			return
		}
		again, err := Canonicalize(got)
		if err != nil {
			t.Fatalf("canonical %q (from %q) does not parse: %v", got, in, err)
		}
		if again != got {
			t.Fatalf("not idempotent: %q → %q → %q", in, got, again)
		}
	})
}

func BenchmarkCanonicalize(b *testing.B) {
	urls := []string{
		"https://www.Example.com/news/2024/05/some-long-article-slug-here?utm_source=rss&utm_medium=feed&id=42",
		"https://www.example.com/category/world/",
		"https://www.example.com/a/b/../c/%7Euser?b=2&a=1#frag",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Canonicalize(urls[i%len(urls)]); err != nil {
			b.Fatal(err)
		}
	}
}
