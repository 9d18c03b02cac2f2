package ingestion

// NeutralizeFormula makes a text cell safe to write into a CSV or
// spreadsheet export: a value starting with "=", "+", "-", "@", a tab or a
// carriage return would be run as a formula by spreadsheet programs, so
// it is prefixed with a single quote. Imports store such cells unchanged;
// exports call this on every text field.
func NeutralizeFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
