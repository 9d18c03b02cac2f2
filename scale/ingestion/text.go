package ingestion

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanText trims s, turns every run of white space (and control
// characters) into one space and replaces invalid UTF-8. Text is otherwise
// kept as is: a cell starting with "=" stays a string (see
// NeutralizeFormula for exports).
func cleanText(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u00a0' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// clipRunes cuts s to at most n runes.
func clipRunes(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := 0; k < n; k++ {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return s[:i]
}

func joinText(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

// quoteCell quotes a cell for a rejection reason, shortened.
func quoteCell(s string) string { return strconv.Quote(clip(strings.ToValidUTF8(s, "\uFFFD"), 40)) }

// cleanReference trims a bank reference and drops placeholders ("0000",
// "-", "n/a") that banks print when a row has none.
func cleanReference(s string) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, ""))
	if strings.IndexByte(s, 0) >= 0 {
		return ""
	}
	switch strings.ToLower(s) {
	case "", "-", "n/a", "na", "none", "null":
		return ""
	}
	if strings.Trim(s, "0-. ") == "" {
		return ""
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
