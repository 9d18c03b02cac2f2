package statements_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/matryer/is"
	"github.com/xuri/excelize/v2"

	"github.com/scalehq/scale/adapters/statements"
	"github.com/scalehq/scale/ports"
)

func TestWorkbooks(t *testing.T) {
	is := is.New(t)
	f := excelize.NewFile()
	is.NoErr(f.SetSheetRow("Sheet1", "A1", &[]any{"Date", "Amount"}))
	is.NoErr(f.SetSheetRow("Sheet1", "A2", &[]any{46082, -12.5}))
	var plain, locked bytes.Buffer
	is.NoErr(f.Write(&plain))
	is.NoErr(f.Write(&locked, excelize.Options{Password: "pw"}))
	d := statements.New()

	_, err := d.DecryptWorkbook(locked.Bytes(), "wrong")
	is.True(errors.Is(err, ports.ErrWorkbookPassword))
	dec, err := d.DecryptWorkbook(locked.Bytes(), "pw")
	is.NoErr(err)

	for _, data := range [][]byte{plain.Bytes(), dec} {
		wb, err := d.OpenWorkbook(data, ports.WorkbookOptions{MaxUncompressedBytes: 1 << 26, MaxXMLBytes: 1 << 24})
		is.NoErr(err)
		is.Equal(wb.Sheets(), []string{"Sheet1"})
		rows, err := wb.Rows("Sheet1")
		is.NoErr(err)
		var got [][]string
		for rows.Next() {
			cells, err := rows.Columns()
			is.NoErr(err)
			got = append(got, cells)
		}
		is.NoErr(rows.Err())
		is.NoErr(rows.Close())
		is.NoErr(wb.Close())
		is.Equal(got, [][]string{{"Date", "Amount"}, {"46082", "-12.5"}}) // raw values, not display text
	}
	_, err = d.OpenWorkbook([]byte("PK\x03\x04 not really"), ports.WorkbookOptions{MaxUncompressedBytes: 1 << 20})
	is.True(err != nil)
}

func TestOFX(t *testing.T) {
	is := is.New(t)
	d := statements.New()
	sgml := "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n" +
		"<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260301<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>" +
		"<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>EUR" +
		"<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><DTSTART>20260301<DTEND>20260331" +
		"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260302<TRNAMT>-42.50<FITID>F1<NAME>REWE</STMTTRN>" +
		"</BANKTRANLIST><LEDGERBAL><BALAMT>100<DTASOF>20260331</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
	sts, err := d.DecodeOFX([]byte(sgml))
	is.NoErr(err)
	is.Equal(len(sts), 1)
	is.Equal(sts[0].Currency, "EUR")
	is.Equal(len(sts[0].Transactions), 1)
	tx := sts[0].Transactions[0]
	is.Equal(tx.FITID, "F1")
	is.Equal(tx.Name, "REWE")
	is.Equal(tx.Amount.RatString(), "-85/2") // exact
	for _, junk := range [][]byte{nil, []byte("<OFX>"), []byte("OFXHEADER:100\n\n<OFX><BANKMSGSRSV1>"), bytes.Repeat([]byte{0xff}, 64)} {
		_, err := d.DecodeOFX(junk)
		is.True(err != nil)
	}

	// Without the sign-on block the specification requires (some exporters
	// leave it out), in SGML and in XML: the same statement.
	start, end := strings.Index(sgml, "<SIGNONMSGSRSV1>"), strings.Index(sgml, "</SIGNONMSGSRSV1>")+len("</SIGNONMSGSRSV1>")
	bare, err := d.DecodeOFX([]byte(sgml[:start] + sgml[end:]))
	is.NoErr(err)
	is.Equal(bare, sts)
	xml := `<?xml version="1.0" encoding="UTF-8"?><?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>` +
		"<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>" +
		"<CCSTMTRS><CURDEF>USD</CURDEF><CCACCTFROM><ACCTID>9</ACCTID></CCACCTFROM><BANKTRANLIST><DTSTART>20260301</DTSTART><DTEND>20260331</DTEND>" +
		"<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260305</DTPOSTED><TRNAMT>-9.99</TRNAMT><FITID>C1</FITID><NAME>NETFLIX</NAME></STMTTRN>" +
		"</BANKTRANLIST><LEDGERBAL><BALAMT>-9.99</BALAMT><DTASOF>20260331</DTASOF></LEDGERBAL></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>"
	cc, err := d.DecodeOFX([]byte(xml))
	is.NoErr(err)
	is.Equal(len(cc), 1)
	is.Equal(cc[0].Transactions[0].FITID, "C1")
	is.Equal(cc[0].Transactions[0].Amount.RatString(), "-999/100")
	// A broken file without the block still fails (the junk above also
	// lacks it).
	_, err = d.DecodeOFX([]byte(sgml[:start] + sgml[end:len(sgml)-40]))
	is.True(err != nil)
}
