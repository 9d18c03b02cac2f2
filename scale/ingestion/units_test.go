package ingestion

import (
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"
	"github.com/scalehq/scale/scale"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in    string
		comma bool
		want  int64 // ten-thousandths
		empty bool
		bad   bool
	}{
		{in: "-2680.89", want: -26808900},
		{in: "-36,99", comma: true, want: -369900},
		{in: "1.234,56", comma: true, want: 12345600},
		{in: "+50,00", comma: true, want: 500000},
		{in: "1,16,890.00", want: 1168900000},
		{in: "\"1,35,000.00\"", bad: true},
		{in: "£1,183.23", want: 11832300},
		{in: "+ £1,100.00", want: 11000000},
		{in: "INR 299.00", want: 2990000},
		{in: "Rs.100", want: 1000000},
		{in: "2 100,00", comma: true, want: 21000000},
		{in: "-1 045,50", comma: true, want: -10455000},
		{in: "31\u2009200,00 kr", comma: true, want: 312000000}, // thin space, Swedish krona
		{in: "1\u202f234,50 €", comma: true, want: 12345000},
		{in: " 7.80", want: 78000},
		{in: "7.80 CR", want: 78000},
		{in: "7.80 DR", want: -78000},
		{in: "(12.50)", want: -125000},
		{in: "12.50-", want: -125000},
		{in: "12.50 EUR", want: 125000},
		{in: "", empty: true},
		{in: "   ", empty: true},
		{in: "-", empty: true},
		{in: "abc", bad: true},
		{in: "1.2.3", bad: true},
		{in: "12abc34", bad: true}, // letters between digits are not a currency mark
		{in: "1E3", bad: true},
		{in: "1O.00", bad: true},
		{in: "x12", bad: true},
		{in: "12.50 Dr.", bad: true},
		{in: "usd 12.50", want: 125000},
		{in: "12,50 € EUR", comma: true, want: 125000},
		{in: "=1+2", bad: true},
		{in: "1.23456", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			is := is.New(t)
			got, empty, err := ParseAmount(tt.in, tt.comma)
			if tt.bad {
				is.True(err != nil)
				is.Equal(scale.CodeOf(err), scale.CodeMoneyInvalid)
				return
			}
			is.NoErr(err)
			is.Equal(empty, tt.empty)
			is.Equal(got, tt.want)
		})
	}
}

func TestInferDecimalComma(t *testing.T) {
	is := is.New(t)
	is.True(InferDecimalComma([]string{"-36,99", "1.234,56"}))
	is.True(!InferDecimalComma([]string{"-2680.89", "1,234.56"}))
	is.True(!InferDecimalComma([]string{"1,16,890.00", "999.50"}))
	is.True(InferDecimalComma([]string{"1.234.567", "12"}))
	is.True(!InferDecimalComma([]string{"1,234", "12"})) // no evidence: decimal point
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in    string
		order DateOrder
		want  string
	}{
		{"2026-01-31", DateOrderUnknown, "2026-01-31"},
		{"2026-01-31 19:48:40", DateOrderUnknown, "2026-01-31"},
		{"2018-02-25 12:34:56 +0000", DateOrderUnknown, "2018-02-25"},
		{"2026-01-31T07:30:04Z", DateOrderUnknown, "2026-01-31"},
		{"22.02.18", DateOrderUnknown, "2018-02-22"},
		{"02.03.2018", DateOrderMDY, "2018-03-02"}, // dotted dates are day-first
		{"3/18/2016", DateOrderMDY, "2016-03-18"},
		{"18/3/2016", DateOrderDMY, "2016-03-18"},
		{"01/04/23", DateOrderDMY, "2023-04-01"},
		{"12-Dec-2019", DateOrderUnknown, "2019-12-12"},
		{"27 Feb 2018", DateOrderUnknown, "2018-02-27"},
		{"7 Feb 2026, 17:13", DateOrderUnknown, "2026-02-07"},
		{"Feb 7, 2026", DateOrderUnknown, "2026-02-07"},
		{"3 Mär 2026", DateOrderUnknown, "2026-03-03"},
		{"20260105", DateOrderUnknown, "2026-01-05"},
		{"46082", DateOrderUnknown, "2026-03-01"},
		{"45045.5", DateOrderUnknown, "2023-04-29"},
		{"05/05/2026", DateOrderUnknown, "2026-05-05"}, // same both ways
		{"03/04/2026", DateOrderUnknown, ""},
		{"31/02/2026", DateOrderDMY, ""},
		{"Pending", DateOrderDMY, ""},
		{"", DateOrderDMY, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			is := is.New(t)
			d, ok := ParseDate(tt.in, tt.order)
			if tt.want == "" {
				is.True(!ok)
				return
			}
			is.True(ok)
			is.Equal(d.String(), tt.want)
		})
	}
}

func TestDateOrderInference(t *testing.T) {
	tests := []struct {
		name  string
		cells []string
		want  DateOrder
		err   string
	}{
		{"day above 12", []string{"01/02/2026", "13/02/2026"}, DateOrderDMY, ""},
		{"month-first US", []string{"3/18/2016", "3/6/2016"}, DateOrderMDY, ""},
		{"sorted only day-first", []string{"01/02/2026", "02/01/2026", "03/01/2026"}, DateOrderMDY, ""},
		{"short span wins", []string{"01/02/2026", "03/02/2026", "05/02/2026"}, DateOrderDMY, ""},
		{"iso only", []string{"2026-01-02", "2026-03-04"}, DateOrderDMY, ""},
		{"serials settle a text date", []string{"45017", "45019", "05/04/2023", "45022"}, DateOrderDMY, ""},
		{"truly ambiguous", []string{"01/02/2026", "03/04/2026", "02/01/2026"}, DateOrderUnknown, CodeDateAmbiguous},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			var di dateInference
			for _, c := range tt.cells {
				di.observe(c)
			}
			o, err := di.order()
			if tt.err != "" {
				is.Equal(scale.CodeOf(err), tt.err)
				return
			}
			is.NoErr(err)
			is.Equal(o, tt.want)
		})
	}
}

func TestParseDateOrder(t *testing.T) {
	is := is.New(t)
	for in, want := range map[string]DateOrder{"DD/MM/YYYY": DateOrderDMY, "MM/DD/YY": DateOrderMDY, "YYYY-MM-DD": DateOrderYMD,
		"%d.%m.%Y": DateOrderDMY, "dmy": DateOrderDMY, "": DateOrderUnknown} {
		got, ok := ParseDateOrder(in)
		is.True(ok)
		is.Equal(got, want)
	}
	_, ok := ParseDateOrder("whenever")
	is.True(!ok)
}

func TestNeutralizeFormula(t *testing.T) {
	is := is.New(t)
	for in, want := range map[string]string{"=SUM(A1)": "'=SUM(A1)", "+1": "'+1", "-2": "'-2", "@cmd": "'@cmd",
		"\tx": "'\tx", "plain": "plain", "": "", "1=1": "1=1"} {
		is.Equal(NeutralizeFormula(in), want)
	}
}

func TestCategoryFromText(t *testing.T) {
	is := is.New(t)
	is.Equal(CategoryFromText("Food"), scale.CategoryID("food"))
	is.True(scale.IsDefaultCategory(CategoryFromText(" TRANSPORT ")))
	is.Equal(CategoryFromText("Eating out"), scale.CategoryID("eating-out"))
	is.Equal(CategoryFromText("Medien & Elektronik"), scale.CategoryID("medien-elektronik"))
	is.Equal(CategoryFromText("  "), scale.CategoryID(""))
	is.True(len(CategoryFromText(strings.Repeat("ab ", 100))) <= 66)
}

func TestMinorUnits(t *testing.T) {
	is := is.New(t)
	v, err := MinorUnits(-26808900, "EUR")
	is.NoErr(err)
	is.Equal(v, int64(-268089))
	v, err = MinorUnits(5000000, "JPY")
	is.NoErr(err)
	is.Equal(v, int64(500))
	v, err = MinorUnits(12345, "KWD")
	is.True(err != nil) // 1.2345 KWD has 4 decimals
	v, err = MinorUnits(12340, "KWD")
	is.NoErr(err)
	is.Equal(v, int64(1234))
	_, err = MinorUnits(1, "EUR")
	is.True(err != nil)
}

func TestNormalizeDescription(t *testing.T) {
	is := is.New(t)
	is.Equal(NormalizeDescription("  ACME INC \t  DIRECT\u00a0DEP\u200b "), "acme inc direct dep")
	is.Equal(NormalizeDescription("Café ÉLAN 0042"), "café élan 0042")
	is.Equal(NormalizeDescription("\xff"), "\ufffd")
}

func TestMatchHeaderLayouts(t *testing.T) {
	tests := []struct {
		bank   string
		header string // ';'-separated
		date   int
		amount int // -1: split debit/credit
		debit  int
		credit int
		desc   int
		cur    scale.Currency
	}{
		{"Crédit Agricole", "Date;Libellé;Débit euros;Crédit euros", 0, -1, 2, 3, 1, "EUR"},
		{"Postbank", "Buchungstag;Wertstellung;Umsatzart;Buchungsdetails;Auftraggeber;Empfänger;Betrag (€);Saldo (€)", 0, 6, -1, -1, 3, "EUR"},
		{"ING DE", "Buchung;Valuta;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;Saldo;Währung;Betrag;Währung", 0, 7, -1, -1, 4, ""},
		{"Lloyds", "Transaction Date;Transaction Type;Sort Code;Account Number;Transaction Description;Debit Amount;Credit Amount;Balance", 0, -1, 5, 6, 4, ""},
		{"Starling", "Date;Counter Party;Reference;Type;Amount (GBP);Balance (GBP);Spending Category;Notes", 0, 4, -1, -1, 2, "GBP"},
		{"Wise", "TransferWise ID;Date;Amount;Currency;Description;Payment Reference;Running Balance", 1, 2, -1, -1, 4, ""},
		{"BNP", "Date opération;Catégorie opération;Sous Catégorie opération;Libellé opération;Montant opération", 0, 4, -1, -1, 3, ""},
		{"ICICI", " ;S No.;Value Date;Transaction Date;Cheque Number;Transaction Remarks;Withdrawal Amount (INR );Deposit Amount (INR );Balance (INR )", 3, -1, 6, 7, 5, "INR"},
	}
	for _, tt := range tests {
		t.Run(tt.bank, func(t *testing.T) {
			is := is.New(t)
			l, ok := matchHeader(strings.Split(tt.header, ";"))
			is.True(ok)
			is.Equal(l.cols[roleDate], tt.date)
			is.Equal(l.cols[roleAmount], tt.amount)
			is.Equal(l.cols[roleDebit], tt.debit)
			is.Equal(l.cols[roleCredit], tt.credit)
			is.Equal(l.cols[roleDescription], tt.desc)
			is.Equal(l.headerCur, tt.cur)
		})
	}
}

func TestCSVQuirks(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		n    int
		sum  int64
	}{
		{"excel sep hint", "sep=;\nDatum;Text;Betrag\n01.02.2026;Miete;-950,00\n", 1, -9500000},
		{"bom and quoted header", "\ufeff\"Date\",\"Description\",\"Amount\"\r\n\"2026-02-01\",\"Rent\",\"-950.00\"\r\n", 1, -9500000},
		{"soll/haben indicator", "Buchungstag;Text;Umsatz;Soll/Haben\n01.02.2026;Miete;950,00;S\n02.02.2026;Lohn;2.000,00;H\n", 2, 10500000},
		{"trailing minus", "Date;Description;Amount\n01.02.2026;Rent;950,00-\n", 1, -9500000},
		{"tab separated", "Date\tDescription\tAmount\n2026-02-01\tRent\t-950.00\n", 1, -9500000},
		{"repeated header mid-file", "Date,Description,Amount\n2026-02-01,Rent,-950.00\nDate,Description,Amount\n2026-02-02,Tea,-2.00\n", 2, -9520000},
		{"CR line ends", "Date,Description,Amount\r2026-02-01,Rent,-950.00\r2026-02-02,Tea,-2.00\r", 2, -9520000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			_, recs, err := readAll(strings.NewReader(tt.csv), Options{})
			is.NoErr(err)
			got := tallyOf(recs)
			is.Equal(got.ok, tt.n)
			is.Equal(got.sum, tt.sum)
		})
	}
}

func TestStrayNULRejectsItsRow(t *testing.T) {
	is := is.New(t)
	csv := "Date,Description,Amount\n2024-03-01,COFFEE,-3.50\n2024-03-02,BRO\x00KEN,-1.00\n2024-03-03,RENT,-500.00\n"
	_, recs, err := readAll(strings.NewReader(csv), Options{})
	is.NoErr(err)
	is.Equal(tallyOf(recs), tally{ok: 2, rejected: []int{3}, sum: -5035000})
	_, err = Detect([]byte("Date,Amount\n\x00\x00\x01\x02binary\x00data\x00\x00"))
	is.Equal(scale.CodeOf(err), CodeFormatUnsupported) // many NULs: not text
}

func TestExcelTextFormulas(t *testing.T) {
	is := is.New(t)
	csv := "Date,Description,Amount,Reference\n" +
		"=\"13/01/2024\",\"Coffee\",=\"-3.50\",=\"000123\"\n" +
		"=\"14/01/2024\",\"Salary\",=\"2000.00\",=\"000124\"\n" +
		"=\"02/02/2024\",\"=HYPERLINK(\"\"x\"\")\",=\"-29.99\",=\"000125\"\n"
	_, recs, err := readAll(strings.NewReader(csv), Options{})
	is.NoErr(err)
	is.Equal(tallyOf(recs), tally{ok: 3, sum: 19665100})
	is.Equal(recs[0].Raw["Reference"], "000123")      // leading zeros kept
	is.Equal(recs[2].Description, `=HYPERLINK("x")`)  // a real formula stays text
	is.Equal(unwrapExcelText(`="a"&"b"`), `="a"&"b"`) // not one text
	is.Equal(unwrapExcelText(`="say ""hi"""`), `say "hi"`)
}

func TestUnreadableDateAndAmountIsRejected(t *testing.T) {
	is := is.New(t)
	csv := "Date,Description,Amount\n2024-01-13,Coffee,-3.50\n#2024-01-14#,Broken,#-1.00#\n-----,-----,-----\n"
	_, recs, err := readAll(strings.NewReader(csv), Options{})
	is.NoErr(err)
	is.Equal(tallyOf(recs), tally{ok: 1, rejected: []int{3}, sum: -35000}) // the separator line is not a row
}

func TestTrailingNULPadding(t *testing.T) {
	is := is.New(t)
	csv := "Date,Description,Amount\n2024-03-01,COFFEE,-3.50\n2024-03-03,RENT,-500.00\n" + strings.Repeat("\x00", 700)
	_, recs, err := readAll(strings.NewReader(csv), Options{})
	is.NoErr(err) // padding after the text is not binary data
	is.Equal(tallyOf(recs), tally{ok: 2, sum: -5035000})
}

func TestDatesWithMonthNamesInLanguages(t *testing.T) {
	for in, want := range map[string]scale.Date{
		"2 avr. 2024":        {Year: 2024, Month: time.April, Day: 2},
		"5. März 2024":       {Year: 2024, Month: time.March, Day: 5},
		"2. Apr. 2024":       {Year: 2024, Month: time.April, Day: 2},
		"5 de marzo de 2024": {Year: 2024, Month: time.March, Day: 5},
		"5 de março de 2024": {Year: 2024, Month: time.March, Day: 5},
		"18 mars 2024":       {Year: 2024, Month: time.March, Day: 18},
	} {
		is := is.New(t)
		got, ok := ParseDate(in, DateOrderUnknown)
		is.True(ok)         // in
		is.Equal(got, want) // in
	}
}

func TestAmountsWithoutLeadingZero(t *testing.T) {
	is := is.New(t)
	for in, want := range map[string]int64{".50": 5000, "-.50": -5000, "+.5": 5000} {
		got, _, err := ParseAmount(in, false)
		is.NoErr(err)
		is.Equal(got, want) // in
	}
	got, _, err := ParseAmount("-,75", true)
	is.NoErr(err)
	is.Equal(got, int64(-7500))
}
