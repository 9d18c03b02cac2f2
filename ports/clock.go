package ports

import "time"

// Clock tells the time. Services read it instead of calling time.Now so that
// tests can set it.
type Clock interface {
	Now() time.Time
}

// SystemClock is the Clock of the machine, in UTC.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }
