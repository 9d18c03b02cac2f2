package ingestion

import (
	"strings"
	"unicode"

	"github.com/scalehq/scale/scale"
)

// role is what a column means.
type role uint8

const (
	roleNone role = iota
	roleDate
	roleDescription
	roleCounterparty
	roleAmount
	roleDebit
	roleCredit
	roleDirection
	roleCurrency
	roleReference
	roleStatus
	roleCategory
	roleFee
	roleCount
)

// synonym is a header text with the role it names and a priority (lower
// wins when several columns claim the same role). note marks a description
// column that only adds to a payee named in another column (US Bank's
// Memo next to its Name).
type synonym struct {
	role role
	prio int
	note bool
}

// headerSynonyms maps a normalized header (see normalizeHeader) to its role.
// The layouts come from ../shared/reference/statement-formats.md; comments
// name banks whose exports use the text.
var headerSynonyms = func() map[string]synonym {
	m := map[string]synonym{}
	add := func(r role, prio int, names ...string) {
		for _, n := range names {
			m[n] = synonym{role: r, prio: prio}
		}
	}
	addNote := func(prio int, names ...string) {
		for _, n := range names {
			m[n] = synonym{role: roleDescription, prio: prio, note: true}
		}
	}
	// Booking dates first, then generic dates, value dates last.
	add(roleDate, 1, "posting date", "booking date", "buchungstag", "buchungsdatum", "datum zaúčtování",
		"transaction date", "txn date", "trans date", "dateop", "date opération",
		"date operation", "date de l'opération", "date de lopération", "post date", "posted date", "boekdatum",
		"data contabile", "fecha operación", "fecha operacion", "date comptable", "completed date", "buchung",
		"date de l'opération", "transactiedatum", "booking", "datum transakce", "posting")
	add(roleDate, 2, "date", "datum", "fecha", "data", "transaction time", "created", "datum transakce")
	add(roleDate, 4, "started date", "belegdatum", "datum provedení", "time")
	// American Express: "Date" is the date its statement prints; "Date
	// Processed" only when no other date is named.
	add(roleDate, 3, "date processed")
	add(roleDate, 1, "date posted", "settlement date", "settled date", "data operazione", "data_operazione",
		"activity date", "completion time", "date and time", "tanggal", "date completed")
	add(roleDate, 6, "value date", "value dt", "valutadatum", "wertstellung", "rentedatum", "valuta",
		"dateval", "date valeur", "date de valeur", "data valuta", "fecha valor")
	// Nordic, Polish, Portuguese, Dutch, Indian booking dates; their
	// transaction and payment dates; their value dates. (Swedish "Valuta"
	// is a currency, but the German and Italian value date keeps the word.)
	add(roleDate, 1, "bokföringsdag", "bokföringsdatum", "reskontradatum", "kirjauspäivä", "bogføringsdato",
		"bokføringsdato", "data operacji", "data księgowania", "boekingsdatum", "tran date", "data lançamento",
		"data de lançamento")
	add(roleDate, 2, "dato", "datetime", "päivämäärä")
	// Spanish, Portuguese, Irish, Hungarian, Turkish, Czech, Swiss booking
	// dates; their trade and value dates.
	add(roleDate, 1, "fecha operativa", "fecha contable", "f operación", "f operacion", "data mov", "data movimento",
		"posted transactions date", "könyvelés dátuma", "tarih", "işlem tarihi", "transactiondate", "run date",
		"created on", "date (yyyy-mm-dd as utc)", "дата i час операції", "дата і час операції", "дата операції",
		"дата операции")
	add(roleDate, 4, "tranzakció dátuma", "abschlussdatum")
	add(roleDate, 6, "f valor", "data valor", "data-valor", "értéknap")
	add(roleDate, 4, "transaktionsdag", "transaktionsdatum", "maksupäivä")
	add(roleDate, 6, "valutadag", "arvopäivä", "data waluty", "valørdato", "valuteringsdato")
	// Descriptions: free text of the transaction.
	add(roleDescription, 1, "description", "verwendungszweck", "omschrijving", "omschrijving-1", "omschrijving-2",
		"omschrijving-3", "narration", "transaction remarks", "narrative", "label", "libellé", "libelle",
		"transaktionsbeschreibung", "naam / omschrijving", "naam omschrijving", "zpráva", "descripción",
		"descripcion", "concepto", "descrizione", "particulars", "transaction description", "remarks",
		"transaction details", "beschreibung", "mededelingen")
	add(roleDescription, 1, "libellé opération", "libelle operation", "libellé de l'opération", "buchungsdetails",
		"transaction description", "payee/description", "détail de l'écriture", "detail", "opis", "popis")
	add(roleDescription, 3, "buchungstext", "details", "transaction", "text", "vorgang", "reference", "type")
	// Swedish, Finnish, Danish/Norwegian, Polish, Portuguese, Swiss, Austrian,
	// Italian, Belgian texts; DBS splits its text over Reference and
	// Transaction Ref1–3.
	add(roleDescription, 1, "beskrivning", "rubrik", "text/mottagare", "selitys", "beskrivelse", "forklaring",
		"opis operacji", "opis transakcji", "tytuł", "histórico", "historico", "descrição", "descricao",
		"lançamento", "lancamento", "avisierungstext", "buchungs-info", "descrizione operazioni", "transactie")
	add(roleDescription, 3, "tekst", "tapahtuma", "transaction ref1", "transaction ref2", "transaction ref3")
	add(roleDescription, 1, "description1", "description2", "description3", "description 1", "description 2",
		"description 3", "beschreibung1", "beschreibung2", "beschreibung3", "açıklama", "közlemény", "poznámka")
	// Notes and memos: free text that says more about a row whose payee is
	// named elsewhere (see matchHeader).
	addNote(1, "memo")
	addNote(2, "note", "viesti", "meddelande")
	add(roleCounterparty, 2, "name", "naam", "namn")
	add(roleCounterparty, 1, "saaja/maksaja", "maksaja/saaja", "nadawca/odbiorca", "odbiorca/nadawca",
		"partnername", "partner name", "contact")
	add(roleDescription, 1, "payment reference") // N26 since 2023, beside Partner Name
	add(roleCounterparty, 1, "counter party", "auftraggeber/empfänger", "auftraggeber / empfänger",
		"begünstigter / auftraggeber", "begünstigter/auftraggeber", "empfänger/auftraggeber", "gegenkonto name",
		"payee", "empfänger", "empfaenger", "beguenstigter/zahlungspflichtiger",
		"begünstigter/zahlungspflichtiger", "auftraggeber / begünstigter", "auftraggeber/begünstigter",
		"zahlungsempfänger", "naam tegenpartij", "název protiúčtu", "merchant", "merchant name", "counterparty",
		"counterparty name", "beneficiary", "bénéficiaire", "tegenpartij")
	add(roleAmount, 1, "amount", "betrag", "bedrag", "montant", "buchungsbetrag", "zaúčtovaná částka", "importe",
		"importo", "transaction amount", "amount in account currency", "umsatz", "value", "částka", "bedrag eur",
		"montant de l'opération", "montant opération", "montant operation", "gross", "kwota")
	add(roleAmount, 1, "belopp", "määrä", "beløb", "beløp", "valor", "amount (total)", "kwota operacji", "objem",
		"összeg", "tutar", "montante", "transactiebedrag", "total amount", "total amount (incl vat)", "summa",
		"määrä euroa", "suma", "nominal", "txn amount (funding card)", "source amount (after fees)",
		"сума в валюті картки", "сумма", "сума")
	add(roleAmount, 2, "net")
	add(roleDebit, 1, "debit", "withdrawal", "withdrawals", "withdrawal amt", "withdrawal amount", "money out",
		"paid out", "debet", "soll", "débit", "debit amount", "dr", "ausgang", "uitgaven", "dare", "cargo", "out")
	add(roleDebit, 1, "lastschrift", "ut", "ut fra konto", "ut av konto", "uttak", "belastung", "débito", "debito",
		"obciążenia", "af", "uttak fra konto", "uscite", "debits", "débitos", "debitos", "cargos", "withdrawn",
		"amount(expense)", "amount (expense)")
	add(roleCredit, 1, "credit", "deposit", "deposits", "deposit amt", "deposit amount", "money in", "paid in",
		"haben", "crédit", "credit amount", "cr", "eingang", "inkomsten", "avere", "abono", "in")
	add(roleCredit, 1, "gutschrift", "inn", "inn på konto", "innskudd", "crédito", "credito", "uznania", "bij",
		"innskudd på konto", "entrate", "credits", "créditos", "creditos", "abonos", "amount(income)", "amount (income)")
	add(roleDirection, 1, "af bij", "af/bij", "+/-", "debit/credit", "dr/cr", "cr/dr", "soll/haben", "d/c", "c/d",
		"credit/debit", "sens")
	// Kotak writes "Dr / Cr" after the amount (and again after the
	// balance: the first wins); Navy Federal "Credit Debit Indicator".
	add(roleDirection, 1, "dr / cr", "cr / dr", "debit / credit", "credit / debit", "credit debit indicator",
		"debit credit indicator", "credit/debit indicator", "debit/credit indicator", "sign", "billingamountsign",
		"creditdebet", "credit/debet", "credit debet", "d/k", "debet/kredit")
	add(roleCurrency, 1, "currency", "währung", "waehrung", "munt", "devise", "buchungswährung", "měna účtu",
		"currency code", "ccy", "moneda", "divisa", "měna", "waluta", "valuutta", "posted currency", "pénznem", "valiuta",
		"para birimi")
	add(roleReference, 1, "transferwise id", "wise id", "transaktionsnummer", "transaction number",
		"transaction id", "fitid", "buchungsreferenz", "id transakce", "volgnr",
		"transactiereferentie", "transaction reference", "transaction ref", "reference id", "transaktions-id")
	add(roleStatus, 1, "status", "state", "info", "transaction status", "statut", "estado", "stato")
	// A fee charged on top of the amount (Revolut: positive; PayPal:
	// negative, Gross + Fee = Net): the account moves by amount - |fee|.
	add(roleFee, 1, "fee", "fees", "fee amount", "gebühr", "gebühren", "frais")
	add(roleCategory, 1, "spending category", "catégorie opération", "categorie operation", "category", "kategorie", "categorie", "catégorie", "categoría", "categoria", "rubriek")
	return m
}()

// normalizeHeader lower-cases a header cell, drops quotes, BOM, a leading
// '#' (mBank's "#Data operacji") and trailing punctuation, collapses spaces,
// drops a time zone in parentheses ("Date (UTC)") and splits off a currency
// code in parentheses or after the name: "Withdrawal Amount (INR )" →
// ("withdrawal amount", "INR"), "Gutschrift in CHF" → ("gutschrift", "CHF").
func normalizeHeader(h string) (string, scale.Currency) {
	h = strings.TrimPrefix(h, "\ufeff")
	h = strings.ToLower(strings.Join(strings.Fields(strings.Trim(h, "\"' \t")), " "))
	if c, ok := currencyWord(h); ok && len(h) > 1 {
		return "amount", c // a column named by its currency: "CAD$", "EUR"
	}
	if len(h) > 1 && h[0] == '#' {
		h = strings.TrimSpace(h[1:])
	}
	var cur scale.Currency
	if i := strings.LastIndexByte(h, '('); i >= 0 && strings.HasSuffix(h, ")") {
		if c, ok := currencyWord(strings.TrimPrefix(strings.TrimSpace(h[i+1:len(h)-1]), "in ")); ok { // "(in Rs.)"
			cur = c
			h = strings.TrimSpace(h[:i])
		} else if timeZones[strings.TrimSpace(h[i+1:len(h)-1])] && i > 0 {
			h = strings.TrimSpace(h[:i])
		}
	} else if i := strings.LastIndexByte(h, ' '); i > 0 {
		// "Débit euros", "Amount EUR", "Betrag in EUR"
		if c, ok := currencyWord(h[i+1:]); ok {
			cur = c
			h = strings.TrimSuffix(strings.TrimSpace(h[:i]), " in")
		}
	}
	h = strings.TrimRight(h, ".:,; ")
	h = strings.ReplaceAll(h, ". ", " ")
	h = strings.TrimFunc(h, func(r rune) bool { return unicode.IsSpace(r) })
	return h, cur
}

// foreignAmountAfter reports a header naming a foreign or original
// currency: the amount column right after it is in that currency, not the
// account's.
func foreignAmountAfter(h string) bool {
	n, _ := normalizeHeader(h)
	switch n {
	case "fremdwährung", "originalwährung", "foreign currency", "original currency", "währung fremd":
		return true
	}
	return false
}

// timeZones are the zones a header names in parentheses after a date or
// time ("Date (UTC)"); they say nothing about the column's role.
var timeZones = map[string]bool{"utc": true, "gmt": true, "cet": true, "cest": true, "est": true, "edt": true,
	"pst": true, "pdt": true, "local": true, "local time": true}

// currencyWord reads a currency named in a header: an ISO code or a
// common symbol or word. "kr" is not one: it is the Swedish, Norwegian and
// Danish crown alike.
func currencyWord(w string) (scale.Currency, bool) {
	switch strings.TrimSpace(w) {
	case "€", "euro", "euros":
		return "EUR", true
	case "£":
		return "GBP", true
	case "$", "us$":
		return "USD", true
	case "₹", "rs", "rs.":
		return "INR", true
	case "kč":
		return "CZK", true
	case "r$":
		return "BRL", true
	case "zł":
		return "PLN", true
	case "s$":
		return "SGD", true
	}
	w = strings.TrimSpace(w)
	if len(w) == 4 && w[3] == '$' {
		w = w[:3] // RBC "CAD$", "USD$"
	}
	if len(w) != 3 {
		return "", false
	}
	c, err := scale.ParseCurrency(w)
	return c, err == nil
}

// layout is where each role lives in a row.
type layout struct {
	cols      [roleCount]int // -1 when absent; description uses descCols
	descCols  []int          // the columns the description joins, in order
	names     []string       // header names by index (for Raw)
	headerCur scale.Currency // currency named in an amount header
	width     int            // number of header fields
	// altAmount is a second amount column named by another currency
	// (RBC's "CAD$" and "USD$": a row fills the one of its account), read
	// in altCur when the amount column is empty; -1 when absent.
	altAmount int
	altCur    scale.Currency
}

func newLayout() layout {
	l := layout{altAmount: -1}
	for i := range l.cols {
		l.cols[i] = -1
	}
	return l
}

// hasAmount reports whether the layout can read an amount.
func (l *layout) hasAmount() bool {
	return l.cols[roleAmount] >= 0 || l.cols[roleDebit] >= 0 || l.cols[roleCredit] >= 0
}

// matchHeader assigns roles to the cells of a candidate header row. ok is
// true when the row names a date and an amount. The description joins the
// description columns of the best priority, each with the unnamed columns
// right after it, led by the counterparty when those columns are only
// notes.
func matchHeader(cells []string) (layout, bool) {
	l := newLayout()
	var best [roleCount]int
	var curs [roleCount]scale.Currency
	notesOnly := false // every description column is a note
	l.names = make([]string, len(cells))
	l.width = len(cells)
	for i, c := range cells {
		n, cur := normalizeHeader(c)
		l.names[i] = strings.TrimSpace(strings.TrimPrefix(c, "\ufeff"))
		syn, ok := headerSynonyms[n]
		if !ok {
			continue
		}
		if syn.role == roleAmount && i > 0 && foreignAmountAfter(cells[i-1]) {
			continue // Deutsche Bank card: "Fremdwährung;Betrag;Kurs;Betrag;Währung"
		}
		if syn.role == roleDescription {
			if l.cols[roleDescription] < 0 || syn.prio < best[roleDescription] {
				l.cols[roleDescription], best[roleDescription] = i, syn.prio
				l.descCols = l.descCols[:0]
				notesOnly = true
			}
			if syn.prio == best[roleDescription] {
				l.descCols = append(l.descCols, i)
				notesOnly = notesOnly && syn.note
			}
			continue
		}
		if l.cols[syn.role] < 0 || syn.prio < best[syn.role] {
			l.cols[syn.role], best[syn.role] = i, syn.prio
			curs[syn.role] = cur
		} else if syn.role == roleAmount && syn.prio == best[roleAmount] && cur != "" && curs[roleAmount] != "" &&
			cur != curs[roleAmount] && l.altAmount < 0 {
			l.altAmount, l.altCur = i, cur
		}
	}
	// PKO BP spreads its text over the unnamed columns after "Opis
	// transakcji" ("Tytuł: …", "Lokalizacja: …", "Nazwa odbiorcy: …").
	var desc []int
	for _, d := range l.descCols {
		desc = append(desc, d)
		for j := d + 1; j < len(cells) && l.names[j] == ""; j++ {
			desc = append(desc, j)
		}
	}
	l.descCols = desc
	// A memo or message says little without the payee's name: "CHECK
	// 1055" or "Palkka maaliskuu" reads as the name then the note.
	if notesOnly && l.cols[roleCounterparty] >= 0 {
		l.descCols = append([]int{l.cols[roleCounterparty]}, l.descCols...)
		l.cols[roleDescription] = l.cols[roleCounterparty]
	}
	for _, r := range []role{roleAmount, roleDebit, roleCredit} {
		if l.cols[r] >= 0 && curs[r] != "" {
			l.headerCur = curs[r]
			break
		}
	}
	// A signed amount column wins over split debit/credit columns (Monzo,
	// KBC carry both).
	if l.cols[roleAmount] >= 0 {
		l.cols[roleDebit], l.cols[roleCredit] = -1, -1
	} else {
		l.cols[roleDirection] = -1
	}
	return l, l.cols[roleDate] >= 0 && l.hasAmount()
}
