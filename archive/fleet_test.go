package archive

import (
	"testing"

	"github.com/newsarchive/newsarchive/frontier"
	"github.com/newsarchive/newsarchive/frontier/frontiertest"
)

// TestFleetContract runs the fleet frontier contract on the SQLite archive.
func TestFleetContract(t *testing.T) {
	frontiertest.Run(t, func(t *testing.T) frontier.Fleet {
		s, _ := openTest(t)
		return s.Fleet()
	})
}
