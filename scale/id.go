package scale

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync/atomic"
	"time"
)

// Identifiers are distinct string types so that a transaction id can never be
// passed where an account id is expected.
type (
	// UserID identifies the owner of every record: the JWT subject.
	UserID string
	// AccountID identifies a bank account of a user.
	AccountID string
	// TransactionID identifies a stored transaction.
	TransactionID string
	// CategoryID identifies a category: a slug for the default taxonomy
	// ("food"), a generated id for a user's own.
	CategoryID string
	// RuleID identifies a categorization rule.
	RuleID string
	// UploadID identifies one uploaded statement file.
	UploadID string
	// JobID identifies a background job; it is also the queue task id.
	JobID string
	// ModelVersionID identifies a trained model version.
	ModelVersionID string
	// AnomalyID identifies an anomaly finding.
	AnomalyID string
)

var idSeq atomic.Uint32

// NewID returns a new UUIDv7 string: time-ordered, so ids sort by creation
// time, which keeps B-tree indexes compact and keyset pages stable.
func NewID() string { return newUUIDv7(time.Now()) }

func newUUIDv7(t time.Time) string {
	var b [16]byte
	ms := uint64(t.UnixMilli())
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	_, _ = rand.Read(b[6:])
	// 12 bits after the version: a per-process counter keeps ids made in the
	// same millisecond ordered.
	seq := uint16(idSeq.Add(1)) & 0x0fff
	binary.BigEndian.PutUint16(b[6:], 0x7000|seq)
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// ValidID reports whether s looks like an id this package makes (a UUID in
// canonical lower-case form). Adapters use it to refuse garbage cheaply.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}
