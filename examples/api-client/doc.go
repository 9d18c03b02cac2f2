// Command api-client imports a bank statement into a running Scale server
// through the typed Go client (adapters/httpclient) and prints the import's
// summary and the first page of the account's transactions.
//
// Start a server and get a development token:
//
//	go run ./cmd/scale serve
//	export SCALE_TOKEN=$(go run ./cmd/scale token --user alice)
//
// Then import a statement:
//
//	go run ./examples/api-client -url http://localhost:8080 statement.csv
//
// Flags: -url (default $SCALE_URL or http://localhost:8080), -token (default
// $SCALE_TOKEN), -account (default: the server's default account),
// -password (of an encrypted workbook, default $SCALE_STATEMENT_PASSWORD),
// -dry-run, -limit (rows to list, default 20).
package main
