//go:build unix

package devstack

import (
	"testing"
	"time"
)

func TestKillEndsAProcessThatWouldStopSlowlyAndWhatItStarted(t *testing.T) {
	// It would take its time over SIGTERM; SIGKILL leaves it none.
	p, child := startWithChild(t, "slow stopper", "trap 'sleep 30' TERM; ")
	start := time.Now()
	p.Kill()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Kill took %s", d)
	}
	select {
	case <-p.Done():
	default:
		t.Fatal("Kill returned before the process ended")
	}
	if err := p.Wait(); err != nil {
		t.Errorf("Wait after Kill: %v (a killed service is not an unexpected exit)", err)
	}
	p.Kill() // a second time, and after it ended, is harmless
	waitUntilGone(t, child)
}
