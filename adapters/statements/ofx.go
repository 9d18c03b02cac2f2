package statements

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aclindsa/ofxgo"

	"github.com/scalehq/scale/ports"
)

// signOnBlock is the sign-on reply OFX requires before the statements.
// Some exporters leave it out; it carries nothing a statement import reads
// (server time, language, status), so such a file is decoded with this one.
// Closed tags, so it suits OFX 1.x SGML and 2.x XML alike.
const signOnBlock = `<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>` +
	`<DTSERVER>20000101000000</DTSERVER><LANGUAGE>ENG</LANGUAGE></SONRS></SIGNONMSGSRSV1>`

// recoveryWork bounds what recoverTransactions may decode, in multiples
// of the file's size: one unreadable transaction among n costs about two
// decodes of the file, k of them about log2(2k)+2. The decoder reads OFX
// 1.x at a few hundred kB/s, so only files up to maxRecoverable are
// searched; a larger broken file fails whole.
const (
	recoveryWork   = 16
	maxRecoverable = 1 << 20
)

// unreadableFITID starts the FITID of the stand-in for a transaction the
// decoder could not read. A file that contains it is not recovered.
const unreadableFITID = "SCALE-UNREADABLE-"

// DecodeOFX implements ports.StatementDecoders. A file without the
// sign-on block the specification requires is read as if it had an empty
// one (signOnBlock). A transaction type the specification does not list
// (banks send "ZELLE", "ACH") is read as OTHER and reported as written: the
// amount's sign says what the type would. A transaction the decoder cannot
// read (a date that is not a date, an amount that is not a number) is
// returned in its place with OFXTransaction.Invalid saying why, and the
// file's other transactions are read; any other departure from the
// specification fails the whole file.
func (Decoders) DecodeOFX(data []byte) (out []ports.OFXStatement, err error) {
	defer guard(&err)
	bankSpots, cardSpots := transactionSpots(data) // lines of the file as given
	data, types := plainTypes(bytes.TrimLeft(data, " \t\r\n"))
	resp, err := decodeOFX(data)
	var unreadable map[string]string
	if err != nil {
		fixed, why := recoverTransactions(data)
		if fixed == nil {
			return nil, err
		}
		if resp, _ = decodeOFX(fixed); resp == nil {
			return nil, err
		}
		unreadable = why
	}
	convert := func(acct, cur string, list *ofxgo.TransactionList, spots []trnSpot) (ports.OFXStatement, error) {
		st := ports.OFXStatement{Account: acct, Currency: cur}
		var trns []ofxgo.Transaction
		if list != nil {
			trns = list.Transactions
		}
		if len(spots) != len(trns) {
			// The SGML decoder drops what it cannot place (a transaction
			// after one that is not closed): never import part of a
			// statement without saying so.
			return st, fmt.Errorf("a statement lists %d transactions, of which %d could be read", len(spots), len(trns))
		}
		for i := range trns {
			t := &trns[i]
			tx := ports.OFXTransaction{Line: spots[i].line}
			if why, ok := unreadable[string(t.FiTID)]; ok {
				tx.Invalid = why
				st.Transactions = append(st.Transactions, tx)
				continue
			}
			tx.FITID, tx.Type, tx.Name, tx.Memo = string(t.FiTID), t.TrnType.String(), string(t.Name), string(t.Memo)
			if typ, ok := types[spots[i].ord]; ok {
				tx.Type = typ
			}
			if tx.Name == "" && t.Payee != nil {
				tx.Name = string(t.Payee.Name)
			}
			tx.Posted, tx.Amount = t.DtPosted.Time, &t.TrnAmt.Rat
			if t.Currency != nil {
				tx.Currency = t.Currency.CurSym.String()
			}
			st.Transactions = append(st.Transactions, tx)
		}
		return st, nil
	}
	for _, m := range resp.Bank {
		if s, ok := m.(*ofxgo.StatementResponse); ok {
			st, err := convert(string(s.BankAcctFrom.AcctID), s.CurDef.String(), s.BankTranList, next(&bankSpots))
			if err != nil {
				return nil, err
			}
			if s.BankTranListP != nil {
				st.Pending = len(s.BankTranListP.Transactions)
			}
			out = append(out, st)
		}
	}
	for _, m := range resp.CreditCard {
		if s, ok := m.(*ofxgo.CCStatementResponse); ok {
			st, err := convert(string(s.CCAcctFrom.AcctID), s.CurDef.String(), s.BankTranList, next(&cardSpots))
			if err != nil {
				return nil, err
			}
			out = append(out, st)
		}
	}
	return out, nil
}

// next takes the spots of the next statement off lists (nil past the end).
func next(lists *[][]trnSpot) []trnSpot {
	if len(*lists) == 0 {
		return nil
	}
	first := (*lists)[0]
	*lists = (*lists)[1:]
	return first
}

// decodeOFX decodes data, and again with signOnBlock when it fails
// without one.
func decodeOFX(data []byte) (*ofxgo.Response, error) {
	resp, err := ofxgo.DecodeResponse(bytes.NewReader(data))
	if err == nil {
		return resp, nil
	}
	fixed := withSignOn(data)
	if fixed == nil {
		return nil, err
	}
	resp, err = ofxgo.DecodeResponse(bytes.NewReader(fixed))
	if err != nil {
		return nil, err // the block added is well formed: the fault is the file's
	}
	return resp, nil
}

// withSignOn returns data with signOnBlock after its <OFX> tag, or nil when
// data already has a sign-on block or no <OFX> tag. Tags are matched
// without regard to ASCII case, on the bytes as they are.
func withSignOn(data []byte) []byte {
	if indexFold(data, "<SIGNONMSGSRSV1>", 0) >= 0 {
		return nil
	}
	at := indexFold(data, "<OFX>", 0)
	if at < 0 {
		return nil
	}
	at += len("<OFX>")
	out := make([]byte, 0, len(data)+len(signOnBlock))
	out = append(out, data[:at]...)
	out = append(out, signOnBlock...)
	return append(out, data[at:]...)
}

// span is the byte range of one aggregate, its closing tag included.
type span struct{ start, end int }

// aggregates finds every <tag>…</tag> of data in order (tag upper-case,
// matched without regard to ASCII case). ok is false when one is not
// closed before the next opens: OFX closes every aggregate, in SGML too.
func aggregates(data []byte, tag string) (out []span, ok bool) {
	open, closing := "<"+tag+">", "</"+tag+">"
	for at := indexFold(data, open, 0); at >= 0; {
		end := indexFold(data, closing, at+len(open))
		next := indexFold(data, open, at+len(open))
		if end < 0 || next >= 0 && next < end {
			return nil, false
		}
		out = append(out, span{at, end + len(closing)})
		at = next
	}
	return out, true
}

// recoverTransactions finds the transactions (STMTTRN) of a file that
// fails to decode which fail on their own: it decodes the file's frame
// (the file without its transactions, which must decode) with halves of
// the transactions, then halves of the failing halves, down to single
// ones. It returns the file with each failing transaction replaced by a
// readable stand-in whose FITID keys the reason in why, or nil when the
// fault is not in single transactions or the search would cost more than
// recoveryWork decodes of the file.
func recoverTransactions(data []byte) (fixed []byte, why map[string]string) {
	blocks, ok := aggregates(data, "STMTTRN")
	if !ok || len(blocks) == 0 || len(data) > maxRecoverable || indexFold(data, unreadableFITID, 0) >= 0 {
		return nil, nil
	}
	frame := make([]byte, 0, len(data))
	at := make([]int, len(blocks)) // where block i belongs in frame
	prev := 0
	for i, b := range blocks {
		frame = append(frame, data[prev:b.start]...)
		at[i] = len(frame)
		prev = b.end
	}
	frame = append(frame, data[prev:]...)
	budget := recoveryWork * (len(data) + 1024)
	doc := make([]byte, 0, len(data))
	// decodes reports whether the frame decodes with blocks [lo, hi).
	decodes := func(lo, hi int) (bool, error) {
		doc = doc[:0]
		from := 0
		for i := lo; i < hi; i++ {
			doc = append(append(doc, frame[from:at[i]]...), data[blocks[i].start:blocks[i].end]...)
			from = at[i]
		}
		doc = append(doc, frame[from:]...)
		budget -= len(doc)
		_, err := decodeOFX(doc)
		return err == nil, err
	}
	if ok, _ := decodes(0, 0); !ok {
		return nil, nil
	}
	bad := make(map[int]string)
	var search func(lo, hi int) bool
	search = func(lo, hi int) bool {
		if budget < 0 {
			return false
		}
		ok, err := decodes(lo, hi)
		switch {
		case ok:
			return true
		case hi-lo == 1:
			bad[lo] = reasonFor(err, data[blocks[lo].start:blocks[lo].end])
			return true
		}
		mid := (lo + hi) / 2
		return search(lo, mid) && search(mid, hi)
	}
	if !search(0, len(blocks)) || len(bad) == 0 {
		return nil, nil
	}
	why = make(map[string]string, len(bad))
	fixed = make([]byte, 0, len(data))
	prev = 0
	for i, b := range blocks {
		reason, isBad := bad[i]
		if !isBad {
			continue
		}
		fitid := unreadableFITID + strconv.Itoa(i)
		why[fitid] = reason
		fixed = append(fixed, data[prev:b.start]...)
		fixed = append(fixed, "<STMTTRN><TRNTYPE>OTHER</TRNTYPE><DTPOSTED>19700101</DTPOSTED><TRNAMT>0</TRNAMT><FITID>"...)
		fixed = append(append(fixed, fitid...), "</FITID></STMTTRN>"...)
		prev = b.end
	}
	return append(fixed, data[prev:]...), why
}

// reasonFor says in a user's words why block could not be decoded.
func reasonFor(err error, block []byte) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "OFX: Couldn't parse date:"):
		v := strings.TrimSpace(strings.TrimPrefix(msg, "OFX: Couldn't parse date:"))
		if v == "" {
			return "the transaction has an empty date"
		}
		return "the date " + quoted(v) + " is not a valid OFX date"
	case strings.Contains(msg, "parse OFX amount"):
		return "the amount " + quoted(elementValue(block, "TRNAMT")) + " is not a number"
	}
	return "the transaction could not be read: " + clipText(msg, 120)
}

// elementValue is the text after <tag> in block, up to the next tag or
// line end.
func elementValue(block []byte, tag string) string {
	at := indexFold(block, "<"+tag+">", 0)
	if at < 0 {
		return ""
	}
	v := block[at+len(tag)+2:]
	if end := bytes.IndexAny(v, "<\r\n"); end >= 0 {
		v = v[:end]
	}
	return strings.TrimSpace(string(v))
}

// quoted quotes v for a reason, clipped and with control characters
// escaped.
func quoted(v string) string { return strconv.Quote(clipText(v, 40)) }

func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// trnSpot is where a transaction stands: the 1-based line of its
// <STMTTRN> tag and its ordinal among the file's <STMTTRN> tags.
type trnSpot struct{ line, ord int }

// transactionSpots gives the spot of each transaction, grouped by
// statement in file order: bank statements (<STMTRS>) and credit-card
// statements (<CCSTMTRS>) apart, as the decoder returns them.
// Transactions of investment statements (<INVSTMTRS>), which an import
// does not read, are left out.
func transactionSpots(data []byte) (bank, card [][]trnSpot) {
	const (
		kindBank = iota
		kindCard
		kindInvestment
	)
	type stmt struct{ start, kind int }
	var stmts []stmt
	for kind, tag := range []string{kindBank: "<STMTRS>", kindCard: "<CCSTMTRS>", kindInvestment: "<INVSTMTRS>"} {
		for _, at := range starts(data, tag) {
			stmts = append(stmts, stmt{at, kind})
		}
	}
	slices.SortFunc(stmts, func(a, b stmt) int { return a.start - b.start })
	var cur *[]trnSpot
	line, pos, k := 1, 0, 0
	for ord, at := range starts(data, "<STMTTRN>") {
		for k < len(stmts) && stmts[k].start < at {
			switch stmts[k].kind {
			case kindCard:
				card = append(card, nil)
				cur = &card[len(card)-1]
			case kindBank:
				bank = append(bank, nil)
				cur = &bank[len(bank)-1]
			default:
				cur = nil
			}
			k++
		}
		line += lineBreaks(data[pos:at])
		pos = at
		if cur != nil {
			*cur = append(*cur, trnSpot{line, ord})
		}
	}
	return bank, card
}

// ofxTypes are the transaction types the OFX specification lists.
var ofxTypes = map[string]bool{
	"CREDIT": true, "DEBIT": true, "INT": true, "DIV": true, "FEE": true, "SRVCHG": true, "DEP": true, "ATM": true,
	"POS": true, "XFER": true, "CHECK": true, "PAYMENT": true, "CASH": true, "DIRECTDEP": true, "DIRECTDEBIT": true,
	"REPEATPMT": true, "HOLD": true, "OTHER": true,
}

// plainTypes returns data with every TRNTYPE the specification does not
// list written as OTHER and every listed one in upper case (the decoder
// refuses the others), and the types
// as the file wrote them by the ordinal of their <STMTTRN>. Lines and the
// order of the transactions do not change.
func plainTypes(data []byte) ([]byte, map[int]string) {
	var out []byte
	var types map[int]string
	prev := 0
	trns := starts(data, "<STMTTRN>")
	for ord, at := range trns {
		end := len(data)
		if ord+1 < len(trns) {
			end = trns[ord+1]
		}
		tag := indexFold(data[:end], "<TRNTYPE>", at)
		if tag < 0 {
			continue
		}
		from := tag + len("<TRNTYPE>")
		to := from
		for to < end && data[to] != '<' && data[to] != '\r' && data[to] != '\n' {
			to++
		}
		v := strings.TrimSpace(string(data[from:to]))
		up := strings.ToUpper(v)
		if v == "" || v == up && ofxTypes[up] {
			continue
		}
		if out == nil {
			types, out = map[int]string{}, make([]byte, 0, len(data))
		}
		if !ofxTypes[up] {
			types[ord], up = v, "OTHER"
		}
		out = append(append(out, data[prev:from]...), up...)
		prev = to
	}
	if out == nil {
		return data, nil
	}
	return append(out, data[prev:]...), types
}

// starts lists the offsets of every tag (upper-case) in data, matched
// without regard to ASCII case.
func starts(data []byte, tag string) (out []int) {
	for at := indexFold(data, tag, 0); at >= 0; at = indexFold(data, tag, at+len(tag)) {
		out = append(out, at)
	}
	return out
}

// lineBreaks counts the line ends in b: "\n", "\r\n" and a lone "\r".
func lineBreaks(b []byte) int {
	n := 0
	for i, c := range b {
		if c == '\n' || c == '\r' && (i+1 == len(b) || b[i+1] != '\n') {
			n++
		}
	}
	return n
}

// indexFold is the offset of the first occurrence of tag (upper-case
// ASCII) in data at or after from, ignoring ASCII case, or -1.
func indexFold(data []byte, tag string, from int) int {
	for i := from; i+len(tag) <= len(data); i++ {
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
