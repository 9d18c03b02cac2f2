package ingestion

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/aclindsa/ofxgo"
	"github.com/scalehq/scale/scale"
	"golang.org/x/text/encoding/charmap"
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
	data = bytes.TrimLeft(bytes.TrimPrefix(data, bomUTF8), " \t\r\n")
	if !utf8.Valid(data) {
		// OFX 1.x files declare CHARSET:1252 and mean it.
		if dec, err := charmap.Windows1252.NewDecoder().Bytes(data); err == nil {
			data = dec
		}
	}
	resp, err := ofxgo.DecodeResponse(bytes.NewReader(data))
	if err != nil {
		return nil, scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The OFX file could not be read.")
	}
	o := &ofxReader{}
	line := 0
	add := func(cur string, list *ofxgo.TransactionList) {
		c, _ := scale.ParseCurrency(cur)
		if o.cur == "" {
			o.cur = c
		}
		if list == nil {
			return
		}
		for i := range list.Transactions {
			line++
			if len(o.recs) >= lim.MaxRows {
				return
			}
			o.recs = append(o.recs, ofxRecord(&list.Transactions[i], c, line))
		}
	}
	for _, m := range resp.Bank {
		if s, ok := m.(*ofxgo.StatementResponse); ok {
			add(s.CurDef.String(), s.BankTranList)
			if s.BankTranListP != nil {
				for range s.BankTranListP.Transactions {
					line++
					o.recs = append(o.recs, Record{Line: line, Status: RecordSkipped, Reason: "skipped: pending"})
				}
			}
		}
	}
	for _, m := range resp.CreditCard {
		if s, ok := m.(*ofxgo.CCStatementResponse); ok {
			add(s.CurDef.String(), s.BankTranList)
		}
	}
	if len(o.recs) >= lim.MaxRows {
		return nil, scale.E(scale.KindTooLarge, CodeTooManyRows, "The statement has more than %d rows.", lim.MaxRows)
	}
	if len(resp.Bank) == 0 && len(resp.CreditCard) == 0 {
		return nil, scale.Invalid(CodeNoTransactions, "The OFX file holds no bank or credit-card statement.")
	}
	return o, nil
}

func ofxRecord(t *ofxgo.Transaction, cur scale.Currency, line int) Record {
	rec := Record{Line: line, Currency: cur}
	reject := func(why string) Record {
		rec.Status, rec.Reason = RecordRejected, why
		return rec
	}
	if t.Currency != nil {
		if c, err := scale.ParseCurrency(t.Currency.CurSym.String()); err == nil {
			rec.Currency = c
		}
	}
	name := string(t.Name)
	if name == "" && t.Payee != nil {
		name = string(t.Payee.Name)
	}
	rec.Counterparty = clipRunes(cleanText(name), scale.MaxMerchantLen)
	desc := cleanText(name)
	if memo := cleanText(string(t.Memo)); memo != "" && !strings.EqualFold(memo, desc) {
		desc = joinText(desc, memo)
	}
	rec.Description = clipRunes(desc, scale.MaxDescriptionLen)
	rec.Reference = cleanReference(string(t.FiTID))
	rec.Raw = map[string]string{"TRNTYPE": t.TrnType.String(), "FITID": clip(string(t.FiTID), 128)}
	if t.DtPosted.IsZero() {
		return reject("the transaction has no posting date")
	}
	rec.Date = scale.DateOf(t.DtPosted.Time)
	if !rec.Date.Valid() {
		return reject("the posting date is not a valid date")
	}
	v, ok := exactRatToUnits(&t.TrnAmt.Rat)
	switch {
	case !ok:
		return reject("the amount has too many decimals or is out of range")
	case v == 0:
		return reject("the amount is zero")
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
