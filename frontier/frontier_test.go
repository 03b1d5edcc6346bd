package frontier

import (
	"errors"
	"testing"
	"time"
)

func TestPaceGap(t *testing.T) {
	for _, tc := range []struct {
		p        Pace
		failures int
		want     time.Duration
	}{
		{Pace{Delay: time.Second}, 0, time.Second},
		{Pace{Delay: time.Second, CrawlDelay: 5 * time.Second}, 0, 5 * time.Second},
		{Pace{Delay: time.Second, RetryAfter: 30 * time.Second, CrawlDelay: 5 * time.Second}, 0, 30 * time.Second},
		{Pace{Delay: time.Second}, 1, 2 * time.Second},
		{Pace{Delay: time.Second}, 3, 8 * time.Second},
		{Pace{}, 2, 4 * time.Second}, // back-off starts from a second even without a delay
		{Pace{Delay: time.Second, RetryAfter: time.Minute}, 2, time.Minute},
		{Pace{Delay: time.Second}, 40, MaxBackoff},
	} {
		if got := tc.p.Gap(tc.failures); got != tc.want {
			t.Errorf("%+v.Gap(%d) = %v, want %v", tc.p, tc.failures, got, tc.want)
		}
	}
}

func TestHostOf(t *testing.T) {
	for in, want := range map[string]string{
		"http://Example.COM/a":        "example.com",
		"https://example.com:8443/a":  "example.com:8443",
		"http://127.0.0.2:8080/x?y=1": "127.0.0.2:8080",
	} {
		if got, err := HostOf(in); err != nil || got != want {
			t.Errorf("HostOf(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := HostOf("/relative"); !errors.Is(err, ErrNoHost) {
		t.Errorf("HostOf of a relative URL: %v, want ErrNoHost", err)
	}
}
