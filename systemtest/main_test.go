package systemtest

import (
	"testing"

	"rcm/testenv"
)

var temporal *testenv.TemporalServer

func TestMain(m *testing.M) {
	testenv.RunWithTemporal(m, func(s *testenv.TemporalServer) { temporal = s })
}

// newWorld starts a World on the package's dev server.
func newWorld(t *testing.T, batchSize int) *World { return NewWorld(t, temporal, batchSize) }
