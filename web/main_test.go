package web

import (
	"testing"

	"rcm/testenv"
)

// temporal is the package's Temporal dev server: the cycle routes run the
// real engine against it.
var temporal *testenv.TemporalServer

func TestMain(m *testing.M) {
	testenv.RunWithTemporal(m, func(s *testenv.TemporalServer) { temporal = s })
}
