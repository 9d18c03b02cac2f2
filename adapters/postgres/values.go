package postgres

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// Conversions between scale values and what the schema stores.

// utc returns t in UTC, microsecond precision, as PostgreSQL keeps it.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Truncate(time.Microsecond).UTC()
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := utc(*t)
	return &v
}

// nullID returns nil for an empty id, so that it is stored as NULL.
func nullID[T ~string](id T) *string {
	if id == "" {
		return nil
	}
	s := string(id)
	return &s
}

// dateOf converts a scanned date column to a civil date.
func dateOf(t time.Time) scale.Date { return scale.DateOf(t) }

// pgDate converts a civil date to what pgx writes as a date.
func pgDate(d scale.Date) time.Time { return d.Time() }

func marshalJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Only maps of strings and floats and slices of plain structs are
		// marshalled here; they cannot fail except for NaN metrics.
		return []byte("null")
	}
	return b
}

// rawJSON stores a transaction's source fields as a JSON object; nil is an
// empty object. It is written directly rather than by encoding/json (whose
// reflection and key sorting cost an import more than the rest of the
// batch encoding): the keys come in map order, which jsonb normalizes.
// jsonb cannot hold U+0000, so a NUL becomes U+FFFD, as do invalid UTF-8
// bytes. Keys that needed such a replacement could collide with another
// key; then the keys are taken in sorted order and a colliding one gets
// "#2", "#3", ..., so no field is lost and the result is deterministic.
func rawJSON(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	n := 2
	for k, v := range m {
		n += len(k) + len(v) + 6
	}
	return string(appendRawJSON(make([]byte, 0, n), m))
}

// appendRawJSON appends rawJSON(m) to b.
func appendRawJSON(b []byte, m map[string]string) []byte {
	if len(m) == 0 {
		return append(b, "{}"...)
	}
	clean := true
	for k := range m {
		clean = clean && jsonbSafe(k)
	}
	b = append(b, '{')
	if clean {
		first := true
		for k, v := range m {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSONString(b, v)
		}
	} else {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		used := make(map[string]bool, len(keys))
		for i, k := range keys {
			key := jsonbText(k)
			for c := 2; used[key]; c++ {
				key = jsonbText(k) + "#" + strconv.Itoa(c)
			}
			used[key] = true
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, key)
			b = append(b, ':')
			b = appendJSONString(b, m[k])
		}
	}
	return append(b, '}')
}

// jsonbText is s as jsonb keeps it: each NUL and each invalid byte
// replaced by U+FFFD.
func jsonbText(s string) string {
	if jsonbSafe(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0 {
			r = utf8.RuneError
		}
		b.WriteRune(r)
		i += size
	}
	return b.String()
}

// jsonbSafe reports whether s reaches jsonb unchanged: valid UTF-8 without
// U+0000.
func jsonbSafe(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// appendJSONString appends s as a JSON string that jsonb accepts.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			b = append(b, s[start:i]...)
			b = append(b, "\\ufffd"...)
			i++
			start = i
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case 0:
			b = append(b, "\\ufffd"...)
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func unmarshalRaw(b []byte) map[string]string {
	var m map[string]string
	if len(b) == 0 || json.Unmarshal(b, &m) != nil || len(m) == 0 {
		return nil
	}
	return m
}

// metricsJSON stores metrics; nil is NULL.
func metricsJSON(m map[string]float64) []byte {
	if m == nil {
		return nil
	}
	return marshalJSON(m)
}

func unmarshalMetrics(b []byte) map[string]float64 {
	var m map[string]float64
	if len(b) == 0 || json.Unmarshal(b, &m) != nil {
		return nil
	}
	return m
}

func rejectionsJSON(rs []scale.Rejection) []byte {
	if rs == nil {
		return []byte("[]")
	}
	return marshalJSON(rs)
}

func unmarshalRejections(b []byte) []scale.Rejection {
	var rs []scale.Rejection
	if len(b) == 0 || json.Unmarshal(b, &rs) != nil || len(rs) == 0 {
		return nil
	}
	return rs
}

// pageSize applies the shared listing bounds: 50 by default, at most
// ports.MaxPageSize.
func pageSize(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, ports.MaxPageSize)
}

func notFound(what string) error {
	return scale.NotFound(scale.CodeNotFound, "%s not found", what)
}

// uuidBytes returns the 16 bytes of a canonical (8-4-4-4-12 hex) UUID, as
// the binary protocol sends a uuid; ok is false for anything else.
func uuidBytes(s string) (b [16]byte, ok bool) {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return b, false
	}
	var hexDigits [32]byte
	n := 0
	for i := 0; i < len(s); i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			continue
		}
		hexDigits[n] = s[i]
		n++
	}
	if _, err := hex.Decode(b[:], hexDigits[:]); err != nil {
		return b, false
	}
	return b, true
}

// A fingerprint is stored as bytea: a v1 fingerprint (64 lower-case hex
// digits, a SHA-256) as its 32 bytes, which halves the unique index every
// insert probes; any other string (tests, synthetic data) as a 0x00 byte
// and its UTF-8 bytes, with a second 0x00 when that would make 32 bytes.
// Only a v1 fingerprint is 32 bytes long, and a fingerprint never holds a
// NUL (validateBatch refuses one), so decoding is unambiguous.
func encodeFingerprint(fp string) []byte {
	if len(fp) == 64 {
		var b [32]byte
		if _, err := hex.Decode(b[:], []byte(fp)); err == nil && hex.EncodeToString(b[:]) == fp {
			return b[:]
		}
	}
	prefix := []byte{0}
	if len(fp)+1 == 32 {
		prefix = append(prefix, 0)
	}
	return append(prefix, fp...)
}

// decodeFingerprint reverses encodeFingerprint.
func decodeFingerprint(b []byte) string {
	if len(b) == 32 {
		return hex.EncodeToString(b)
	}
	return string(bytes.TrimLeft(b, "\x00"))
}
