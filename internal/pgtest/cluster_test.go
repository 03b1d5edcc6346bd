package pgtest

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestCluster starts a private cluster, crashes it with an immediate restart
// under an open connection (which breaks) and finds a committed row again;
// the cluster's directory is gone when the test ends.
func TestCluster(t *testing.T) {
	ctx := context.Background()
	var dir string
	t.Run("cluster", func(t *testing.T) {
		c := Cluster(t)
		dir = c.dir
		conn, err := pgx.Connect(ctx, c.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "CREATE TABLE x (v int); INSERT INTO x VALUES (42)"); err != nil {
			t.Fatal(err)
		}
		if err := c.Restart("immediate"); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, "SELECT 1"); err == nil {
			t.Error("a connection survived the immediate restart; the server was not restarted")
		}
		conn2, err := pgx.Connect(ctx, c.URL)
		if err != nil {
			t.Fatalf("reconnect after restart: %v\n%s", err, c.ServerLog())
		}
		defer conn2.Close(ctx)
		var v int
		if err := conn2.QueryRow(ctx, "SELECT v FROM x").Scan(&v); err != nil || v != 42 {
			t.Fatalf("after restart: v=%d err=%v, want the committed 42", v, err)
		}
	})
	if dir == "" {
		return // skipped without PostgreSQL
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("cluster directory %s left behind (stat: %v)", dir, err)
	}
}
