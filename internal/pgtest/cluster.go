package pgtest

import (
	"bytes"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsarchive/newsarchive/internal/citest"
)

// BinEnv names the directory of PostgreSQL's server programs (initdb,
// pg_ctl); .ci/pg.sh exports it.
const BinEnv = "NEWSARCHIVE_PG_BIN"

// PrivateCluster is a PostgreSQL server of one test's own, which the test
// may restart or crash without disturbing the tests that share the server
// NEWSARCHIVE_PG names.
type PrivateCluster struct {
	// URL is a postgres:// URL of the cluster's postgres database, as the
	// superuser postgres (trust authentication, loopback only).
	URL string

	bin, dir, opts string
	asPG           []string
}

// Cluster starts a PostgreSQL cluster for t alone: initdb in a temporary
// directory, the server on 127.0.0.1 at a free port, run as the postgres
// user when the test runs as root (initdb refuses root). The server programs
// come from $NEWSARCHIVE_PG_BIN, else the newest /usr/lib/postgresql/*/bin,
// else PATH. Without them the test is skipped, or fails under
// NEWSARCHIVE_REQUIRE_PG=1. The cluster is stopped and removed when t ends.
func Cluster(t testing.TB) *PrivateCluster {
	t.Helper()
	bin := serverBin()
	if bin == "" {
		citest.Require(t, RequireEnv, "no PostgreSQL server programs (initdb, pg_ctl): set "+BinEnv+" or install postgresql")
	}
	c := &PrivateCluster{bin: bin}
	if os.Geteuid() == 0 {
		pgUser, err := user.Lookup("postgres")
		if err != nil {
			citest.Require(t, RequireEnv, "running as root and no postgres user to run PostgreSQL as: "+err.Error())
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			citest.Require(t, RequireEnv, "running as root and no runuser to run PostgreSQL as postgres")
		}
		c.asPG = []string{runuser, "-u", "postgres", "--"}
		dir, err := os.MkdirTemp("", "newsarchive-pgcluster-")
		if err != nil {
			t.Fatalf("pgtest: %v", err)
		}
		c.dir = dir
		uid, _ := strconv.Atoi(pgUser.Uid)
		gid, _ := strconv.Atoi(pgUser.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			t.Fatalf("pgtest: %v", err)
		}
	} else {
		dir, err := os.MkdirTemp("", "newsarchive-pgcluster-")
		if err != nil {
			t.Fatalf("pgtest: %v", err)
		}
		c.dir = dir
	}
	t.Cleanup(func() {
		_, _ = c.pgctl("-m", "immediate", "-w", "-t", "30", "stop")
		if err := os.RemoveAll(c.dir); err != nil {
			t.Errorf("pgtest: remove cluster: %v", err)
		}
	})
	if out, err := c.run(filepath.Join(bin, "initdb"), "-D", c.data(), "-U", "postgres", "--auth=trust",
		"--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		t.Fatalf("pgtest: initdb: %v\n%s", err, out)
	}
	var lastErr error
	for try := 0; try < 5; try++ {
		port, err := freePort()
		if err != nil {
			t.Fatalf("pgtest: %v", err)
		}
		// As .ci/pg.sh: loopback only, the socket in the cluster's directory,
		// no fsync (the data is thrown away; an immediate restart still
		// recovers from the WAL the OS holds).
		c.opts = fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -c unix_socket_directories=%s -c max_connections=100 -c fsync=off -c full_page_writes=off",
			port, c.dir)
		out, err := c.pgctl("-l", filepath.Join(c.dir, "server.log"), "-w", "-t", "60", "-o", c.opts, "start")
		if err == nil {
			c.URL = (&url.URL{Scheme: "postgres", User: url.User("postgres"), Host: "127.0.0.1:" + strconv.Itoa(port),
				Path: "/postgres", RawQuery: "sslmode=disable"}).String()
			return c
		}
		lastErr = fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, c.ServerLog())
	}
	t.Fatalf("pgtest: %v", lastErr)
	return nil
}

// Restart restarts the server with pg_ctl's shutdown mode (smart, fast or
// immediate: immediate kills it without a checkpoint, as a crash, and the
// start recovers from the WAL). It returns when the server accepts
// connections again, on the same port.
func (c *PrivateCluster) Restart(mode string) error {
	out, err := c.pgctl("-m", mode, "-w", "-t", "60", "-o", c.opts, "-l", filepath.Join(c.dir, "server.log"), "restart")
	if err != nil {
		return fmt.Errorf("pg_ctl restart -m %s: %w\n%s", mode, err, out)
	}
	return nil
}

// Stop stops the server (immediate mode); Start starts it again.
func (c *PrivateCluster) Stop() error {
	if out, err := c.pgctl("-m", "immediate", "-w", "-t", "60", "stop"); err != nil {
		return fmt.Errorf("pg_ctl stop: %w\n%s", err, out)
	}
	return nil
}

// Start starts a stopped server on its port.
func (c *PrivateCluster) Start() error {
	if out, err := c.pgctl("-l", filepath.Join(c.dir, "server.log"), "-w", "-t", "60", "-o", c.opts, "start"); err != nil {
		return fmt.Errorf("pg_ctl start: %w\n%s", err, out)
	}
	return nil
}

// ServerLog returns the server's log so far (for a failing test's output).
func (c *PrivateCluster) ServerLog() string {
	b, err := os.ReadFile(filepath.Join(c.dir, "server.log"))
	if err != nil {
		return "(no server log: " + err.Error() + ")"
	}
	return string(b)
}

func (c *PrivateCluster) data() string { return filepath.Join(c.dir, "data") }

func (c *PrivateCluster) pgctl(args ...string) ([]byte, error) {
	return c.run(filepath.Join(c.bin, "pg_ctl"), append([]string{"-D", c.data()}, args...)...)
}

// run runs a server program as the cluster's owner.
func (c *PrivateCluster) run(prog string, args ...string) ([]byte, error) {
	argv := append(append(append([]string{}, c.asPG...), prog), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = c.dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.Bytes(), err
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		return out.Bytes(), fmt.Errorf("%s timed out", filepath.Base(prog))
	}
}

// serverBin finds the directory of initdb and pg_ctl, or "".
func serverBin() string {
	if d := os.Getenv(BinEnv); d != "" {
		if isFile(filepath.Join(d, "initdb")) {
			return d
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(a, b int) bool { return versionOf(dirs[a]) < versionOf(dirs[b]) })
	for k := len(dirs) - 1; k >= 0; k-- {
		if isFile(filepath.Join(dirs[k], "initdb")) && isFile(filepath.Join(dirs[k], "pg_ctl")) {
			return dirs[k]
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	return ""
}

// versionOf reads the major version of /usr/lib/postgresql/<v>/bin.
func versionOf(dir string) int {
	v, _ := strconv.Atoi(strings.Split(filepath.Base(filepath.Dir(dir)), ".")[0])
	return v
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago (the
// caller retries when the server cannot take it).
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
