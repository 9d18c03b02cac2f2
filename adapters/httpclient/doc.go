// Package httpclient is the typed Go client of the Scale HTTP API (/api/v1):
// the one client every Go consumer shares — the end-to-end tests, the
// examples and any program that talks to a Scale server.
//
// It is written by hand and contract-tested against the OpenAPI document the
// server serves (contract_test.go): every operation of the spec has exactly
// one client method, each method sends the method, path, query parameters
// and body fields the spec declares for its operationId, and every response
// type has the fields of the spec's schema with matching JSON types.
//
// # Design decisions
//
//   - The package imports only the standard library, so a consumer gets no
//     server dependencies. Requests and responses are plain structs with JSON
//     tags matching the spec rather than the types of package scale: the
//     wire contract is what a client depends on, and it stays stable when the
//     core's internal representation changes.
//   - Money is a decimal string in the currency's major unit next to its
//     ISO 4217 currency ("-12.50", "EUR"), exactly as on the wire; the client
//     never turns money into a float. Civil dates are "YYYY-MM-DD" strings
//     (FormatDate helps); instants are time.Time.
//   - Partial updates (the *Patch types) use pointer fields: nil leaves a
//     field unchanged. Go 1.26's new(expr) makes them short to write:
//     ProfilePatch{Currency: new("EUR")}.
//   - A non-2xx answer is returned as a *Problem (RFC 9457) with the stable
//     error code split out of its type URI; IsNotFound, IsUnauthorized,
//     IsConflict, IsInvalid and CodeOf inspect any error.
//   - Statement uploads stream: Import writes the multipart body through an
//     io.Pipe while the request is sent, so a file of any size is never
//     held in memory.
//   - Listings are keyset-paginated: each list method returns one page with
//     its next cursor, and the All* iterators follow the cursors to the end.
//
// # Usage
//
//	c, err := httpclient.New("https://scale.example.com", httpclient.WithToken(token))
//	if err != nil { ... }
//	acct, err := c.CreateAccount(ctx, httpclient.NewAccount{Name: "Main", Currency: "EUR"})
//	f, _ := os.Open("march.csv")
//	imp, err := c.Import(ctx, httpclient.ImportRequest{FileName: "march.csv", Body: f, AccountID: acct.ID})
//	for t, err := range c.AllTransactions(ctx, httpclient.TransactionQuery{AccountID: acct.ID}) { ... }
package httpclient
