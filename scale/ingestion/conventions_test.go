package ingestion

import (
	"strings"
	"testing"

	"github.com/matryer/is"

	"github.com/scalehq/scale/scale"
)

// TestConventions covers statements whose sign, currency or non-rows are
// not spelt out by a header synonym: each must give exactly the stored
// rows a reader of the file would count.
func TestConventions(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		want tally
		cur  scale.Currency // the statement's currency
		curs []scale.Currency
	}{
		{name: "indicator column after the amount, another after the balance (Kotak)",
			csv: "Sl. No.,Transaction Date,Description,Amount,Dr / Cr,Balance,Dr / Cr\n" +
				"1,01-03-2024,UPI ZOMATO,450.00,DR,\"24,550.00\",CR\n" +
				"2,05-03-2024,SALARY,\"1,25,000.00\",CR,\"1,49,550.00\",CR\n",
			want: tally{ok: 2, sum: 1245500000}},
		{name: "indicator words in a column named by no synonym (Navy Federal)",
			csv:  "Posting Date,Amount,Credit Debit Indicator,Description\n03/04/2024,54.21,Debit,GIANT FOOD\n03/15/2024,2650.00,Credit,PAY\n",
			want: tally{ok: 2, sum: 25957900}},
		{name: "a type column and rupee symbols (PhonePe)",
			csv:  "Date,Transaction Details,Type,Amount\n\"Mar 02, 2024\",Paid to Swiggy,DEBIT,\"₹350\"\n\"Mar 05, 2024\",Received,CREDIT,\"₹1,200\"\n",
			want: tally{ok: 2, sum: 8500000}, cur: "INR", curs: []scale.Currency{"INR", "INR"}},
		{name: "letters alone are indicators only when both sides appear",
			csv:  "Date,Description,Amount,Cleared\n2024-03-01,A,10.00,C\n2024-03-02,B,5.00,C\n",
			want: tally{ok: 2, sum: 150000}},
		{name: "signed amounts keep their sign whatever another column says",
			csv:  "Date,Description,Amount,Card\n2024-03-01,A,-10.00,Debit\n2024-03-02,B,5.00,Credit\n",
			want: tally{ok: 2, sum: -50000}},
		{name: "purchases signed by their status (Google Pay)",
			csv: "\"Time\",\"Transaction ID\",\"Description\",\"Product\",\"Payment method\",\"Status\",\"Amount\"\n" +
				"\"7 Feb 2024, 17:13\",\"GPA.1\",\"YouTube Premium\",\"YouTube\",\"UPI\",\"Complete\",\"INR 129.00\"\n" +
				"\"20 Feb 2024, 21:40\",\"GPA.2\",\"Gems\",\"Google Play\",\"UPI\",\"Cancelled\",\"INR 449.00\"\n" +
				"\"25 Feb 2024, 11:11\",\"GPA.3\",\"Google One\",\"Google One\",\"UPI\",\"Refunded\",\"INR 130.00\"\n",
			want: tally{ok: 2, skipped: 1, sum: 10000}, cur: "INR", curs: []scale.Currency{"INR", "INR"}},
		{name: "an unsigned bank column with a Completed status is not a purchase history",
			csv:  "Date,Description,Status,Amount\n2024-03-01,Interest,Completed,1.50\n2024-03-02,Deposit,Completed,100.00\n",
			want: tally{ok: 2, sum: 1015000}},
		{name: "American Express writes charges positive",
			csv: "Date,Date Processed,Description,Card Member,Account #,Amount,Extended Details\n" +
				"03/02/2024,03/03/2024,UBER EATS,J DOE,-11005,32.10,x\n03/10/2024,03/10/2024,MOBILE PAYMENT - THANK YOU,J DOE,-11005,-400.00,y\n",
			want: tally{ok: 2, sum: 3679000}},
		{name: "dated balance lines with their balance in the amount column (Intesa)",
			csv: "Data contabile;Data valuta;Dare;Avere;Descrizione\n01/03/2024;01/03/2024;;2.300,00;STIPENDIO\n" +
				"05/03/2024;05/03/2024;54,20;;POS COOP\n31/03/2024;31/03/2024;;2.245,80;Saldo finale\n",
			want: tally{ok: 2, sum: 22458000}},
		{name: "a payee that starts like a balance line is a row",
			csv:  "Date;Description;Amount\n01.03.2024;SALDO RECHNUNG AMAZON;-12,00\n02.03.2024;Saldo finale;100,00\n",
			want: tally{ok: 1, sum: -120000}},
		{name: "beginning balance without an amount (Bank of America)",
			csv: "Date,Description,Amount,Running Bal.\n03/01/2024,Beginning balance as of 03/01/2024,,\"1,234.56\"\n" +
				"03/02/2024,STARBUCKS,-5.25,\"1,229.31\"\n",
			want: tally{ok: 1, sum: -52500}},
		{name: "pending in the date column (comdirect offen, Nordea Reserverat)",
			csv: "Buchungstag;Vorgang;Buchungstext;Umsatz in EUR\n\"offen\";\"Lastschrift\";\"Spotify\";\"-9,99\"\n" +
				"\"Reserverat\";\"Kort\";\"ICA\";\"-5,00\"\n\"02.03.2024\";\"Lastschrift\";\"Rewe\";\"-20,00\"\n",
			want: tally{ok: 1, skipped: 2, sum: -200000}, cur: "EUR"},
		{name: "a total line whose first cell is not a total (Axis)",
			csv:  "Date,PARTICULARS,Debit,Credit,BAL\n13-03-2024,UPI A,100.00,,900.00\n,TRANSACTION TOTAL,100.00,0.00,\n",
			want: tally{ok: 1, sum: -1000000}},
		{name: "a column of currency codes named by no synonym (Swedbank Valuta, which names a value date elsewhere)",
			csv: "Radnummer,Clearingnummer,Kontonummer,Produkt,Valuta,Bokföringsdag,Transaktionsdag,Valutadag,Referens,Beskrivning,Belopp,Bokfört saldo\n" +
				"1,8327-9,123456789,Privatkonto,SEK,2024-03-04,2024-03-02,2024-03-04,ICA NARA,ICA NARA STOCKHOLM,-245.50,12754.50\n" +
				"2,8327-9,123456789,Privatkonto,SEK,2024-03-25,2024-03-25,2024-03-25,LÖN,LÖN ACME AB,28500.00,41254.50\n",
			want: tally{ok: 2, sum: 282545000}, cur: "SEK", curs: []scale.Currency{"SEK", "SEK"}},
		{name: "a second header row splits a merged Amount into Debit and Credit",
			csv:  "Date,Amount,,Description\n,Debit,Credit,\n10/08/2024,100,,ATM\n12/08/2024,,2500,Salary\n20/08/2024,45.99,,Netflix\n",
			want: tally{ok: 3, sum: 23540100}},
		{name: "amount columns named by their currency, each row filling one (RBC)",
			csv: "Account Type,Account Number,Transaction Date,Cheque Number,Description 1,Description 2,CAD$,USD$\n" +
				"Chequing,01234-5678901,2/2/2024,,\"POS PURCHASE\",\"LOBLAWS 1022\",-88.10,\n" +
				"Savings,01234-9999999,2/14/2024,,\"TRANSFER IN\",\"\",,500.00\n",
			want: tally{ok: 2, sum: 4119000}, cur: "CAD", curs: []scale.Currency{"CAD", "USD"}},
		{name: "two currency columns, one filled on every row: that one moved the account",
			csv:  "Date,Description,EUR,USD\n03/10/2024,HOTEL PARIS,-180.00,-196.45\n03/11/2024,DINER NYC,,-54.20\n03/15/2024,PAYMENT,,500.00\n",
			want: tally{ok: 3, sum: 2493500}, cur: "USD", curs: []scale.Currency{"USD", "USD", "USD"}},
		{name: "no sign from a column of C and D (cheque, direct deposit)",
			csv:  "Date,Description,Chan,Amount\n2024-03-01,CHEQUE 1001,C,25.00\n2024-03-02,DIRECT DEPOSIT ACME,D,1800.00\n",
			want: tally{ok: 2, sum: 18250000}},
		{name: "no sign from the card a customer paid with",
			csv:  "Date,Description,Card,Amount\n2024-03-01,SALE 1,Credit,25.00\n2024-03-02,SALE 2,Debit,7.25\n",
			want: tally{ok: 2, sum: 322500}},
		{name: "no currency from a country column of codes that are currencies too",
			csv:  "Date,Description,Merchant Country,Amount\n2024-03-01,HOTEL,BTN,-25.00\n2024-03-02,TAXI,SLE,-7.25\n",
			want: tally{ok: 2, sum: -322500}},
		{name: "no purchase history in Revolut's Product column with COMPLETED",
			csv: "Type,Product,Started Date,Completed Date,Description,Amount,Fee,Currency,State,Balance\n" +
				"TOPUP,Current,2024-03-01 10:00:00,2024-03-01 10:00:01,Top-up,50.00,0.00,EUR,COMPLETED,50.00\n" +
				"CARD_REFUND,Current,2024-03-02 10:00:00,2024-03-02 10:00:01,Zalando,29.95,0.00,EUR,COMPLETED,79.95\n",
			want: tally{ok: 2, sum: 799500}, cur: "EUR", curs: []scale.Currency{"EUR", "EUR"}},
		{name: "12.50R is no rand",
			csv:  "Date,Description,Amount\n13/08/2024,TESCO,-12.50\n14/08/2024,TESCO REVERSAL,12.50R\n",
			want: tally{ok: 1, rejected: []int{3}, sum: -125000}},
		{name: "French and Spanish balance lines with their balance in a credit column",
			csv: "Date;Libellé;Débit;Crédit\n01/03/2024;SOLDE PRECEDENT AU 29/02/2024;;1 250,00\n05/03/2024;CB CARREFOUR;45,60;\n" +
				"31/03/2024;SOLDE CREDITEUR AU 31/03/2024;;1 204,40\n02/04/2024;Saldo anterior;;1.000,00\n",
			want: tally{ok: 1, sum: -456000}},
		{name: "a sign column that marks only credits (ICICI card BillingAmountSign)",
			csv:  "Transaction Date,Details,Amount(in Rs),BillingAmountSign\n03/01/2024,AMAZON,\"1,299.00\",\n05/01/2024,PAYMENT,\"5,000.00\",CR\n",
			want: tally{ok: 2, sum: 37010000}, cur: "INR", curs: []scale.Currency{"INR", "INR"}},
		{name: "Apple Card without Purchased By",
			csv:  "Transaction Date,Clearing Date,Description,Merchant,Category,Type,Amount (USD)\n03/01/2024,03/02/2024,APPLE.COM,Apple,Other,Purchase,9.99\n03/05/2024,03/05/2024,PAYMENT,Payment,Payment,Payment,-250.00\n",
			want: tally{ok: 2, sum: 2400100}, cur: "USD", curs: []scale.Currency{"USD", "USD"}},
		{name: "D and C after the amount (SBI card)",
			csv:  "Date,Description,Amount\n03/01/2024,FUEL,\"1,234.00 D\"\n15/01/2024,PAYMENT,\"3,000.00 C\"\n",
			want: tally{ok: 2, sum: 17660000}},
		{name: "Portuguese Tipo of Débito/Crédito signs the amount",
			csv:  "Data lançamento;Data valor;Descrição;Montante;Tipo;Saldo\n04-01-2024;04-01-2024;COMPRA;35,90;Débito;100,00\n15-01-2024;15-01-2024;SALARIO;1.450,00;Crédito;1.550,00\n",
			want: tally{ok: 2, sum: 14141000}},
		{name: "Curve: DEBIT and REFUND sign the funding card's amount, in its CCY column",
			csv: "Date (YYYY-MM-DD as UTC),Merchant,Txn Amount (Funding Card),CCY (Funding Card),Txn Amount (Foreign Spend),CCY (Foreign Spend),Type\n" +
				"2024-03-05,FNAC PARIS,42.10,GBP,48.99,EUR,DEBIT\n2024-03-09,FNAC PARIS,42.10,GBP,48.99,EUR,REFUND\n2024-03-12,TFL,2.80,GBP,,,DEBIT\n",
			want: tally{ok: 3, sum: -28000}, cur: "GBP", curs: []scale.Currency{"GBP", "GBP", "GBP"}},
		{name: "Wise: Direction OUT/IN, a cancelled transfer skipped",
			csv: "ID,Status,Direction,Created on,Source name,Source amount (after fees),Source currency\n" +
				"T1,COMPLETED,OUT,2024-03-02 10:11:12,Jane,120.00,EUR\nT2,COMPLETED,IN,2024-03-05 08:00:00,ACME,1500.00,EUR\nT3,CANCELLED,OUT,2024-03-09 12:00:00,Jane,50.00,EUR\n",
			want: tally{ok: 2, skipped: 1, sum: 13800000}, cur: "EUR", curs: []scale.Currency{"EUR", "EUR"}},
		{name: "a preamble names the currency; $ is its peso (BBVA Colombia)",
			csv: "Cuenta de Ahorros No. 0013-0123 - Moneda: Pesos Colombianos (COP)\nFecha,Concepto,Cargo,Abono,Saldo\n" +
				"05/03/2024,COMPRA CARULLA,\"$ 45.900,00\",,\"$ 1.954.100,00\"\n15/03/2024,NOMINA,,\"$ 3.500.000,00\",\"$ 5.454.100,00\"\n",
			want: tally{ok: 2, sum: 34541000000}, cur: "COP", curs: []scale.Currency{"COP", "COP"}},
		{name: "a bare $ is USD when nothing else names a currency",
			csv:  "Date,Description,Amount\n03/01/2024,COFFEE,-$4.50\n03/02/2024,PAY,$100.00\n",
			want: tally{ok: 2, sum: 955000}, cur: "USD", curs: []scale.Currency{"USD", "USD"}},
		{name: "Zelle: Sent and Received sign the amount",
			csv:  "Date,Type,Name,Memo,Amount,Status\n03/01/2024,Sent,JOHN,rent,$45.00,Completed\n03/02/2024,Received,ANNA,dinner,$600.00,Completed\n",
			want: tally{ok: 2, sum: 5550000}, cur: "USD", curs: []scale.Currency{"USD", "USD"}},
		{name: "Knab: CreditDebet of D and C",
			csv:  "Rekeningnummer;Transactiedatum;CreditDebet;Bedrag;Omschrijving\nNL1;05-03-2024;D;12,50;AH\nNL1;25-03-2024;C;2500,00;SALARIS\n",
			want: tally{ok: 2, sum: 24875000}},
		{name: "Swedbank Baltic: only type-20 records are rows; K is a credit",
			csv: "\"Client account\";\"Row type\";\"Date\";\"Beneficiary/Payer\";\"Details\";\"Amount\";\"Currency\";\"Debit/Credit\"\n" +
				"\"EE38\";\"10\";\"01.03.2024\";\"\";\"Opening balance\";\"2500,00\";\"EUR\";\"K\"\n" +
				"\"EE38\";\"20\";\"04.03.2024\";\"RIMI\";\"card\";\"23,45\";\"EUR\";\"D\"\n" +
				"\"EE38\";\"20\";\"08.03.2024\";\"ACME\";\"Palk\";\"2100,00\";\"EUR\";\"K\"\n" +
				"\"EE38\";\"82\";\"31.03.2024\";\"\";\"Turnover\";\"23,45\";\"EUR\";\"D\"\n",
			want: tally{ok: 2, sum: 20765500}, cur: "EUR", curs: []scale.Currency{"EUR", "EUR"}},
		{name: "a foreign amount before the account's amount of the same name (Deutsche Bank card)",
			csv:  "Belegdatum;Eingangstag;Verwendungszweck;Fremdwährung;Betrag;Kurs;Betrag;Währung\n05.03.2024;06.03.2024;AMAZON US;USD;-50,00;1,08500;-46,08;EUR\n10.03.2024;11.03.2024;REWE;;;;-20,00;EUR\n",
			want: tally{ok: 2, sum: -660800}, cur: "EUR", curs: []scale.Currency{"EUR", "EUR"}},
		{name: "rupiah amounts whose every separator groups thousands (Jenius)",
			csv:  "Tanggal,Keterangan,Kategori,Nominal\n05/03/2024,KOPI,Makanan,-Rp 45.000\n10/03/2024,GAJI,Gaji,Rp 850.000\n18/03/2024,PLN,Tagihan,-Rp 150.000\n",
			want: tally{ok: 3, sum: 6550000000}, cur: "IDR", curs: []scale.Currency{"IDR", "IDR", "IDR"}},
		{name: "Swedbank Lithuania leaves its record-type column unnamed",
			csv: "\"Data\",\"\",\"Gavėjas\",\"Suma\",\"Valiuta\",\"D/K\"\n\"2024-03-01\",\"10\",\"\",\"1234,56\",\"EUR\",\"K\"\n" +
				"\"2024-03-05\",\"20\",\"MAXIMA\",\"12,34\",\"EUR\",\"D\"\n\"2024-03-31\",\"86\",\"\",\"1222,22\",\"EUR\",\"K\"\n",
			want: tally{ok: 1, sum: -123400}, cur: "EUR", curs: []scale.Currency{"EUR"}},
		{name: "Buddhist-era years and a trailing +",
			csv:  "Date,Description,Amount\n05/03/2567,GRAB,-120.00\n25/03/2567,SALARY,\"4,800.00+\"\n",
			want: tally{ok: 2, sum: 46800000}},
		{name: "a sign column of + and - under a name that allows one",
			csv:  "Date,Description,Amount,Txn Type\n03/04/2024,GROCERY,45.10,-\n10/04/2024,REFUND,12.00,+\n20/04/2024,RENT,950.00,-\n",
			want: tally{ok: 3, sum: -9831000}},
		{name: "rand and lira marks",
			csv:  "Date,Description,Amount\n05 Mar 2024,WOOLWORTHS,-R1 234.50\n15 Mar 2024,SALARY,R25 000.00\n",
			want: tally{ok: 2, sum: 237655000}, cur: "ZAR", curs: []scale.Currency{"ZAR", "ZAR"}},
		{name: "currency marks the parser reads around the digits",
			csv:  "Date;Description;Amount\n2024-03-01;A;R$ 1.234,56\n2024-03-02;B;-312,40 kr\n2024-03-03;C;-38,75 USD\n",
			want: tally{ok: 3, sum: 12345600 - 3124000 - 387500}, cur: "BRL", curs: []scale.Currency{"BRL", "BRL", "USD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			r, recs, err := readAll(strings.NewReader(tt.csv), Options{})
			is.NoErr(err)
			got := tallyOf(recs)
			is.Equal(got.ok, tt.want.ok)
			is.Equal(got.skipped, tt.want.skipped)
			is.Equal(got.rejected, tt.want.rejected)
			is.Equal(got.sum, tt.want.sum)
			is.Equal(r.Currency(), tt.cur)
			if tt.curs != nil {
				var curs []scale.Currency
				for _, rec := range recs {
					if rec.Status == RecordOK {
						curs = append(curs, rec.Currency)
					}
				}
				is.Equal(curs, tt.curs)
			}
		})
	}
}

func TestCurrencyMark(t *testing.T) {
	tests := []struct {
		in  string
		cur scale.Currency
		ok  bool
	}{
		{"", "", true}, {"- ", "", true}, {"\u2009kr", "", true}, {"INR ", "INR", true}, {" €", "EUR", true}, {"R$ ", "BRL", true},
		{" kr", "", true}, {"+ £", "GBP", true}, {"$ (", "", true}, {"usd $", "USD", true}, {"₿", "", true},
		{"abc ", "", false}, {"x", "", false}, {"E", "", false},
	}
	for _, tt := range tests {
		is := is.New(t)
		cur, ok := currencyMark(tt.in)
		is.Equal(ok, tt.ok)   // tt.in
		is.Equal(cur, tt.cur) // tt.in
	}
	is := is.New(t)
	is.Equal(amountCurrency("INR 129.00"), scale.Currency("INR"))
	is.Equal(amountCurrency("-12.50"), scale.Currency(""))
	is.Equal(amountCurrency("12.50 EUR CR"), scale.Currency("EUR"))
	is.Equal(isBalanceLine("Closing balance 31.03.2024"), true)
	is.Equal(isBalanceLine("Saldo RECHNUNG"), false)
}

func TestWellsFargoProfile(t *testing.T) {
	is := is.New(t)
	m, ok := LookupProfile("wells-fargo")
	is.True(ok)
	csv := "\"03/01/2024\",\"-4.75\",\"*\",\"\",\"PURCHASE AUTHORIZED ON 02/29 STARBUCKS\"\n" +
		"\"03/15/2024\",\"2450.00\",\"*\",\"\",\"ACME CORP PAYROLL\"\n\"03/18/2024\",\"-1200.00\",\"*\",\"1042\",\"CHECK # 1042\"\n"
	r, recs, err := readAll(strings.NewReader(csv), Options{Mapping: &m})
	is.NoErr(err)
	is.Equal(tallyOf(recs), tally{ok: 3, sum: 12452500})
	is.Equal(recs[0].Description, "PURCHASE AUTHORIZED ON 02/29 STARBUCKS")
	is.Equal(r.Currency(), scale.Currency("USD"))
}

func TestSubtotals(t *testing.T) {
	tests := []struct {
		name, csv string
		want      tally
	}{
		{"monthly totals in split columns",
			"Date,Description,Debit,Credit\n03/01/2024,SHOP A,10.00,\n20/01/2024,SALARY,,500.00\n,Total January 2024,10.00,500.00\n" +
				"05/02/2024,SHOP B,25.00,\n,Total February 2024,25.00,0.00\n",
			tally{ok: 3, sum: 4650000}},
		{"a net total in one column",
			"Date,Description,Amount\n2024-01-03,A,-10.00\n2024-01-20,B,500.00\n,January total,490.00\n2024-02-05,C,-25.00\n",
			tally{ok: 3, sum: 4650000}},
		{"a payee without a date is no total",
			"Date,Description,Amount\n2025-03-01,A,-1.00\n,TOTAL ENERGIES 123,-50.00\n2025-03-03,C,-4.00\n",
			tally{ok: 2, rejected: []int{3}, sum: -50000}},
		{"a payee named TOTAL without a date is no total",
			"Date,Description,Amount\n2025-03-01,A,-20.00\n2025-03-02,B,-30.00\n,TOTAL GAS & POWER,-50.00\n",
			tally{ok: 2, rejected: []int{4}, sum: -500000}},
		{"French monthly totals",
			"Date;Libellé;Débit;Crédit\n03/01/2024;A;25,00;\n20/01/2024;B;;1 900,00\n;TOTAUX JANVIER;25,00;1 900,00\n05/02/2024;C;60,00;\n;TOTAUX FEVRIER;60,00;\n",
			tally{ok: 3, sum: 18150000}},
		{"a closing balance footer behind a # (mBank)",
			"#Data operacji;#Opis operacji;#Kwota\n2024-01-05;ZAKUP;-12,50\n#Saldo końcowe;;3 354,33\n",
			tally{ok: 1, sum: -125000}},
		{"a row that adds up by chance is no total",
			"Date,Description,Amount\n2025-03-01,COFFEE,-5.00\n2025-03-02,COFFEE,-5.00\n,ATM WITHDRAWAL 0042 HIGH ST,-10.00\n",
			tally{ok: 2, rejected: []int{4}, sum: -100000}},
		{"one row's copy without a date is no total",
			"Date,Description,Amount\n2025-03-01,A,-5.00\n,A,-5.00\n2025-03-03,C,-4.00\n",
			tally{ok: 2, rejected: []int{3}, sum: -90000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			_, recs, err := readAll(strings.NewReader(tt.csv), Options{})
			is.NoErr(err)
			is.Equal(tallyOf(recs), tt.want)
		})
	}
}
