package browsertest

import (
	"testing"

	"rcm/testenv"
)

// temporal is the package's Temporal dev server.
var temporal *testenv.TemporalServer

func TestMain(m *testing.M) {
	testenv.RunWithTemporal(m, func(s *testenv.TemporalServer) { temporal = s })
}
