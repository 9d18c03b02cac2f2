package postgres

import (
	"testing"

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
