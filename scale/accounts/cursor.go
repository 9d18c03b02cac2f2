package accounts

import (
	"encoding/base64"
	"strings"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// EncodeCursor makes an opaque, URL-safe token of a keyset position. The
// token records the sort order, so it cannot be replayed against the other.
func EncodeCursor(c ports.TransactionCursor, ascending bool) string {
	dir := "d"
	if ascending {
		dir = "a"
	}
	return base64.RawURLEncoding.EncodeToString([]byte("c1|" + dir + "|" + c.Date.String() + "|" + string(c.ID)))
}

// DecodeCursor reads a token made by EncodeCursor for the same order.
func DecodeCursor(token string, ascending bool) (ports.TransactionCursor, error) {
	bad := scale.Invalid(scale.CodeCursorInvalid, "the cursor is not valid for this listing")
	if len(token) > 200 {
		return ports.TransactionCursor{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return ports.TransactionCursor{}, bad
	}
	parts := strings.Split(string(raw), "|")
	dir := "d"
	if ascending {
		dir = "a"
	}
	if len(parts) != 4 || parts[0] != "c1" || parts[1] != dir || !scale.ValidID(parts[3]) {
		return ports.TransactionCursor{}, bad
	}
	d, err := scale.ParseDate(parts[2])
	if err != nil {
		return ports.TransactionCursor{}, bad
	}
	return ports.TransactionCursor{Date: d, ID: scale.TransactionID(parts[3])}, nil
}
