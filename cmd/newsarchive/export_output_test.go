package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/newsarchive/newsarchive/internal/testsite"
)

// exportFixture crawls the fixture site with --warc (rotated into several
// files) and returns the archive and the directory of its WARC files.
func exportFixture(t *testing.T) (db, warcDir string) {
	t.Helper()
	srv := httptest.NewServer(testsite.NewFixture(testsite.FixtureOptions{RewriteOrigin: true}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	db, warcDir = filepath.Join(dir, "a.db"), filepath.Join(dir, "warc")
	crawlWARC(t, srv.URL+"/", db, warcDir, "--warc-max-size", "300000")
	return db, warcDir
}

// noTemporaries fails when dir holds anything but want.
func noTemporaries(t *testing.T, dir string, want ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s holds %v, want %v (a stray temporary file?)", dir, got, want)
	}
}

// refused runs an export onto out and checks it fails with a one-line
// reason containing want.
func refused(t *testing.T, db, out, want string) {
	t.Helper()
	code, stdout, stderr := runCmd(t, "export", "--db", db, "--format", "warc", "--output", out)
	if code == 0 || stdout != "" {
		t.Fatalf("export onto %s: exit %d, stdout %d bytes; want a refusal", out, code, len(stdout))
	}
	if lines := strings.Count(strings.TrimSpace(stderr), "\n") + 1; lines != 1 || !strings.Contains(stderr, want) {
		t.Errorf("stderr %q: want one line naming %q", stderr, want)
	}
}

func TestExportOntoDirectoryRefused(t *testing.T) {
	db, _ := exportFixture(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "keep"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	refused(t, db, out, "is a directory")
	noTemporaries(t, parent, "out")
	noTemporaries(t, out, "keep")
}

// TestExportFailureKeepsEarlierFile: a WARC file that fails to read after
// others were written must not replace the earlier good export, in either
// capture format, and must leave no temporary file.
func TestExportFailureKeepsEarlierFile(t *testing.T) {
	db, warcDir := exportFixture(t)
	outDir := t.TempDir()
	good := map[string][]byte{}
	for _, format := range []string{"warc", "wacz"} {
		out := filepath.Join(outDir, "site."+format)
		if code, _, stderr := runCmd(t, "export", "--db", db, "--format", format, "--output", out); code != 0 {
			t.Fatalf("first export %s: exit %d: %s", format, code, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil || len(b) == 0 {
			t.Fatalf("first export %s: %d bytes, %v", format, len(b), err)
		}
		good[format] = b
	}
	// The last WARC file becomes unreadable: a directory in its place
	// passes the existence check and fails once the earlier files are
	// already written.
	files, err := filepath.Glob(filepath.Join(warcDir, "*.warc.gz"))
	if err != nil || len(files) < 2 {
		t.Fatalf("want several WARC files, got %v (%v)", files, err)
	}
	last := files[len(files)-1]
	if err := os.Rename(last, last+".moved"); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(last, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"warc", "wacz"} {
		out := filepath.Join(outDir, "site."+format)
		code, stdout, stderr := runCmd(t, "export", "--db", db, "--format", format, "--output", out)
		if code == 0 || stdout != "" {
			t.Errorf("failing export %s: exit %d; want a failure", format, code)
		}
		if strings.TrimSpace(stderr) == "" {
			t.Errorf("failing export %s: no reason given", format)
		}
		b, err := os.ReadFile(out)
		if err != nil || !bytes.Equal(b, good[format]) {
			t.Errorf("failing export %s replaced the earlier export (%d bytes, was %d; %v)", format, len(b), len(good[format]), err)
		}
	}
	noTemporaries(t, outDir, "site.wacz", "site.warc")
}

func TestExportOntoDeviceOrFIFORefused(t *testing.T) {
	db, _ := exportFixture(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	refused(t, db, fifo, "FIFO")
	want := []string{"fifo"}
	// A character device like /dev/null (made here, never the real one:
	// a regression would replace it): only root may make one.
	dev := filepath.Join(dir, "null")
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err == nil {
		refused(t, db, dev, "device")
		want = []string{"fifo", "null"}
		if fi, err := os.Lstat(dev); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
			t.Errorf("the device was replaced: %v %v", fi.Mode(), err)
		}
	} else {
		t.Logf("character device case not run (mknod: %v)", err)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", fi.Mode(), err)
	}
	noTemporaries(t, dir, want...)

	// --output - is stdout.
	code, stdout, stderr := runCmd(t, "export", "--db", db, "--format", "warc", "--output", "-")
	if code != 0 || !strings.HasPrefix(stdout, "\x1f\x8b") {
		t.Errorf("--output -: exit %d, %d bytes on stdout, %s", code, len(stdout), stderr)
	}
}

// TestExportThroughSymlink: a symlink to a directory or FIFO is refused
// like its target; a symlink to a regular file stays a symlink and its
// target receives the export.
func TestExportThroughSymlink(t *testing.T) {
	db, _ := exportFixture(t)
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	fifo := filepath.Join(dir, "fifo")
	file := filepath.Join(dir, "file.warc.gz")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"to-dir": "sub", "to-fifo": "fifo", "to-file": "file.warc.gz"} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	refused(t, db, filepath.Join(dir, "to-dir"), "is a directory")
	refused(t, db, filepath.Join(dir, "to-fifo"), "FIFO")
	code, _, stderr := runCmd(t, "export", "--db", db, "--format", "warc", "--output", filepath.Join(dir, "to-file"))
	if code != 0 {
		t.Fatalf("export through a symlink to a file: exit %d: %s", code, stderr)
	}
	if fi, err := os.Lstat(filepath.Join(dir, "to-file")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v", err)
	}
	b, err := os.ReadFile(file)
	if err != nil || !bytes.HasPrefix(b, []byte("\x1f\x8b")) {
		t.Errorf("the link's target did not receive the export: %q… %v", b[:min(len(b), 8)], err)
	}
	if fi, err := os.Stat(file); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the replaced file's 0600 kept", fi.Mode().Perm())
	}
	noTemporaries(t, dir, "fifo", "file.warc.gz", "sub", "to-dir", "to-fifo", "to-file")
}
