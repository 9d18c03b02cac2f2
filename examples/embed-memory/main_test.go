package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/matryer/is"
)

func TestExampleRuns(t *testing.T) {
	is := is.New(t)
	var out bytes.Buffer
	is.NoErr(run(context.Background(), &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	is.Equal(lines[0], "stored 3 transactions")
	is.Equal(len(lines), 5)
	is.Equal(lines[4], "UBER *TRIP → transport (model)")
	is.True(strings.HasPrefix(lines[1], "2026-03-03   -1250.00 EUR debit"))
	is.True(strings.HasPrefix(lines[3], "2026-03-01    3500.00 EUR credit"))
}
