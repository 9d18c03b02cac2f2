package postgres

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/matryer/is"

	"github.com/scalehq/scale/scale"
)

func TestUUIDBytes(t *testing.T) {
	id := scale.NewID()
	b, ok := uuidBytes(id)
	if !ok {
		t.Fatalf("uuidBytes(%q) refused a canonical id", id)
	}
	const hexDigits = "0123456789abcdef"
	var back []byte
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			back = append(back, '-')
		}
		back = append(back, hexDigits[x>>4], hexDigits[x&15])
	}
	if string(back) != id {
		t.Fatalf("uuidBytes(%q) = %x", id, b)
	}
	for _, bad := range []string{"", "not-a-uuid", id[:35], id + "0", "0190b3a4x7c1e-7d2a-9f3b-2c4d5e6f7a8", "0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8g"} {
		if _, ok := uuidBytes(bad); ok {
			t.Errorf("uuidBytes(%q) accepted it", bad)
		}
	}
}

func TestBatchFormChoice(t *testing.T) {
	now := time.Now()
	acct, other := scale.AccountID(scale.NewID()), scale.AccountID(scale.NewID())
	row := func(a scale.AccountID, notes string, at time.Time) scale.Transaction {
		return scale.Transaction{ID: scale.TransactionID(scale.NewID()), User: "u", Account: a, Notes: notes,
			FingerprintVersion: "v1", CreatedAt: at, UpdatedAt: at}
	}
	all := []int{0, 1}
	cases := []struct {
		name string
		txs  []scale.Transaction
		want *batchStatement
	}{
		{"shared", []scale.Transaction{row(acct, "", now), row(acct, "", now)}, &uniformInsert},
		{"two accounts", []scale.Transaction{row(acct, "", now), row(other, "", now)}, &generalInsert},
		{"two notes", []scale.Transaction{row(acct, "a", now), row(acct, "b", now)}, &generalInsert},
		{"two times", []scale.Transaction{row(acct, "", now), row(acct, "", now.Add(time.Second))}, &generalInsert},
	}
	for _, c := range cases {
		form, params, err := encodeBatch(pgtype.NewMap(), "u", c.txs, all)
		if err != nil || form != c.want || len(params) != len(c.want.oids) {
			t.Errorf("%s: form %s with %d parameters (err %v), want %s", c.name, form.name, len(params), err, c.want.name)
		}
	}
}

func TestFingerprintEncoding(t *testing.T) {
	v1 := "e7e003c2439e24302d48d0698302b5d8263bf5a0d2e875e080dbcfd4c5108414"
	for _, fp := range []string{
		v1,
		"E7E003C2439E24302D48D0698302B5D8263BF5A0D2E875E080DBCFD4C5108414", // not canonical: kept as text
		"zz" + v1[2:], // 64 characters, not hex
		"a", "v1:user:1", "synth:0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8d",
		"0123456789012345678901234567890",  // 31 bytes: 33 stored
		"01234567890123456789012345678901", // 32 bytes: 33 stored
		"naïve café",
	} {
		b := encodeFingerprint(fp)
		if got := decodeFingerprint(b); got != fp {
			t.Errorf("decode(encode(%q)) = %q", fp, got)
		}
		if (len(b) == 32) != (fp == v1) {
			t.Errorf("encode(%q) is %d bytes: only a v1 fingerprint may be 32", fp, len(b))
		}
	}
}

// TestRawJSON checks the hand-written encoding of a transaction's source
// fields: valid JSON whose decoding gives the fields back, with what jsonb
// cannot hold (U+0000) and invalid UTF-8 replaced by U+FFFD.
func TestRawJSON(t *testing.T) {
	is := is.New(t)
	is.Equal(rawJSON(nil), "{}")
	in := map[string]string{
		"Date": "2026-03-01", "Beschreibung": "Müller \"GmbH\" \\ C:\\temp", "tabs": "a\tb\nc\rd",
		"ctl": "\x01\x1f\x7f", "emoji": "☕ 🥐", "nul": "a\x00b", "bad": "x\xffy\xc3", "": "empty key",
	}
	out := rawJSON(in)
	is.True(json.Valid([]byte(out)))
	// json.Unmarshal would hide invalid bytes and \u0000 escapes: check
	// the text jsonb receives directly.
	is.True(utf8.ValidString(out))
	is.True(!strings.Contains(out, `\u0000`) && !strings.ContainsRune(out, 0))
	var got map[string]string
	is.NoErr(json.Unmarshal([]byte(out), &got))
	is.Equal(len(got), len(in))
	for k, v := range in {
		is.Equal(got[k], jsonbText(v))
	}
	is.Equal(got["bad"], "x\uFFFDy\uFFFD")
}

// TestRawJSONKeyCollisions: keys that become equal once NUL and invalid
// bytes are replaced all keep their values, under the same names every
// time.
func TestRawJSONKeyCollisions(t *testing.T) {
	is := is.New(t)
	in := map[string]string{"a\x00": "1", "a\xff": "2", "a\uFFFD": "3", "b": "4"}
	first := rawJSON(in)
	for range 50 {
		is.Equal(rawJSON(in), first)
	}
	is.True(utf8.ValidString(first))
	var got map[string]string
	is.NoErr(json.Unmarshal([]byte(first), &got))
	is.Equal(got, map[string]string{"a\uFFFD": "1", "a\uFFFD#2": "3", "a\uFFFD#3": "2", "b": "4"})
}

// FuzzRawJSON: whatever the strings, the encoding is valid JSON that
// decodes to the same fields once NULs and invalid bytes are replaced.
func FuzzRawJSON(f *testing.F) {
	f.Add("Description", "CARD 1234 \"COFFEE\"")
	f.Add("a\x00", "\xff\xfe\t\\")
	f.Add("a\xff", "x")
	f.Fuzz(func(t *testing.T, k, v string) {
		out := rawJSON(map[string]string{k: v})
		if !json.Valid([]byte(out)) {
			t.Fatalf("invalid JSON %q", out)
		}
		var got map[string]string
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(out) || strings.Contains(out, `\u0000`) {
			t.Fatalf("%q:%q encoded as %q, which jsonb refuses", k, v, out)
		}
		if got[jsonbText(k)] != jsonbText(v) || strings.ContainsRune(out, 0) {
			t.Fatalf("%q:%q encoded as %q", k, v, out)
		}
	})
}

// TestFreshFormHasNoProbe: the fresh form is the uniform statement without
// the duplicate probe and without RETURNING, and nothing else changed.
func TestFreshFormHasNoProbe(t *testing.T) {
	is := is.New(t)
	is.True(!strings.Contains(insertFreshSQL, "ON CONFLICT") && !strings.Contains(insertFreshSQL, "RETURNING"))
	is.True(strings.HasPrefix(insertUniformSQL, insertFreshSQL))
	is.Equal(freshInsert.oids, uniformInsert.oids)
}
