package postgres_test

import (
	"slices"
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/postgres"
	"github.com/scalehq/scale/adapters/postgres/pgtest"
)

func TestDiagnose(t *testing.T) {
	is := is.New(t)
	s := pgtest.NewStore(t)
	r, err := s.Diagnose(t.Context())
	is.NoErr(err)
	is.True(r.CacheHitRatio > 0 && r.CacheHitRatio <= 1)
	is.Equal(len(r.PendingMigrations), 0)
	is.True(slices.ContainsFunc(r.Tables, func(ts postgres.TableStats) bool { return ts.Name == "transactions" }))
	is.True(r.Statements.Available || r.Statements.Note != "") // either statements or why not
}
