package postgres_test

import (
	"os"
	"testing"

	"github.com/scalehq/scale/adapters/postgres/pgtest"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/ports/porttest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

func TestStoreContract(t *testing.T) {
	porttest.TestStore(t, func(t *testing.T) ports.Store { return pgtest.NewStore(t) })
}
