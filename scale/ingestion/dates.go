package ingestion

import (
	"strconv"
	"strings"
	"time"

	"github.com/scalehq/scale/scale"
)

// DateOrder says how an all-numeric date like 03/04/2026 is read.
type DateOrder uint8

// The date orders. DateOrderUnknown means "infer from the whole column".
const (
	DateOrderUnknown DateOrder = iota
	DateOrderDMY
	DateOrderMDY
	DateOrderYMD
)

// String returns "DMY", "MDY", "YMD" or "".
func (o DateOrder) String() string {
	switch o {
	case DateOrderDMY:
		return "DMY"
	case DateOrderMDY:
		return "MDY"
	case DateOrderYMD:
		return "YMD"
	}
	return ""
}

// ParseDateOrder reads a date format as a user writes it: "DMY", "MDY",
// "YMD", or a pattern such as "DD/MM/YYYY", "MM/DD/YY", "YYYY-MM-DD",
// "%d.%m.%Y". It returns DateOrderUnknown for an empty string and ok=false
// for anything else.
func ParseDateOrder(s string) (DateOrder, bool) {
	u := strings.ToUpper(strings.TrimSpace(s))
	if u == "" {
		return DateOrderUnknown, true
	}
	var order []byte
	for i := 0; i < len(u); i++ {
		c := u[i]
		if (c == 'D' || c == 'M' || c == 'Y') && (len(order) == 0 || order[len(order)-1] != c) {
			order = append(order, c)
		}
	}
	switch string(order) {
	case "DMY":
		return DateOrderDMY, true
	case "MDY":
		return DateOrderMDY, true
	case "YMD":
		return DateOrderYMD, true
	}
	return DateOrderUnknown, false
}

var monthNames = map[string]time.Month{}

func init() {
	names := [][]string{
		{"jan", "january", "januar", "janvier", "janv", "januari", "enero", "ene", "gennaio", "gen", "jän", "leden", "janeiro"},
		{"feb", "february", "februar", "février", "fevrier", "févr", "fevr", "februari", "febrero", "febbraio", "únor", "fevereiro", "fev"},
		{"mar", "march", "märz", "maerz", "mars", "maart", "marzo", "mrz", "mär", "mrt", "březen", "março", "marco"},
		{"apr", "april", "avril", "avr", "abril", "aprile", "duben", "abr"},
		{"may", "mai", "mei", "mayo", "maggio", "mag", "květen", "maio"},
		{"jun", "june", "juni", "juin", "junio", "giugno", "giu", "červen", "junho"},
		{"jul", "july", "juli", "juillet", "juil", "julio", "luglio", "lug", "červenec", "julho"},
		{"aug", "august", "août", "aout", "augustus", "agosto", "ago", "srpen"},
		{"sep", "sept", "september", "septembre", "septiembre", "settembre", "set", "září", "setembro"},
		{"oct", "october", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "říjen", "outubro", "out"},
		{"nov", "november", "novembre", "noviembre", "listopad", "novembro"},
		{"dec", "december", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic", "dicembre", "prosinec", "dezembro"},
	}
	for i, ns := range names {
		for _, n := range ns {
			monthNames[n] = time.Month(i + 1)
		}
	}
}

// dateShape is how one cell reads, before the column's order is known.
type dateShape struct {
	// fixed is the date when the cell is unambiguous on its own (ISO,
	// month names, dotted day-first, 8-digit, spreadsheet serial).
	fixed scale.Date
	// a, b, y are the fields of an all-numeric a/b/y date whose order the
	// column decides.
	a, b, y int
	numeric bool
}

// dateToken is a run of digits or letters.
type dateToken struct {
	s      string
	digits bool
	sep    byte // separator that follows the token (0 at the end)
}

// tokenizeDate splits the leading date part of s into at most 3 tokens.
func tokenizeDate(s string, buf *[3]dateToken) []dateToken {
	ts := buf[:0]
	i := 0
	for i < len(s) && len(ts) < 3 {
		j := i
		digits := s[i] >= '0' && s[i] <= '9'
		for j < len(s) {
			c := s[j]
			isD := c >= '0' && c <= '9'
			isL := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
			if digits && !isD || !digits && !isL {
				break
			}
			j++
		}
		if j == i {
			return nil
		}
		t := dateToken{s: s[i:j], digits: digits}
		// separators between fields: one of - / . space, optional comma
		k := j
		for k < len(s) && (s[k] == ' ' || s[k] == ',') && k-j < 3 {
			k++
		}
		if k == j && j < len(s) && (s[j] == '-' || s[j] == '/' || s[j] == '.') {
			t.sep = s[j]
			k = j + 1
			for k < len(s) && s[k] == ' ' && k-j < 3 {
				k++ // "5. März 2024", "2 avr. 2024"
			}
		} else if k > j {
			t.sep = ' '
		}
		ts = append(ts, t)
		i = k
		if t.sep == 0 {
			break
		}
	}
	return ts
}

// classifyDate reads one cell. ok is false when it cannot be a date.
func classifyDate(cell string) (dateShape, bool) {
	s := strings.TrimLeft(strings.TrimSpace(cell), "'") // BCA writes '04/03/2024
	if s == "" || len(s) > 64 {
		return dateShape{}, false
	}
	if d, ok := serialDate(s); ok {
		return dateShape{fixed: d}, true
	}
	if strings.Contains(s, " de ") {
		s = strings.ReplaceAll(s, " de ", " ") // "5 de marzo de 2024"
	}
	var buf [3]dateToken
	ts := tokenizeDate(s, &buf)
	if len(ts) == 0 {
		return dateShape{}, false
	}
	if ts[0].digits && len(ts[0].s) == 8 {
		// YYYYMMDD (ING), optionally followed by a time
		y, _ := strconv.Atoi(ts[0].s[:4])
		m, _ := strconv.Atoi(ts[0].s[4:6])
		d, _ := strconv.Atoi(ts[0].s[6:])
		return fixed(y, m, d)
	}
	if len(ts) < 3 {
		return dateShape{}, false
	}
	t0, t1, t2 := ts[0], ts[1], ts[2]
	switch {
	case t0.digits && len(t0.s) == 4 && t2.digits && len(t2.s) <= 2:
		// Y-M-D, M may be a name
		y, _ := strconv.Atoi(t0.s)
		d, _ := strconv.Atoi(t2.s)
		m, ok := monthOf(t1)
		if !ok {
			return dateShape{}, false
		}
		return fixed(y, m, d)
	case !t0.digits && t1.digits && t2.digits && len(t1.s) <= 2:
		// Mon D, YYYY
		m, ok := monthOf(t0)
		if !ok {
			return dateShape{}, false
		}
		d, _ := strconv.Atoi(t1.s)
		return fixed(year(t2.s), m, d)
	case t0.digits && len(t0.s) <= 2 && !t1.digits && t2.digits:
		// D Mon YYYY, D-Mon-YY
		m, ok := monthOf(t1)
		if !ok {
			return dateShape{}, false
		}
		d, _ := strconv.Atoi(t0.s)
		return fixed(year(t2.s), m, d)
	case t0.digits && t1.digits && t2.digits && len(t0.s) <= 2 && len(t1.s) <= 2 && (len(t2.s) == 2 || len(t2.s) == 4):
		a, _ := strconv.Atoi(t0.s)
		b, _ := strconv.Atoi(t1.s)
		if t0.sep == '.' {
			return fixed(year(t2.s), b, a) // dotted dates are day-first everywhere
		}
		return dateShape{a: a, b: b, y: year(t2.s), numeric: true}, true
	}
	return dateShape{}, false
}

func fixed(y, m, d int) (dateShape, bool) {
	dt, err := scale.NewDate(y, time.Month(m), d)
	if err != nil {
		return dateShape{}, false
	}
	return dateShape{fixed: dt}, true
}

func monthOf(t dateToken) (int, bool) {
	if t.digits {
		m, err := strconv.Atoi(t.s)
		return m, err == nil && len(t.s) <= 2
	}
	m, ok := monthNames[strings.ToLower(strings.TrimSuffix(t.s, "."))]
	return int(m), ok
}

// year reads a 2- or 4-digit year: 00–69 are 2000–2069, 70–99 1970–1999;
// a Buddhist-era year (Thai statements: 2567) is 543 years ahead.
func year(s string) int {
	y, _ := strconv.Atoi(s)
	if y >= 2443 && y <= 2743 {
		return y - 543
	}
	if len(s) <= 2 {
		if y < 70 {
			return 2000 + y
		}
		return 1900 + y
	}
	return y
}

// serialDate reads a spreadsheet date serial (1900 date system), with an
// optional time fraction, in a plausible range (1954–2119).
func serialDate(s string) (scale.Date, bool) {
	intPart := s
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart = s[:i]
		for _, c := range s[i+1:] {
			if c < '0' || c > '9' {
				return scale.Date{}, false
			}
		}
	}
	if len(intPart) != 5 {
		return scale.Date{}, false
	}
	n, err := strconv.Atoi(intPart)
	if err != nil || n < 20000 || n > 80000 {
		return scale.Date{}, false
	}
	return scale.Date{Year: 1899, Month: time.December, Day: 30}.AddDays(n), true
}

// resolve returns the date of a shape under order.
func (s dateShape) resolve(order DateOrder) (scale.Date, bool) {
	if !s.numeric {
		return s.fixed, true
	}
	d, m := s.a, s.b
	if order == DateOrderMDY {
		d, m = s.b, s.a
	}
	dt, err := scale.NewDate(s.y, time.Month(m), d)
	return dt, err == nil
}

// ParseDate reads one cell under order (DateOrderUnknown reads only the
// cells that are unambiguous on their own).
func ParseDate(cell string, order DateOrder) (scale.Date, bool) {
	sh, ok := classifyDate(cell)
	if !ok {
		return scale.Date{}, false
	}
	if sh.numeric && order != DateOrderDMY && order != DateOrderMDY {
		if sh.a == sh.b {
			return sh.resolve(DateOrderDMY)
		}
		return scale.Date{}, false
	}
	return sh.resolve(order)
}

// dateInference gathers evidence from a whole date column.
type dateInference struct {
	numeric, fails   [2]int // per order: DMY, MDY
	nonDecr, nonIncr [2]bool
	prev, lo, hi     [2]scale.Date
	differs          bool
	started          bool
}

func (di *dateInference) observe(cell string) {
	sh, ok := classifyDate(cell)
	if !ok {
		return
	}
	if !di.started {
		di.started = true
		di.nonDecr, di.nonIncr = [2]bool{true, true}, [2]bool{true, true}
	}
	var got [2]scale.Date
	for i, o := range []DateOrder{DateOrderDMY, DateOrderMDY} {
		d, ok := sh.resolve(o)
		if sh.numeric {
			di.numeric[i]++
			if !ok {
				di.fails[i]++
				continue
			}
		}
		// Unambiguous dates (ISO, names, serials) take part in the order
		// and span evidence of both readings.
		got[i] = d
		if !di.prev[i].IsZero() {
			if d.Before(di.prev[i]) {
				di.nonDecr[i] = false
			}
			if d.After(di.prev[i]) {
				di.nonIncr[i] = false
			}
		}
		di.prev[i] = d
		if di.lo[i].IsZero() || d.Before(di.lo[i]) {
			di.lo[i] = d
		}
		if di.hi[i].IsZero() || d.After(di.hi[i]) {
			di.hi[i] = d
		}
	}
	if got[0] != got[1] {
		di.differs = true
	}
}

// sorted reports whether every date of the column, read in order, came
// in a non-decreasing or a non-increasing sequence.
func (di *dateInference) sorted(order DateOrder) bool {
	if !di.started {
		return true
	}
	i := 0
	if order == DateOrderMDY {
		i = 1
	}
	return di.nonDecr[i] || di.nonIncr[i]
}

// order decides the column's order; an error when it is truly ambiguous.
func (di *dateInference) order() (DateOrder, error) {
	if !di.started || !di.differs {
		return DateOrderDMY, nil // every numeric date reads the same both ways
	}
	dmyFails, mdyFails := di.fails[0], di.fails[1]
	switch {
	case dmyFails < mdyFails:
		return DateOrderDMY, nil
	case mdyFails < dmyFails:
		return DateOrderMDY, nil
	}
	// Both read every cell: statements are sorted by date, so the order
	// under which the column is monotonic wins.
	dmyMono := di.nonDecr[0] || di.nonIncr[0]
	mdyMono := di.nonDecr[1] || di.nonIncr[1]
	switch {
	case dmyMono && !mdyMono:
		return DateOrderDMY, nil
	case mdyMono && !dmyMono:
		return DateOrderMDY, nil
	}
	// Still tied: a statement covers a short period, so an order whose
	// dates span at least three times fewer days wins.
	dmySpan, mdySpan := di.hi[0].Sub(di.lo[0])+1, di.hi[1].Sub(di.lo[1])+1
	switch {
	case dmySpan*3 <= mdySpan:
		return DateOrderDMY, nil
	case mdySpan*3 <= dmySpan:
		return DateOrderMDY, nil
	}
	return DateOrderUnknown, scale.Invalid(CodeDateAmbiguous,
		"The dates in this file read equally well as day/month and as month/day; choose a date format (DD/MM/YYYY or MM/DD/YYYY).")
}
