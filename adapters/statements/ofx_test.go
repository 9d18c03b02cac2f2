package statements_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/adapters/statements"
	"github.com/scalehq/scale/ports"
)

// sgmlStatement is a pretty-printed OFX 1.x bank statement around trns,
// whose first transaction starts on line 15 (each trn takes 7 lines).
func sgmlStatement(trns ...string) string {
	return "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n" +
		"<OFX>\n<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260301<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>\n" +
		"<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>EUR\n" +
		"<BANKACCTFROM><BANKID>1<ACCTID>2<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><DTSTART>20260301<DTEND>20260331\n" +
		strings.Join(trns, "\n") +
		"\n</BANKTRANLIST><LEDGERBAL><BALAMT>100<DTASOF>20260331</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
}

func trn(fitid, posted, amount, typ string) string {
	return "<STMTTRN>\n<TRNTYPE>" + typ + "\n<DTPOSTED>" + posted + "\n<TRNAMT>" + amount + "\n<FITID>" + fitid + "\n<NAME>SHOP " + fitid + "\n</STMTTRN>"
}

func TestOFXLines(t *testing.T) {
	is := is.New(t)
	sts, err := statements.New().DecodeOFX([]byte(sgmlStatement(
		trn("A", "20260302", "-1.00", "DEBIT"), trn("B", "20260303", "-2.00", "DEBIT"))))
	is.NoErr(err)
	is.Equal(len(sts), 1)
	is.Equal(sts[0].Transactions[0].Line, 15) // the line of each <STMTTRN>
	is.Equal(sts[0].Transactions[1].Line, 22)

	// Blank lines before the header count: lines are the file's.
	sts, err = statements.New().DecodeOFX([]byte("\r\n\n  " + sgmlStatement(trn("A", "20260302", "-1.00", "DEBIT"))))
	is.NoErr(err)
	is.Equal(sts[0].Transactions[0].Line, 17)

	// Two statements, a credit card's before a bank's: each transaction
	// keeps its own line, in the decoder's order (bank first).
	card := "<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>2<STATUS><CODE>0<SEVERITY>INFO</STATUS><CCSTMTRS><CURDEF>USD\n" +
		"<CCACCTFROM><ACCTID>9</CCACCTFROM><BANKTRANLIST><DTSTART>20260301<DTEND>20260331\n" +
		trn("C", "20260304", "-3.00", "DEBIT") +
		"\n</BANKTRANLIST><LEDGERBAL><BALAMT>1<DTASOF>20260331</LEDGERBAL></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1>\n"
	doc := sgmlStatement(trn("A", "20260302", "-1.00", "DEBIT"))
	at := strings.Index(doc, "<BANKMSGSRSV1>")
	doc = doc[:at] + card + doc[at:]
	sts, err = statements.New().DecodeOFX([]byte(doc))
	is.NoErr(err)
	is.Equal(len(sts), 2)
	is.Equal(sts[0].Transactions[0].FITID, "A")
	is.Equal(sts[0].Transactions[0].Line, 25)
	is.Equal(sts[1].Transactions[0].FITID, "C")
	is.Equal(sts[1].Transactions[0].Line, 15)
}

func TestOFXUnreadableTransactions(t *testing.T) {
	tests := []struct {
		name, bad, reason string
	}{
		{"date out of range", trn("B", "20261345", "-2.00", "DEBIT"), `the date "20261345" is not a valid OFX date`},
		{"date with dashes", trn("B", "2026-03-03", "-2.00", "DEBIT"), `the date "2026-03-03" is not a valid OFX date`},
		{"empty date", trn("B", "", "-2.00", "DEBIT"), "the transaction has an empty date"},
		{"amount", trn("B", "20260303", "-2,00x", "DEBIT"), `the amount "-2,00x" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			sts, err := statements.New().DecodeOFX([]byte(sgmlStatement(
				trn("A", "20260302", "-1.00", "DEBIT"), tt.bad, trn("C", "20260304", "-3.00", "CREDIT"))))
			is.NoErr(err)
			is.Equal(len(sts), 1)
			txs := sts[0].Transactions
			is.Equal(len(txs), 3) // the unreadable one keeps its place
			is.Equal(txs[0].FITID, "A")
			is.Equal(txs[0].Invalid, "")
			is.Equal(txs[1], ports.OFXTransaction{Line: 22, Invalid: tt.reason})
			is.Equal(txs[2].FITID, "C")
			is.Equal(txs[2].Amount.RatString(), "-3")
			is.Equal(txs[2].Line, 29)
		})
	}

	t.Run("types the specification does not list", func(t *testing.T) {
		is := is.New(t)
		sts, err := statements.New().DecodeOFX([]byte(sgmlStatement(
			trn("A", "20260302", "-1.00", "ZELLE"), trn("B", "20260303", "2.00", "credit"), trn("C", "20260304", "-3.00", "POS"))))
		is.NoErr(err)
		txs := sts[0].Transactions
		is.Equal(len(txs), 3)
		is.Equal(txs[0].Type, "ZELLE") // as the bank wrote it
		is.Equal(txs[0].Amount.RatString(), "-1")
		is.Equal(txs[0].Line, 15)
		is.Equal(txs[1].Type, "CREDIT")
		is.Equal(txs[2].Type, "POS")
	})

	t.Run("several among many", func(t *testing.T) {
		is := is.New(t)
		var trns []string
		for i := range 64 {
			posted := "20260302"
			if i%13 == 5 {
				posted = "20260332"
			}
			trns = append(trns, trn(strconv.Itoa(i), posted, "-1.00", "DEBIT"))
		}
		sts, err := statements.New().DecodeOFX([]byte(sgmlStatement(trns...)))
		is.NoErr(err)
		txs := sts[0].Transactions
		is.Equal(len(txs), 64)
		for i, tx := range txs {
			is.Equal(tx.Line, 15+7*i)
			is.Equal(tx.Invalid != "", i%13 == 5) // exactly the unreadable ones
			is.Equal(tx.FITID == strconv.Itoa(i), i%13 != 5)
		}
	})

	t.Run("XML", func(t *testing.T) {
		is := is.New(t)
		xml := `<?xml version="1.0" encoding="UTF-8"?><?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>` +
			"<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>" +
			"<CCSTMTRS><CURDEF>USD</CURDEF><CCACCTFROM><ACCTID>9</ACCTID></CCACCTFROM><BANKTRANLIST><DTSTART>20260301</DTSTART><DTEND>20260331</DTEND>\n" +
			"<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260231</DTPOSTED><TRNAMT>-9.99</TRNAMT><FITID>C1</FITID></STMTTRN>\n" +
			"<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260305</DTPOSTED><TRNAMT>-5.00</TRNAMT><FITID>C2</FITID></STMTTRN>\n" +
			"</BANKTRANLIST><LEDGERBAL><BALAMT>-9.99</BALAMT><DTASOF>20260331</DTASOF></LEDGERBAL></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>"
		sts, err := statements.New().DecodeOFX([]byte(xml))
		is.NoErr(err)
		txs := sts[0].Transactions
		is.Equal(len(txs), 2)
		is.Equal(txs[0], ports.OFXTransaction{Line: 2, Invalid: `the date "20260231" is not a valid OFX date`})
		is.Equal(txs[1].FITID, "C2")
		is.Equal(txs[1].Line, 3)
	})

	t.Run("faults outside transactions fail the file", func(t *testing.T) {
		good := trn("A", "20260302", "-1.00", "DEBIT")
		for i, doc := range []string{
			strings.Replace(sgmlStatement(good, trn("B", "2026", "-2.00", "DEBIT")), "<DTEND>20260331", "<DTEND>notadate", 1),
			strings.Replace(sgmlStatement(good, trn("B", "2026", "-2.00", "DEBIT")), "</STMTTRN>", "", 1), // an unclosed transaction
			// The SGML decoder silently drops B after an unclosed A.
			strings.Replace(sgmlStatement(good, trn("B", "20260303", "-2.00", "DEBIT")), "</STMTTRN>", "", 1),
			sgmlStatement(good, trn("SCALE-UNREADABLE-0", "2026", "-2.00", "DEBIT")),
		} {
			_, err := statements.New().DecodeOFX([]byte(doc))
			if err == nil {
				t.Errorf("doc %d decoded", i)
			}
		}
	})
}
