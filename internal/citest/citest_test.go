package citest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestRequire runs a child test that calls Require with and without the
// variable set: unset, the child skips; set, it fails.
func TestRequire(t *testing.T) {
	if os.Getenv("CITEST_CHILD") == "1" {
		Require(t, "CITEST_NEED", "needs a thing")
		t.Fatal("Require returned")
	}
	for _, tc := range []struct {
		need    string
		wantErr bool
		want    string
	}{
		{"", false, "needs a thing"},
		{"0", false, "needs a thing"},
		{"1", true, "CITEST_NEED=1"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRequire$", "-test.v")
		cmd.Env = append(os.Environ(), "CITEST_CHILD=1", "CITEST_NEED="+tc.need)
		out, err := cmd.CombinedOutput()
		if (err != nil) != tc.wantErr {
			t.Errorf("CITEST_NEED=%q: err %v, want failure %v\n%s", tc.need, err, tc.wantErr, out)
		}
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("CITEST_NEED=%q: output lacks %q:\n%s", tc.need, tc.want, out)
		}
		if !tc.wantErr && !strings.Contains(string(out), "--- SKIP") {
			t.Errorf("CITEST_NEED=%q: not skipped:\n%s", tc.need, out)
		}
	}
}
