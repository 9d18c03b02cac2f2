package ingestion

import (
	"strings"
	"unicode"

	"github.com/scalehq/scale/scale"
)

// CategoryFromText maps a category column's text to a CategoryID: the text
// lower-cased and slugged ("Eating Out" → "eating-out"), so that the
// default taxonomy's names ("Food", "Transport") land on their ids and
// any other text becomes a user label. Empty text gives "".
func CategoryFromText(s string) scale.CategoryID {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 64 {
			break
		}
	}
	return scale.CategoryID(b.String())
}
