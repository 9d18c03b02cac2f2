// Package sdk is the facade an embedder uses: sdk.New wires every domain
// service of Scale over a set of ports in plain Go (no dependency-injection
// framework), and the returned *Scale exposes them.
//
//	s, err := sdk.New(sdk.Ports{
//		Store: memory.NewStore(),
//		Queue: memory.NewQueue(memory.QueueConfig{}),
//		Clock: ports.SystemClock{},
//		Model: memory.NewKeywordModel(nil),
//	}, sdk.Options{})
//
// The reference server (cmd/scale) and the HTTP adapter drive the same
// facade, so the SDK, the API and the CLI behave identically.
package sdk
