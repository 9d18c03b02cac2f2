// Package accounts owns a user's profile, bank accounts and the
// transaction ledger as the user sees it: keyset-paginated listing with
// filters, single-transaction reads, edits and deletion.
//
// Category corrections are recorded by the categorization domain; this
// package only stores the edit it is given. Cursors are opaque to callers:
// EncodeCursor and DecodeCursor turn a keyset position into a URL-safe token
// and back, refusing tokens that were tampered with or made for another
// ordering.
package accounts
