package ingestion

import (
	"strings"
	"testing"

	"github.com/matryer/is"
	"github.com/scalehq/scale/scale"
)

// TestMatchHeaderNordicAndMore matches the header rows of real exports
// whose names headerSynonyms learned late: each role lands on the intended
// column (-1: absent) and the description joins the intended columns.
func TestMatchHeaderNordicAndMore(t *testing.T) {
	tests := []struct {
		bank   string
		sep    string
		header string
		date   int
		amount int // -1: split debit/credit
		debit  int
		credit int
		desc   []int
		party  int
		cur    int // currency column
		hcur   scale.Currency
		dir    int // debit/credit indicator column
	}{
		{"Swedbank", ",", "Radnummer,Clearingnummer,Kontonummer,Produkt,Valuta,Bokföringsdag,Transaktionsdag,Valutadag,Referens,Beskrivning,Belopp,Bokfört saldo",
			5, 10, -1, -1, []int{9}, -1, -1, "", -1},
		{"Nordea SE", ";", "\ufeffBokföringsdag;Belopp;Avsändare;Mottagare;Namn;Rubrik;Saldo;Valuta",
			0, 1, -1, -1, []int{5}, 4, -1, "", -1},
		{"Nordea FI", "\t", "Kirjauspäivä\tArvopäivä\tMaksupäivä\tMäärä\tSaaja/Maksaja\tTilinumero\tBIC\tTapahtuma\tViite\tMaksajan viite\tViesti\tKortinnumero\tKuitti",
			0, 3, -1, -1, []int{4, 10}, 4, -1, "", -1},
		{"Danske Bank", ";", `"Dato";"Tekst";"Beløb";"Saldo";"Status";"Afstemt"`,
			0, 2, -1, -1, []int{1}, -1, -1, "", -1},
		{"Handelsbanken", ";", "Reskontradatum;Transaktionsdatum;Text;Belopp;Saldo",
			0, 3, -1, -1, []int{2}, -1, -1, "", -1},
		{"SEB", ";", "Bokföringsdatum;Valutadatum;Verifikationsnummer;Text/mottagare;Belopp;Saldo",
			0, 4, -1, -1, []int{3}, -1, -1, "", -1},
		{"DNB", ";", "Dato;Forklaring;Rentedato;Ut fra konto;Inn på konto",
			0, -1, 3, 4, []int{1}, -1, -1, "", -1},
		{"Sbanken", ";", "Bokføringsdato;Rentedato;Arkivreferanse;Type;Tekst;Ut av konto;Inn på konto",
			0, -1, 5, 6, []int{3, 4}, -1, -1, "", -1},
		{"PKO BP", ",", `"Data operacji","Data waluty","Typ transakcji","Kwota","Waluta","Saldo po transakcji","Opis transakcji","","","",""`,
			0, 3, -1, -1, []int{6, 7, 8, 9, 10}, -1, 4, "", -1},
		{"mBank", ";", "#Data operacji;#Data księgowania;#Opis operacji;#Tytuł;#Nadawca/Odbiorca;#Numer konta;#Kwota;#Saldo po operacji",
			0, 6, -1, -1, []int{2, 3}, 4, -1, "", -1},
		{"Itaú", ";", "data;lançamento;ag./origem;valor (R$);saldos (R$)",
			0, 3, -1, -1, []int{1}, -1, -1, "BRL", -1},
		{"PostFinance", ";", "Buchungsdatum;Avisierungstext;Gutschrift in CHF;Lastschrift in CHF;Label;Kategorie",
			0, -1, 3, 2, []int{1, 4}, -1, -1, "CHF", -1},
		{"Axis Bank", ",", "Tran Date,CHQNO,PARTICULARS,DR,CR,BAL,SOL",
			0, -1, 3, 4, []int{2}, -1, -1, "", -1},
		{"Mercury", ",", "Date (UTC),Description,Amount,Status,Source Account,Bank Description,Reference,Note,Last Four Digits,Name On Card,Category,GL Code,Timestamp,Original Currency",
			0, 2, -1, -1, []int{1}, -1, -1, "", -1},
		{"Venmo", ",", ",ID,Datetime,Type,Status,Note,From,To,Amount (total),Amount (tip),Amount (tax),Amount (fee),Tax Rate,Tax Exempt,Funding Source,Destination,Beginning Balance,Ending Balance,Statement Period Venmo Fees,Terminal Location,Year to Date Venmo Fees,Disclaimer",
			2, 8, -1, -1, []int{5}, -1, -1, "", -1},
		{"Intesa Sanpaolo", ";", "Data contabile;Data valuta;Dare;Avere;Descrizione operazioni",
			0, -1, 2, 3, []int{4}, -1, -1, "", -1},
		{"Belfius", ";", "Boekingsdatum;Rekening;Boekingsnummer;Rekeningafschrift;Rekening tegenpartij;Naam tegenpartij bevat;Straat en nummer;Postcode en plaats;Transactie;Valutadatum;Bedrag;Devies;BIC;Landcode;Mededelingen",
			0, 10, -1, -1, []int{8, 14}, -1, -1, "", -1},
		{"Erste George", ";", "\ufeffBuchungsdatum;Partnername;Partner IBAN;BIC/SWIFT;Partner Kontonummer;Bankleitzahl;Betrag;Währung;Buchungs-Info;Buchungsreferenz;Notiz;Valutadatum;",
			0, 6, -1, -1, []int{8}, 1, 7, "", -1},
		// The memo follows the payee's name.
		{"US Bank", ",", `"Date","Transaction","Name","Memo","Amount"`,
			0, 4, -1, -1, []int{2, 3}, 2, -1, "", -1},
		{"DBS", ",", "Transaction Date,Reference,Debit Amount,Credit Amount,Transaction Ref1,Transaction Ref2,Transaction Ref3",
			0, -1, 2, 3, []int{1, 4, 5, 6}, -1, -1, "", -1},
		// The first "Dr / Cr" tells the amount's sign, the second the
		// balance's.
		{"Kotak", ",", "Sl. No.,Transaction Date,Value Date,Description,Chq / Ref No.,Amount,Dr / Cr,Balance,Dr / Cr",
			1, 5, -1, -1, []int{3}, -1, -1, "", 6},
		{"Navy Federal", ",", "Posting Date,Transaction Date,Amount,Credit Debit Indicator,type,Type Group,Reference,Instructional Amount,Instructional Currency,Description,Category",
			0, 2, -1, -1, []int{9}, -1, -1, "", 3},
		// Memo without a name column and a description with a memo are
		// unchanged.
		{"Barclays", ",", "Number,Date,Account,Amount,Subcategory,Memo",
			1, 3, -1, -1, []int{5}, -1, -1, "", -1},
		{"Monzo", ",", "Transaction ID,Date,Time,Type,Name,Emoji,Category,Amount,Currency,Local amount,Local currency,Notes and #tags,Address,Receipt,Description,Category split,Money Out,Money In,Balance,Balance currency",
			1, 7, -1, -1, []int{14}, 4, 8, "", -1},
	}
	for _, tt := range tests {
		t.Run(tt.bank, func(t *testing.T) {
			is := is.New(t)
			var cells []string
			for _, c := range strings.Split(tt.header, tt.sep) {
				cells = append(cells, strings.Trim(c, `"`))
			}
			l, ok := matchHeader(cells)
			is.True(ok)
			is.Equal(l.cols[roleDate], tt.date)
			is.Equal(l.cols[roleAmount], tt.amount)
			is.Equal(l.cols[roleDebit], tt.debit)
			is.Equal(l.cols[roleCredit], tt.credit)
			is.Equal(l.descCols, tt.desc)
			is.Equal(l.cols[roleCounterparty], tt.party)
			is.Equal(l.cols[roleCurrency], tt.cur)
			is.Equal(l.headerCur, tt.hcur)
			is.Equal(l.cols[roleDirection], tt.dir)
		})
	}
}

func TestNormalizeHeaderMore(t *testing.T) {
	tests := []struct {
		in   string
		name string
		cur  scale.Currency
	}{
		{"Date (UTC)", "date", ""},
		{"Amount (total)", "amount (total)", ""},
		{"valor (R$)", "valor", "BRL"},
		{"Gutschrift in CHF", "gutschrift", "CHF"},
		{"Lastschrift in CHF", "lastschrift", "CHF"},
		{"#Data operacji", "data operacji", ""},
		{"#", "#", ""},
		{"Kwota (zł)", "kwota", "PLN"},
		{"Belopp (kr)", "belopp (kr)", ""}, // SEK, NOK or DKK
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			is := is.New(t)
			n, c := normalizeHeader(tt.in)
			is.Equal(n, tt.name)
			is.Equal(c, tt.cur)
		})
	}
}
