package porttest

import (
	"testing"
	"time"

	"github.com/scalehq/scale/ports"
)

// TestClock checks a ports.Clock: it returns a non-zero UTC time that does
// not run backwards between two reads.
func TestClock(t *testing.T, c ports.Clock) {
	a := c.Now()
	b := c.Now()
	if a.IsZero() || b.Before(a) {
		t.Fatalf("clock returned %v then %v", a, b)
	}
	if a.Location() != time.UTC {
		t.Fatalf("clock location = %v, want UTC", a.Location())
	}
}
