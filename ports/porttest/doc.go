// Package porttest holds the contract suites of the ports: one suite per
// port, run identically against every adapter (memory always; PostgreSQL,
// Redis and the model adapter when their test services are configured).
//
// An adapter's test calls the suite with a factory that returns a fresh,
// empty instance and registers its own cleanup:
//
//	func TestStoreContract(t *testing.T) {
//		porttest.TestStore(t, func(t *testing.T) ports.Store { return memory.NewStore() })
//	}
//
// A third-party adapter proves itself the same way. The package imports the
// standard library, scale and ports only.
package porttest
