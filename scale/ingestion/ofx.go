package ingestion

import (
	"bytes"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// ofxReader serves the records of a decoded OFX/QFX statement. OFX files
// are small (one statement period), so the decoder's in-memory tree is
// bounded by Limits.MaxWorkbookBytes.
type ofxReader struct {
	recs []Record
	cur  scale.Currency
	i    int
}

// openOFX decodes OFX 1.x (SGML) and 2.x (XML) bank and credit-card
// statements. FITID becomes Record.Reference; TRNAMT (an exact rational)
// becomes the amount without rounding.
func openOFX(src Source, opt Options) (Reader, error) {
	lim := opt.Limits.withDefaults()
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return nil, scale.Internal(err, CodeFileInvalid)
	}
	data, err := io.ReadAll(io.LimitReader(src, lim.MaxWorkbookBytes+1))
	if err != nil {
		return nil, scale.Internal(err, CodeFileInvalid)
	}
	if int64(len(data)) > lim.MaxWorkbookBytes {
		return nil, scale.E(scale.KindTooLarge, CodeFileTooLarge, "The OFX file is larger than %d MiB.", lim.MaxWorkbookBytes>>20)
	}
	data = bytes.TrimPrefix(data, bomUTF8)
	if !utf8.Valid(data) {
		// OFX 1.x files declare CHARSET:1252 and mean it.
		data = decodeWindows1252(data)
	}
	stmts, err := opt.Decoders.DecodeOFX(data)
	if err != nil {
		return nil, scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The OFX file could not be read.")
	}
	o := &ofxReader{}
	ordinal := 0
	for _, st := range stmts {
		c, _ := scale.ParseCurrency(st.Currency)
		if o.cur == "" {
			o.cur = c
		}
		for i := range st.Transactions {
			ordinal++
			if len(o.recs) >= lim.MaxRows {
				break
			}
			t := &st.Transactions[i]
			line := ordinal
			if t.Line > 0 {
				line = t.Line
			}
			o.recs = append(o.recs, ofxRecord(t, st.Account, c, line))
		}
		for range st.Pending {
			ordinal++
			o.recs = append(o.recs, Record{Line: ordinal, Status: RecordSkipped, Reason: "skipped: pending"})
		}
	}
	if len(o.recs) >= lim.MaxRows {
		return nil, scale.E(scale.KindTooLarge, CodeTooManyRows, "The statement has more than %d rows.", lim.MaxRows)
	}
	if len(stmts) == 0 {
		return nil, scale.Invalid(CodeNoTransactions, "The OFX file holds no bank or credit-card statement.")
	}
	return o, nil
}

// accountKey writes an account number the same way whichever way a
// download wrote it: letters and digits only, without leading zeros
// ("000123456789", "1234 5678 9" and "123-456789" are one account).
func accountKey(acct string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(acct) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return strings.TrimLeft(b.String(), "0")
}

// ofxRecord reads one transaction of the statement of account acct. Its
// reference is the account and the FITID ("123456789/20240305-1"): OFX
// makes a FITID unique within one account only, and one file may hold
// several.
func ofxRecord(t *ports.OFXTransaction, acct string, cur scale.Currency, line int) Record {
	rec := Record{Line: line, Currency: cur}
	reject := func(why string) Record {
		rec.Status, rec.Reason = RecordRejected, why
		return rec
	}
	if t.Invalid != "" {
		return reject(clipRunes(cleanText(t.Invalid), 200))
	}
	if t.Currency != "" {
		if c, err := scale.ParseCurrency(t.Currency); err == nil {
			rec.Currency = c
		}
	}
	rec.Counterparty = clipRunes(cleanText(t.Name), scale.MaxMerchantLen)
	desc := cleanText(t.Name)
	if memo := cleanText(t.Memo); memo != "" && !strings.EqualFold(memo, desc) {
		desc = joinText(desc, memo)
	}
	rec.Description = clipRunes(desc, scale.MaxDescriptionLen)
	rec.Reference = cleanReference(t.FITID)
	if a := accountKey(acct); a != "" && rec.Reference != "" && len([]rune(a))+1+len([]rune(rec.Reference)) <= scale.MaxReferenceLen {
		rec.Reference = a + "/" + rec.Reference
	}
	rec.Raw = map[string]string{"TRNTYPE": t.Type, "FITID": clip(t.FITID, 128)}
	if t.Posted.IsZero() {
		return reject("the transaction has no posting date")
	}
	rec.Date = scale.DateOf(t.Posted)
	if !rec.Date.Valid() {
		return reject("the posting date is not a valid date")
	}
	if t.Amount == nil {
		return reject("the transaction has no amount")
	}
	v, ok := exactRatToUnits(t.Amount)
	switch {
	case !ok:
		return reject("the amount has too many decimals or is out of range")
	case v == 0:
		// as in a CSV: no money moved, not a transaction either
		rec.Status, rec.Reason = RecordSkipped, "skipped: zero amount"
		return rec
	}
	rec.Amount = v
	if len([]rune(rec.Reference)) > scale.MaxReferenceLen {
		return reject("the reference is longer than " + itoa(scale.MaxReferenceLen) + " characters")
	}
	return rec
}

// Format implements Reader.
func (o *ofxReader) Format() Format { return FormatOFX }

// Currency implements Reader.
func (o *ofxReader) Currency() scale.Currency { return o.cur }

// Next implements Reader.
func (o *ofxReader) Next() (Record, error) {
	if o.i >= len(o.recs) {
		return Record{}, io.EOF
	}
	r := o.recs[o.i]
	o.recs[o.i] = Record{}
	o.i++
	return r, nil
}

// Close implements Reader.
func (o *ofxReader) Close() error { o.recs = nil; return nil }
