package ingestion

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/scalehq/scale/scale"
)

// rowSource yields the rows of a tabular file (CSV or a sheet) as cells.
// The returned slice may be reused by the next call.
type rowSource interface {
	next() (cells []string, line int, err error)
	rewind() error
	close() error
}

// table reads records from a rowSource in two passes: the first finds the
// header and infers the date order and decimal separators from the whole
// file; the second streams the records.
type table struct {
	src     rowSource
	format  Format
	lim     Limits
	m       *Mapping
	numeric bool // cells are raw spreadsheet values

	l        layout
	dataFrom int // ordinal of the first data row (0-based)
	order    DateOrder
	sorted   bool // the file's dates are monotonic (see sortedByDate)
	comma    [roleCount]bool
	cur      scale.Currency

	ord     int
	pending *Record
	done    bool
	// afterFooter is set by a footer row (a total, a legend) and cleared
	// by the next transaction: rows in between that are not transactions
	// are a summary block, neither rows nor rejections.
	afterFooter bool
	// marksCredits: the amount column writes no negative amount but marks
	// its credits ("+ £1,100.00", "100.00 CR"), so an unmarked amount is
	// money out (signStyle).
	marksCredits bool
	// width is the number of fields of the statement's dated rows when
	// all of them but a stray few agree on it (rowWidth), else 0.
	width int
	// invert: a card export that writes purchases as positive amounts
	// (positiveSpendHeaders).
	invert bool
	// byStatus: unsigned amounts signed by their status (statusSpend).
	byStatus bool
	// serialShift is added to date serials (a 1904-system workbook).
	serialShift int
	// cellMarks: some amount cell of the first pass names a currency
	// (cellCurrency), so every row's is read.
	cellMarks bool
	// rowType is the column of Swedbank Baltic's record types ("Row type":
	// 10 opening balance, 20 transaction, 82 turnover, 86 closing
	// balance, 900 interest), or -1: only its type-20 rows are rows.
	rowType int
	// dirMarksCredits: the indicator column marks only credits, so an
	// empty indicator is a debit.
	dirMarksCredits bool
	// runIn and runOut add up the money in and out of the runRows rows
	// since the last footer or subtotal (isSubtotal).
	runIn, runOut int64
	runRows       int
}

// signStyle counts how an amount column signs its values.
type signStyle struct{ negative, credit, plain int }

// observe classifies one amount cell by its first sign or digit and its
// ending, without parsing it (the first pass reads every row).
func (s *signStyle) observe(cell string) {
	t := strings.TrimSpace(cell)
	for _, r := range t {
		switch {
		case r == '+':
			s.credit++
			return
		case r == '-' || r == '(' || r == '\u2212':
			s.negative++
			return
		case r >= '0' && r <= '9':
			switch end := t[max(0, len(t)-2):]; {
			case strings.EqualFold(end, "cr"):
				s.credit++
			case strings.EqualFold(end, "dr") || strings.HasSuffix(t, "-"):
				s.negative++
			default:
				s.plain++
			}
			return
		}
	}
}

// marksCredits reports a column of unsigned amounts whose credits alone
// carry a mark (a card statement that writes spending as plain numbers):
// no amount is negative, some are marked as credits, some are not.
func (s *signStyle) marksCredits() bool { return s.negative == 0 && s.credit > 0 && s.plain > 0 }

// rowWidth returns the number of fields that the dated rows agree on, or 0
// when they do not: a statement whose rows are all as wide as each other
// but one or two has those misaligned by a stray separator (an unquoted
// comma in a description, a missing cell), and reading them by position
// would store the wrong amount. Exports that drop trailing empty fields
// vary too much for this to apply.
func rowWidth(widths map[int]int) int {
	total, mode, most := 0, 0, 0
	for w, n := range widths {
		total += n
		if n > most || n == most && w < mode {
			mode, most = w, n
		}
	}
	if others := total - most; others > max(1, total/100) || most < 2 {
		return 0
	}
	return mode
}

// footerMarkers start a footer row (see isFooter), whose date cell is not
// a date: a total or a legend, after which a summary block may follow.
var footerMarkers = []string{"statement summary", "legend", "total", "summe", "end of statement", "gesamt", "*** end",
	"transaction total", "transactions total", "grand total", "sub total", "subtotal", "summa", "yhteensä", "razem",
	"totaal", "totale", "i alt"}

// balanceMarkers start balance lines, which are not transactions and are
// ignored wherever they appear (before, between or after the rows).
var balanceMarkers = []string{"online-saldo", "opening balance", "closing balance", "opening bal", "closing bal", "balance b/f",
	"balance c/f", "balance brought forward", "balance carried forward", "brought forward", "carried forward",
	"b/f", "c/f", "available balance", "ledger balance", "saldo", "kontostand", "alter kontostand",
	"neuer kontostand", "anfangssaldo", "endsaldo", "schlusssaldo", "solde", "beginsaldo", "eindsaldo",
	"beginning balance", "ending balance", "starting balance", "previous balance", "new balance",
	"ingående saldo", "utgående saldo", "alkusaldo", "loppusaldo"}

var skipStatuses = map[string]string{
	"pending": "pending", "reverted": "reverted", "declined": "declined", "cancelled": "cancelled",
	"canceled": "cancelled", "failed": "failed", "rejected": "rejected", "void": "cancelled",
	"denied": "declined", "umsatz vorgemerkt": "pending", "vorgemerkt": "pending", "in behandeling": "pending",
	"en attente": "pending", "en cours": "pending", "authorised": "pending", "authorized": "pending",
	"hold": "pending", "geannuleerd": "cancelled", "storniert": "cancelled", "abgelehnt": "declined",
	"reserverat": "pending", "reservert": "pending", "venter": "pending", "varaus": "pending", "offen": "pending",
	"reserveret": "pending",
	"in attesa":  "pending", "pendiente": "pending", "pendente": "pending", "annulé": "cancelled",
	"annulliert": "cancelled", "annullato": "cancelled", "cancelado": "cancelled",
}

// pendingDates are what some banks write in the date column of a row not
// yet booked (comdirect "offen", Nordea "Reserverat").
var pendingDates = map[string]bool{
	"pending": true, "offen": true, "reserverat": true, "reservert": true, "venter": true, "varaus": true,
	"reserveret": true,
	"vorgemerkt": true, "en attente": true, "in attesa": true, "pendiente": true,
}

// directionSigns are the values an indicator column may hold: the words
// a column is recognized by (directionWords) and, in a column a header
// or mapping names, single letters and signs.
var directionSigns = func() map[string]int64 {
	m := map[string]int64{"d": -1, "s": -1, "-": -1, "c": 1, "h": 1, "k": 1, "+": 1}
	for w, sign := range directionWords {
		m[w] = sign
	}
	return m
}()

// newTable runs the first pass.
// commaFallback is the decimal separator assumed for an amount column
// without one unambiguous cell ("1.500" alone): a decimal comma in
// semicolon-separated files (the locales that use ";" write 1.500,00),
// a point elsewhere.
func newTable(src rowSource, format Format, numeric, commaFallback bool, opt Options) (*table, error) {
	t := &table{src: src, format: format, lim: opt.Limits.withDefaults(), m: opt.Mapping, numeric: numeric, rowType: -1}
	if s, ok := src.(interface{ serialShift() int }); ok {
		t.serialShift = s.serialShift()
	}
	var forced DateOrder
	if t.m != nil {
		if err := t.m.validate(); err != nil {
			return nil, err
		}
		forced, _ = ParseDateOrder(t.m.DateFormat)
	}
	found, afterFooter, subHeader := false, false, false
	datedLine := false      // a line before the header was found holds a date
	widths := map[int]int{} // rows with a date, by number of fields
	skip := 0
	if t.m != nil {
		skip = t.m.SkipRows
	}
	if t.m != nil && t.m.Headerless {
		t.l = newLayout()
		if err := t.m.apply(&t.l, nil); err != nil {
			return nil, err
		}
		t.dataFrom, found = skip, true
	}
	var di dateInference
	var styles [roleCount]amountStyle
	var signs signStyle
	var spend statusSpend
	var filled struct{ rows, amount, alt int } // rows with an amount in each currency's column
	var cur struct {                           // where the statement's currency was read
		column, preamble, marks scale.Currency
		dollar                  bool
	}
	var votes []columnVotes  // per column, for what no header names (conventions.go)
	var dirVotes columnVotes // the indicator column a header names
	rows := 0
	for ord := 0; ; ord++ {
		cells, _, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if ord < skip {
			continue
		}
		fields := len(cells)
		if len(cells) > t.lim.MaxColumns {
			// As the second pass reads rows: a header beyond the limit is
			// not found, rather than found and then cut off every row.
			cells = cells[:t.lim.MaxColumns]
		}
		if !found {
			if ord-skip >= t.lim.HeaderScanRows {
				break
			}
			if !datedLine {
				for _, c := range cells {
					if _, ok := classifyDate(strings.TrimSpace(c)); ok {
						datedLine = true
						break
					}
				}
			}
			if cur.preamble == "" {
				cur.preamble = preambleCurrency(cells)
			}
			l, ok := matchHeader(cells)
			if t.m != nil {
				ok = t.m.apply(&l, cells) == nil
			}
			if ok {
				t.l, t.dataFrom, found = l, ord+1, true
				subHeader = t.m == nil
				if t.m == nil {
					votes = make([]columnVotes, len(cells))
				}
			}
			continue
		}
		if blank(cells) {
			continue
		}
		if subHeader {
			subHeader = false
			if mergeSubHeader(&t.l, cells) {
				t.dataFrom = ord + 1
				continue
			}
		}
		dateCell := t.dateCell(cells)
		if _, ok := classifyDate(dateCell); !ok {
			if t.isFooter(cells) {
				afterFooter = true
				continue
			}
			if afterFooter {
				continue // the summary block under a footer
			}
		} else {
			afterFooter = false
			widths[fields]++
		}
		rows++
		if rows > t.lim.MaxRows {
			return nil, scale.E(scale.KindTooLarge, CodeTooManyRows, "The statement has more than %d rows.", t.lim.MaxRows)
		}
		di.observe(dateCell)
		if t.l.altAmount >= 0 {
			filled.rows++
			if strings.TrimSpace(t.cell(cells, roleAmount)) != "" {
				filled.amount++
			}
			if t.l.altAmount < len(cells) && strings.TrimSpace(cells[t.l.altAmount]) != "" {
				filled.alt++
			}
		}
		if t.l.cols[roleDirection] < 0 {
			signs.observe(t.cell(cells, roleAmount))
		}
		for i := range min(len(votes), len(cells)) {
			if votes[i].other == 0 && i != t.l.cols[roleAmount] && i != t.l.cols[roleDate] && i != t.l.cols[roleDebit] &&
				i != t.l.cols[roleCredit] && i != t.l.cols[roleCurrency] && i != t.l.cols[roleDirection] {
				votes[i].observe(cells[i])
			}
		}
		if t.l.cols[roleStatus] >= 0 {
			spend.observe(t.cell(cells, roleStatus))
		}
		if t.l.cols[roleDirection] >= 0 {
			dirVotes.observe(t.cell(cells, roleDirection))
		}
		for _, r := range []role{roleAmount, roleDebit, roleCredit, roleFee} {
			if c := t.cell(cells, r); c != "" {
				if !t.numeric {
					styles[r].observe(c)
				} else if _, ok := parseNumericCell(c); !ok {
					styles[r].observe(c)
				}
			}
		}
		if cur.column == "" {
			if c, err := parseCurrencyCell(t.cell(cells, roleCurrency)); err == nil {
				cur.column = c
			}
		}
		if !t.cellMarks {
			if c := t.cellCurrency(cells); c != "" {
				t.cellMarks = true
				cur.marks = c
			}
		}
		if !cur.dollar {
			cur.dollar = dollarMark(t.cell(cells, roleAmount)) || dollarMark(t.cell(cells, roleDebit)) || dollarMark(t.cell(cells, roleCredit))
		}
	}
	if !found && !datedLine {
		return nil, scale.Invalid(CodeHeaderNotFound,
			"The file does not look like a bank statement: none of its first %d lines holds a date.", t.lim.HeaderScanRows)
	}
	if !found {
		return nil, scale.Invalid(CodeHeaderNotFound,
			"No header row with a date and an amount column was found in the first %d rows; choose a profile or a column mapping.", t.lim.HeaderScanRows)
	}
	if t.l.altAmount >= 0 && filled.rows > 0 {
		// Two amount columns in two currencies: one filled on every row
		// is the account's (a card billed in USD with the EUR original
		// beside it); the other is then only information.
		switch {
		case filled.amount == filled.rows:
			t.l.altAmount = -1
		case filled.alt == filled.rows:
			t.l.cols[roleAmount], t.l.headerCur = t.l.altAmount, t.l.altCur
			t.l.altAmount = -1
		}
	}
	// The statement's currency, most specific first: the amount column's
	// header, a currency column, the preamble ("Moneda: … (COP)"), marks
	// in the amount cells, a bare "$" (USD when nothing else says).
	for _, c := range []scale.Currency{t.l.headerCur, cur.column, cur.preamble, cur.marks} {
		if c != "" {
			t.cur = c
			break
		}
	}
	if t.cur == "" && t.m != nil && t.m.DefaultCurrency != "" {
		t.cur = t.m.DefaultCurrency
	}
	if t.cur == "" && cur.dollar {
		t.cur = "USD"
	}
	if forced != DateOrderUnknown {
		t.order = forced
	} else {
		o, err := di.order()
		if err != nil {
			return nil, err
		}
		t.order = o
	}
	t.sorted = di.sorted(t.order)
	t.marksCredits = signs.marksCredits()
	if t.m == nil {
		t.invert = positiveSpendHeaders(t.l.names)
		t.byStatus = !t.invert && spend.applies(t.l.names, signs)
		if !t.invert && !t.byStatus && signs.negative == 0 && !t.marksCredits && t.l.cols[roleAmount] >= 0 &&
			t.l.cols[roleDirection] < 0 {
			// an unsigned amount column with a debit/credit indicator
			// named by no header synonym
			if i := directionColumn(votes, t.l.names, t.l.cols[roleAmount]); i >= 0 {
				t.l.cols[roleDirection], dirVotes = i, votes[i]
			}
		}
		if t.l.cols[roleCurrency] < 0 {
			if i := currencyColumn(votes, t.l.names); i >= 0 {
				t.l.cols[roleCurrency] = i
				if t.l.headerCur == "" {
					t.cur = votes[i].firstCode
				}
			}
		}
	}
	t.dirMarksCredits = dirVotes.marksCreditsOnly()
	for i, n := range t.l.names {
		h, _ := normalizeHeader(n)
		if (h == "row type" || h == "reatüüp" || h == "rindas tips" || h == "eilutės tipas" || h == "") &&
			i < len(votes) && votes[i].recordTypes() {
			t.rowType = i // Lithuanian exports leave the column unnamed
		}
	}
	if format == FormatCSV {
		// A spreadsheet row ends at its last filled cell, so only a
		// delimited file's rows have a width of their own.
		t.width = rowWidth(widths)
	}
	for r := range styles {
		t.comma[r] = styles[r].decimalComma(commaFallback)
		if comma, ok := styles[r].groupingOnly(t.cur); ok {
			t.comma[r] = comma
		}
		if t.m != nil && t.m.DecimalComma != nil {
			t.comma[r] = *t.m.DecimalComma
		}
	}
	if err := src.rewind(); err != nil {
		return nil, err
	}
	return t, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func (t *table) cell(cells []string, r role) string {
	i := t.l.cols[r]
	if i < 0 || i >= len(cells) {
		return ""
	}
	return cells[i]
}

// isFooter reports a summary row ("Total", "Summe", a legend): a footer
// marker starting the row's first cell or its date cell, or starting its
// first non-empty cell when that cell holds no digit — "Total March" is a
// subtotal, "TOTAL ENERGIES 123" in the description column is a payee.
func (t *table) isFooter(cells []string) bool {
	if len(cells) > 0 && footerText(cells[0]) || footerText(t.cell(cells, roleDate)) {
		return true
	}
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			return footerText(c) && strings.IndexFunc(c, unicode.IsDigit) < 0
		}
	}
	return false
}

// footerText reports a cell that starts with a footer marker and, when it
// speaks of a total, says nothing else (saysTotal): "Total March",
// "Grand total", but not a payee "TOTAL GAS & POWER".
func footerText(c string) bool {
	if !hasMarker(c, footerMarkers) {
		return false
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(c), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if totalWords[w] {
			return saysTotal([]string{c})
		}
	}
	return true
}

// firstCellHas reports whether the first non-empty cell starts with one of
// the markers (case-insensitive).
func firstCellHas(cells []string, markers []string) bool {
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			return hasMarker(c, markers)
		}
	}
	return false
}

func hasMarker(s string, markers []string) bool {
	s = strings.ToLower(strings.TrimLeft(strings.TrimSpace(s), "#* "))
	for _, m := range markers {
		if strings.HasPrefix(s, m) {
			return true
		}
	}
	return false
}

// Format implements Reader.
func (t *table) Format() Format { return t.format }

// Currency implements Reader.
func (t *table) Currency() scale.Currency { return t.cur }

// Close implements Reader.
func (t *table) Close() error { return t.src.close() }

// sortedByDate reports that the first pass saw every date in order
// (ascending or descending): rows of one day are then contiguous, which
// lets the importer forget the occurrence counts of earlier days.
func (t *table) sortedByDate() bool { return t.sorted }

// Next implements Reader.
func (t *table) Next() (Record, error) {
	for !t.done {
		cells, line, err := t.src.next()
		if errors.Is(err, io.EOF) {
			t.done = true
			break
		}
		if err != nil {
			return Record{}, err
		}
		ord := t.ord
		t.ord++
		if ord < t.dataFrom || blank(cells) {
			continue
		}
		fields := len(cells)
		if len(cells) > t.lim.MaxColumns {
			cells = cells[:t.lim.MaxColumns]
		}
		rec, kind := t.build(cells, line)
		if kind == rowRecord && rec.Status == RecordOK && t.width > 0 && fields != t.width &&
			!(fields > t.width && blank(cells[min(t.width, len(cells)):])) {
			rec.Status, rec.Reason = RecordRejected, fmt.Sprintf(
				"the row has %d fields where the statement's rows have %d (a separator inside an unquoted field?)", fields, t.width)
		}
		if t.afterFooter && (kind == rowContinuation || kind == rowRecord && rec.Status != RecordOK) {
			// A summary block follows a footer: only real transactions
			// (a subtotal in mid-statement) go on being read.
			continue
		}
		switch kind {
		case rowFooter:
			t.afterFooter = true
			t.runIn, t.runOut, t.runRows = 0, 0, 0
		case rowContinuation:
			if t.pending != nil {
				t.pending.Description = clipRunes(joinText(t.pending.Description, rec.Description), scale.MaxDescriptionLen)
			}
		case rowRecord:
			if rec.Status == RecordOK {
				t.afterFooter = false
				t.runRows++
				if rec.Amount < 0 {
					t.runOut -= rec.Amount
				} else {
					t.runIn += rec.Amount
				}
			}
			prev := t.pending
			t.pending = &rec
			if prev != nil {
				return *prev, nil
			}
		}
	}
	if t.pending != nil {
		p := t.pending
		t.pending = nil
		return *p, nil
	}
	return Record{}, io.EOF
}

type rowKind uint8

const (
	rowJunk rowKind = iota
	rowFooter
	rowContinuation
	rowRecord
)

// build reads one data row.
func (t *table) build(cells []string, line int) (Record, rowKind) {
	rec := Record{Line: line}
	if t.rowType >= 0 && t.rowType < len(cells) && strings.TrimSpace(cells[t.rowType]) != "20" {
		return rec, rowJunk // a balance, turnover or interest record
	}
	dateCell := strings.TrimSpace(t.dateCell(cells))
	date, dateOK := ParseDate(dateCell, t.order)
	amount, amountState, amountErr := t.amount(cells)
	rec.Description = t.description(cells)
	if !dateOK {
		switch {
		case t.isFooter(cells):
			return rec, rowFooter
		case firstCellHas(cells, balanceMarkers) || hasMarker(rec.Description, balanceMarkers):
			return rec, rowJunk
		case pendingDates[normalizeStatus(dateCell)]:
			// "Pending" where the date goes: skipped below, and counted
		case amountState == amountPresent && dateCell == "" && t.isSubtotal(cells, amount):
			return rec, rowFooter
		case amountState == amountPresent:
			// a row with an amount but no readable date: rejected below
		case amountState == amountBad && strings.IndexFunc(dateCell, unicode.IsDigit) >= 0:
			// digits in both the date and the amount cell, neither readable:
			// a row this parser failed, not a line of text
		case dateCell == "" && amountState == amountEmpty && rec.Description != "" && t.l.cols[roleDate] != t.l.descCols0():
			return rec, rowContinuation
		default:
			return rec, rowJunk
		}
	} else if (amountState == amountEmpty || amountState == amountPresent && amount == 0) &&
		(hasMarker(rec.Description, balanceMarkers) || hasMarker(t.cell(cells, roleCounterparty), balanceMarkers)) {
		// "01/04/2023, Opening Balance, , , 10,000.00"; Starling's dated
		// "Opening Balance" row with a zero amount
		return rec, rowJunk
	} else if t.balanceLine(cells) {
		// a dated balance line whose balance sits in the amount column
		// (Intesa "31/03/2024;31/03/2024;;1.095,80;Saldo finale")
		return rec, rowJunk
	}
	rec.Raw = t.raw(cells)
	reject := func(reason string) (Record, rowKind) {
		rec.Status, rec.Reason = RecordRejected, reason
		return rec, rowRecord
	}
	status := strings.ToLower(strings.Join(strings.Fields(t.cell(cells, roleStatus)), " "))
	if why, ok := skipStatuses[status]; ok {
		rec.Status, rec.Reason = RecordSkipped, "skipped: "+why
		return rec, rowRecord
	}
	if !dateOK && pendingDates[normalizeStatus(dateCell)] {
		rec.Status, rec.Reason = RecordSkipped, "skipped: pending"
		return rec, rowRecord
	}
	for _, c := range cells {
		if strings.IndexByte(c, 0) >= 0 {
			return reject("the row contains a NUL byte")
		}
	}
	if !dateOK {
		return reject("the date " + quoteCell(dateCell) + " is not a valid date")
	}
	rec.Date = date
	switch {
	case amountErr != "":
		return reject(amountErr)
	case amountState == amountEmpty:
		return reject("the row has no amount")
	case amount == 0:
		// No money moved (card checks, DKB "Abschluss" lines): not an
		// error the user must fix, not a transaction either.
		rec.Status, rec.Reason = RecordSkipped, "skipped: zero amount"
		return rec, rowRecord
	}
	rec.Amount = amount
	rec.Currency = t.cur
	if t.altAmountCell(cells) != "" {
		rec.Currency = t.l.altCur
	}
	if t.cellMarks {
		if c := t.cellCurrency(cells); c != "" {
			rec.Currency = c
		}
	}
	if c := strings.TrimSpace(t.cell(cells, roleCurrency)); c != "" {
		cur, err := parseCurrencyCell(c)
		if err != nil {
			return reject("the currency " + quoteCell(c) + " is not a supported ISO 4217 code")
		}
		rec.Currency = cur
	}
	rec.Counterparty = clipRunes(cleanText(t.cell(cells, roleCounterparty)), scale.MaxMerchantLen)
	if rec.Description == "" {
		rec.Description = rec.Counterparty
	}
	rec.Reference = cleanReference(t.cell(cells, roleReference))
	if len([]rune(rec.Reference)) > scale.MaxReferenceLen {
		return reject("the reference is longer than " + itoa(scale.MaxReferenceLen) + " characters")
	}
	rec.Category = clipRunes(cleanText(t.cell(cells, roleCategory)), 64)
	return rec, rowRecord
}

func (l *layout) descCols0() int {
	if len(l.descCols) == 0 {
		return -2
	}
	return l.descCols[0]
}

type amountState uint8

const (
	amountEmpty amountState = iota
	amountPresent
	amountBad
)

// amount reads the row's signed amount from the amount column (with an
// optional direction column) or from the debit/credit columns, less the
// fee of a fee column: the money that moved.
func (t *table) amount(cells []string) (int64, amountState, string) {
	v, state, reason := t.grossAmount(cells)
	if state != amountPresent || t.l.cols[roleFee] < 0 {
		return v, state, reason
	}
	c := t.cell(cells, roleFee)
	fee, empty, err := t.parseAmount(c, t.comma[roleFee])
	switch {
	case err != nil:
		return 0, amountBad, "the fee " + quoteCell(c) + " is not a number"
	case empty:
		return v, state, ""
	}
	if fee < 0 {
		fee = -fee
	}
	return v - fee, state, ""
}

// grossAmount is amount before any fee.
func (t *table) grossAmount(cells []string) (int64, amountState, string) {
	if t.l.cols[roleAmount] >= 0 {
		c := t.cell(cells, roleAmount)
		if alt := t.altAmountCell(cells); alt != "" {
			c = alt
		} else if t.l.altAmount >= 0 && strings.TrimSpace(c) != "" && t.l.altAmount < len(cells) && strings.TrimSpace(cells[t.l.altAmount]) != "" {
			return 0, amountBad, "the row has an amount in " + string(t.l.headerCur) + " and one in " + string(t.l.altCur) + "; which moved the account is not said"
		}
		v, empty, err := t.parseAmount(c, t.comma[roleAmount])
		switch {
		case err != nil:
			return 0, amountBad, "the amount " + quoteCell(c) + " is not a number"
		case empty:
			return 0, amountEmpty, ""
		}
		if (t.m != nil && t.m.InvertSign || t.marksCredits || t.invert) && !explicitCredit(c) {
			v = -v // money out is written positive (credit-card exports)
		}
		if t.byStatus {
			if v < 0 {
				v = -v
			}
			v *= statusSign(t.cell(cells, roleStatus))
		}
		if t.l.cols[roleDirection] >= 0 {
			d := strings.ToLower(strings.TrimSpace(t.cell(cells, roleDirection)))
			if d == "" {
				if t.dirMarksCredits && v > 0 {
					v = -v // only credits are marked
				}
				return v, amountPresent, "" // no indicator: the amount's own sign
			}
			sign, ok := directionSigns[d]
			if !ok {
				return 0, amountBad, "the debit/credit indicator " + quoteCell(d) + " is not known"
			}
			if v < 0 {
				v = -v
			}
			v *= sign
		}
		return v, amountPresent, ""
	}
	dc, cc := t.cell(cells, roleDebit), t.cell(cells, roleCredit)
	dv, de, derr := t.parseAmount(dc, t.comma[roleDebit])
	cv, ce, cerr := t.parseAmount(cc, t.comma[roleCredit])
	switch {
	case derr != nil:
		return 0, amountBad, "the debit amount " + quoteCell(dc) + " is not a number"
	case cerr != nil:
		return 0, amountBad, "the credit amount " + quoteCell(cc) + " is not a number"
	case de && ce:
		return 0, amountEmpty, ""
	}
	if dv < 0 {
		dv = -dv
	}
	if cv < 0 {
		cv = -cv
	}
	return cv - dv, amountPresent, ""
}

// balanceLine reports a dated row with an amount whose text is only a
// balance marker with a qualifier ("Saldo finale", "Closing balance";
// not a bare "SALDO", which may be a payee) in every text cell that holds
// one: the description, the counterparty, or any column no role reads.
func (t *table) balanceLine(cells []string) bool {
	seen := false
	for i, c := range cells {
		if c = strings.TrimSpace(c); c == "" || strings.IndexFunc(c, unicode.IsLetter) < 0 {
			continue
		}
		switch i {
		case t.l.cols[roleDate], t.l.cols[roleAmount], t.l.cols[roleDebit], t.l.cols[roleCredit], t.l.cols[roleCurrency],
			t.l.cols[roleStatus], t.l.cols[roleDirection]:
			continue
		}
		if !balanceLineWith(c, 2) {
			return false
		}
		seen = true
	}
	return seen
}

// hasTransaction reads ahead for a record that is a transaction (at most
// 1,000 rows) and then rewinds (restart): whether a sheet is a statement.
func (t *table) hasTransaction() bool {
	for range 1000 {
		rec, err := t.Next()
		if err != nil {
			return false
		}
		if rec.Status == RecordOK {
			return true
		}
	}
	return false
}

// restart rewinds the second pass to the file's first row.
func (t *table) restart() error {
	if err := t.src.rewind(); err != nil {
		return err
	}
	t.ord, t.pending, t.done, t.afterFooter = 0, nil, false, false
	t.runIn, t.runOut, t.runRows = 0, 0, 0
	return nil
}

// isSubtotal reports a row without a date whose amounts are the sums of
// the rows since the previous footer or subtotal ("Total January 2024",
// 10.00 in the debit and 500.00 in the credit column): a monthly total,
// not a transaction that lost its date ("TOTAL ENERGIES 123", -50.00).
// It must say so: a row that only adds up by chance ("ATM WITHDRAWAL"
// after two of half its amount) is a transaction that lost its date.
// net is the row's amount as a transaction would read it.
func (t *table) isSubtotal(cells []string, net int64) bool {
	if t.runRows == 0 || !saysTotal(cells) {
		return false
	}
	if t.l.cols[roleAmount] < 0 {
		d, _, derr := t.parseAmount(t.cell(cells, roleDebit), t.comma[roleDebit])
		c, _, cerr := t.parseAmount(t.cell(cells, roleCredit), t.comma[roleCredit])
		if derr == nil && cerr == nil && abs64(d) == t.runOut && abs64(c) == t.runIn {
			return true
		}
	}
	return net == t.runIn-t.runOut
}

// totalWords name a total in the statements' languages.
var totalWords = map[string]bool{"total": true, "totals": true, "subtotal": true, "summe": true, "gesamt": true,
	"totaal": true, "totale": true, "summa": true, "razem": true, "yhteensä": true, "suma": true, "sum": true,
	"totaux": true, "totales": true}

// subtotalFiller are the other words a subtotal's text may hold: months,
// periods, what is summed ("Total January 2024", "TOTAUX FEVRIER",
// "Sub-Total"). "TOTAL GAS & POWER" is a payee.
var subtotalFiller = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`sub grand for of the in and month monthly period statement debits credits debit credit
		amount amounts transactions transaction de du des la le für im monat van di del za mes mois
		january february march april may june july august september october november december
		jan feb mar apr jun jul aug sep sept oct nov dec
		januar februar märz april mai juni juli august september oktober november dezember
		janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre
		enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
		gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
		januari februari maart mei augustus
		styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień
		janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro
		mars augusti marts mai tammikuu helmikuu maaliskuu huhtikuu toukokuu kesäkuu heinäkuu elokuu syyskuu
		lokakuu marraskuu joulukuu leden únor březen duben květen červen červenec srpen září říjen prosinec
		ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık
		január február március április május június július augusztus szeptember október`) {
		m[w] = true
	}
	return m
}()

// saysTotal reports a row with a text cell that names a total and holds
// nothing else but subtotalFiller words (and numbers).
func saysTotal(cells []string) bool {
	for _, c := range cells {
		words := strings.FieldsFunc(strings.ToLower(c), func(r rune) bool { return !unicode.IsLetter(r) })
		total, other := false, false
		for _, w := range words {
			switch {
			case totalWords[w]:
				total = true
			case !subtotalFiller[w]:
				other = true
			}
		}
		if total && !other {
			return true
		}
	}
	return false
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// altAmountCell is the row's amount in the layout's second currency
// (layout.altAmount) when its amount cell is empty, else "".
func (t *table) altAmountCell(cells []string) string {
	if t.l.altAmount < 0 || t.l.altAmount >= len(cells) || strings.TrimSpace(t.cell(cells, roleAmount)) != "" {
		return ""
	}
	return strings.TrimSpace(cells[t.l.altAmount])
}

// dateCell is the row's date cell; a date serial of a 1904-system
// workbook is moved to the 1900 system every date reader expects.
func (t *table) dateCell(cells []string) string {
	c := t.cell(cells, roleDate)
	if t.serialShift == 0 {
		return c
	}
	intPart, frac, _ := strings.Cut(c, ".")
	if len(intPart) < 4 || len(intPart) > 5 || strings.IndexFunc(intPart, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return c
	}
	n, _ := strconv.Atoi(intPart)
	if frac != "" {
		return strconv.Itoa(n+t.serialShift) + "." + frac
	}
	return strconv.Itoa(n + t.serialShift)
}

// cellCurrency is the currency the row's amount cell names ("INR 129.00",
// "₹350"), or "".
func (t *table) cellCurrency(cells []string) scale.Currency {
	for _, r := range [...]role{roleAmount, roleDebit, roleCredit} {
		if c := amountCurrency(strings.TrimSpace(t.cell(cells, r))); c != "" {
			return c
		}
	}
	return ""
}

func (t *table) parseAmount(c string, comma bool) (int64, bool, error) {
	if t.numeric {
		if v, ok := parseNumericCell(c); ok {
			return v, false, nil
		}
	}
	return ParseAmount(c, comma)
}

func (t *table) description(cells []string) string {
	var parts []string
	for _, i := range t.l.descCols {
		if i < len(cells) {
			if s := cleanText(cells[i]); s != "" {
				parts = append(parts, s)
			}
		}
	}
	return clipRunes(strings.Join(parts, " "), scale.MaxDescriptionLen)
}

func (t *table) raw(cells []string) map[string]string {
	m := make(map[string]string, len(cells))
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" || strings.IndexByte(c, 0) >= 0 {
			continue
		}
		name := ""
		if i < len(t.l.names) {
			name = t.l.names[i]
		}
		if name == "" {
			name = "col" + itoa(i+1)
		}
		if _, dup := m[name]; dup {
			name += "#" + itoa(i+1)
		}
		m[clipRunes(strings.ToValidUTF8(name, "\uFFFD"), 64)] = clipRunes(strings.ToValidUTF8(c, "\uFFFD"), 512)
	}
	return m
}
