// Package memory implements every port of Scale in process memory: the
// stores, an in-process worker-pool queue, a settable clock and a keyword
// baseline model.
//
// It passes the same ports/porttest contract suites as the production
// adapters, so a service test that passes on memory means something. It is
// what `scale serve` uses on embedded defaults and what embedders use in
// their own tests. Data lives as long as the process.
package memory
