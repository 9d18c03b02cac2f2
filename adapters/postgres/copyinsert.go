package postgres

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// copyFreshSQL stores rows that are known to be new (see importTx) with
// COPY in PostgreSQL's binary format: no statement to plan, no arrays to
// decode, and the same checks, triggers and unique index as an INSERT —
// a row whose fingerprint is stored after all fails the COPY with a
// unique violation.
const copyFreshSQL = `COPY transactions (
	id, user_id, account_id, booked_on, amount, currency,
	description, merchant, notes, reference,
	category, label_source, confidence,
	fingerprint, fingerprint_version, raw_data, upload_id,
	created_at, updated_at) FROM STDIN (FORMAT binary)`

// copyColumns is the number of columns copyFreshSQL lists.
const copyColumns = 19

// pgEpoch is the zero of PostgreSQL's binary dates and timestamps.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// copyHeader opens a binary COPY stream: the signature, no flags, no
// header extension.
var copyHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// copyInsert is an input prepared for copyFreshSQL: repeats within the
// input removed (the first occurrence wins) and the rest encoded as one
// binary COPY stream. Like preparedInsert, it is built without a
// connection, so an import encodes its next rows while the previous ones
// are being stored.
type copyInsert struct {
	dupOf []bool
	data  []byte
}

// prepareCopy encodes txs for copyFreshSQL; validateBatch has checked
// them, so their ids parse.
func prepareCopy(user scale.UserID, txs []scale.Transaction) *copyInsert {
	dupOf, unique := firstOccurrences(txs)
	c := &copyInsert{dupOf: dupOf}
	size := len(copyHeader) + 2
	for _, t := range txs {
		size += 200 + len(user) + len(t.Description) + len(t.Merchant) + len(t.Notes) + len(t.Reference)
		for k, v := range t.Raw {
			size += len(k) + len(v) + 6
		}
	}
	b := make([]byte, 0, size)
	b = append(b, copyHeader...)
	for _, i := range unique {
		b = appendCopyRow(b, user, txs[i])
	}
	c.data = binary.BigEndian.AppendUint16(b, 0xffff) // the trailer: a field count of -1
	return c
}

// appendCopyRow appends t as one tuple of copyFreshSQL's columns, each
// field its length and its value in the type's binary format.
func appendCopyRow(b []byte, user scale.UserID, t scale.Transaction) []byte {
	b = binary.BigEndian.AppendUint16(b, copyColumns)
	id, _ := uuidBytes(string(t.ID))
	b = copyField(b, id[:])
	b = copyText(b, string(user))
	account, _ := uuidBytes(string(t.Account))
	b = copyField(b, account[:])
	b = binary.BigEndian.AppendUint32(b, 4)
	b = binary.BigEndian.AppendUint32(b, uint32(int32((pgDate(t.Date).Unix()-pgEpoch.Unix())/86400)))
	b = binary.BigEndian.AppendUint32(b, 8)
	b = binary.BigEndian.AppendUint64(b, uint64(t.Amount.Minor))
	b = copyText(b, string(t.Amount.Currency))
	b = copyText(b, t.Description)
	b = copyText(b, t.Merchant)
	b = copyText(b, t.Notes)
	b = copyText(b, t.Reference)
	b = copyText(b, string(t.Label.Category))
	b = copyText(b, string(t.Label.Source))
	b = binary.BigEndian.AppendUint32(b, 8)
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(t.Label.Confidence))
	b = copyField(b, encodeFingerprint(t.Fingerprint))
	b = copyText(b, t.FingerprintVersion)
	// jsonb: a version byte, then the JSON text.
	at := len(b)
	b = append(b, 0, 0, 0, 0, 1)
	b = appendRawJSON(b, t.Raw)
	binary.BigEndian.PutUint32(b[at:], uint32(len(b)-at-4))
	if t.Upload == "" {
		b = binary.BigEndian.AppendUint32(b, math.MaxUint32) // NULL
	} else {
		upload, _ := uuidBytes(string(t.Upload))
		b = copyField(b, upload[:])
	}
	b = copyTime(b, t.CreatedAt)
	return copyTime(b, t.UpdatedAt)
}

func copyField(b, v []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(v)))
	return append(b, v...)
}

func copyText(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// copyTime appends a timestamptz: microseconds since pgEpoch.
func copyTime(b []byte, t time.Time) []byte {
	b = binary.BigEndian.AppendUint32(b, 8)
	return binary.BigEndian.AppendUint64(b, uint64(utc(t).UnixMicro()-pgEpoch.UnixMicro()))
}

// exec stores the prepared rows through tx with one COPY.
func (c *copyInsert) exec(ctx context.Context, tx pgx.Tx) (ports.InsertResult, error) {
	if _, err := tx.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(c.data), copyFreshSQL); err != nil {
		return ports.InsertResult{}, err
	}
	return allNew(c.dupOf), nil
}
