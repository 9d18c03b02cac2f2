package statements

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/aclindsa/ofxgo"
	"github.com/xuri/excelize/v2"

	"github.com/scalehq/scale/ports"
)

// Decoders implements ports.StatementDecoders. The zero value is ready.
type Decoders struct{}

var _ ports.StatementDecoders = Decoders{}

// New returns the decoders.
func New() Decoders { return Decoders{} }

// guard turns a decoder panic into an error.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("decoder failed: %v", r)
	}
}

// DecryptWorkbook implements ports.StatementDecoders.
func (Decoders) DecryptWorkbook(data []byte, password string) (plain []byte, err error) {
	defer guard(&err)
	plain, err = excelize.Decrypt(data, &excelize.Options{Password: password})
	if errors.Is(err, excelize.ErrWorkbookPassword) {
		return nil, ports.ErrWorkbookPassword
	}
	if err != nil {
		return nil, err
	}
	// A wrong key of the standard scheme decrypts to noise, not an error.
	if _, zerr := zip.NewReader(bytes.NewReader(plain), int64(len(plain))); zerr != nil {
		return nil, ports.ErrWorkbookPassword
	}
	return plain, nil
}

// OpenWorkbook implements ports.StatementDecoders.
func (Decoders) OpenWorkbook(data []byte, opt ports.WorkbookOptions) (wb ports.Workbook, err error) {
	defer guard(&err)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: opt.MaxUncompressedBytes, UnzipXMLSizeLimit: opt.MaxXMLBytes, TmpDir: opt.TempDir,
	})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		switch {
		case errors.Is(err, excelize.ErrWorkbookPassword):
			return nil, ports.ErrWorkbookPassword
		case strings.Contains(err.Error(), "unzip size limit"):
			return nil, ports.ErrWorkbookTooLarge
		}
		return nil, err
	}
	return workbook{f}, nil
}

type workbook struct{ f *excelize.File }

func (w workbook) Sheets() []string { return w.f.GetSheetList() }

func (w workbook) Rows(sheet string) (r ports.SheetRows, err error) {
	defer guard(&err)
	rows, err := w.f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	return sheetRows{rows}, nil
}

func (w workbook) Close() error { return w.f.Close() }

type sheetRows struct{ r *excelize.Rows }

func (s sheetRows) Next() (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return s.r.Next()
}

func (s sheetRows) Columns() (cells []string, err error) {
	defer guard(&err)
	return s.r.Columns(excelize.Options{RawCellValue: true})
}

func (s sheetRows) Err() error   { return s.r.Error() }
func (s sheetRows) Close() error { return s.r.Close() }

// signOnBlock is the sign-on reply OFX requires before the statements.
// Some exporters leave it out; it carries nothing a statement import reads
// (server time, language, status), so such a file is decoded with this one.
// Closed tags, so it suits OFX 1.x SGML and 2.x XML alike.
const signOnBlock = `<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>` +
	`<DTSERVER>20000101000000</DTSERVER><LANGUAGE>ENG</LANGUAGE></SONRS></SIGNONMSGSRSV1>`

// withSignOn returns data with signOnBlock after its <OFX> tag, or nil when
// data already has a sign-on block or no <OFX> tag. Tags are matched
// without regard to ASCII case, on the bytes as they are.
func withSignOn(data []byte) []byte {
	if indexFold(data, "<SIGNONMSGSRSV1>") >= 0 {
		return nil
	}
	at := indexFold(data, "<OFX>")
	if at < 0 {
		return nil
	}
	at += len("<OFX>")
	out := make([]byte, 0, len(data)+len(signOnBlock))
	out = append(out, data[:at]...)
	out = append(out, signOnBlock...)
	return append(out, data[at:]...)
}

// indexFold is the offset of the first occurrence of tag (upper-case
// ASCII) in data, ignoring ASCII case, or -1.
func indexFold(data []byte, tag string) int {
	for i := 0; i+len(tag) <= len(data); i++ {
		j := 0
		for j < len(tag) && lowerASCII(data[i+j]) == lowerASCII(tag[j]) {
			j++
		}
		if j == len(tag) {
			return i
		}
	}
	return -1
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// DecodeOFX implements ports.StatementDecoders. A file without the
// sign-on block the specification requires is read as if it had an empty
// one (signOnBlock); any other departure from the specification fails.
func (Decoders) DecodeOFX(data []byte) (out []ports.OFXStatement, err error) {
	defer guard(&err)
	resp, err := ofxgo.DecodeResponse(bytes.NewReader(data))
	if err != nil {
		fixed := withSignOn(data)
		if fixed == nil {
			return nil, err
		}
		var again error
		if resp, again = ofxgo.DecodeResponse(bytes.NewReader(fixed)); again != nil {
			return nil, err // the file's own fault, not the added block's
		}
	}
	convert := func(cur string, list *ofxgo.TransactionList) ports.OFXStatement {
		st := ports.OFXStatement{Currency: cur}
		if list == nil {
			return st
		}
		for i := range list.Transactions {
			t := &list.Transactions[i]
			name := string(t.Name)
			if name == "" && t.Payee != nil {
				name = string(t.Payee.Name)
			}
			tx := ports.OFXTransaction{FITID: string(t.FiTID), Type: t.TrnType.String(), Name: name, Memo: string(t.Memo),
				Posted: t.DtPosted.Time, Amount: &t.TrnAmt.Rat}
			if t.Currency != nil {
				tx.Currency = t.Currency.CurSym.String()
			}
			st.Transactions = append(st.Transactions, tx)
		}
		return st
	}
	for _, m := range resp.Bank {
		if s, ok := m.(*ofxgo.StatementResponse); ok {
			st := convert(s.CurDef.String(), s.BankTranList)
			if s.BankTranListP != nil {
				st.Pending = len(s.BankTranListP.Transactions)
			}
			out = append(out, st)
		}
	}
	for _, m := range resp.CreditCard {
		if s, ok := m.(*ofxgo.CCStatementResponse); ok {
			out = append(out, convert(s.CurDef.String(), s.BankTranList))
		}
	}
	return out, nil
}
