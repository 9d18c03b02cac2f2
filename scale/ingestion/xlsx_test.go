package ingestion

import (
	"archive/zip"
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/matryer/is"
	"github.com/scalehq/scale/scale"
	"github.com/xuri/excelize/v2"
)

// iciciWorkbook builds an ICICI-style statement: metadata rows, an empty
// first column, real date cells (serials), numeric amounts, a text date,
// and a legend block after the last transaction.
func iciciWorkbook(t *testing.T, password string) []byte {
	t.Helper()
	is := is.New(t)
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	set := func(cell string, v any) { is.NoErr(f.SetCellValue(sh, cell, v)) }
	set("B2", "DETAILED STATEMENT")
	set("B4", "Account Number")
	set("C4", "000000000000 ( INR ) - JANE DOE")
	set("B6", "Transaction Date from")
	set("C6", "01/04/2023")
	hdr := []string{"S No.", "Value Date", "Transaction Date", "Cheque Number", "Transaction Remarks",
		"Withdrawal Amount (INR )", "Deposit Amount (INR )", "Balance (INR )"}
	for i, h := range hdr {
		cell, _ := excelize.CoordinatesToCellName(i+2, 12)
		set(cell, h)
	}
	day := func(d int) time.Time { return time.Date(2023, 4, d, 0, 0, 0, 0, time.UTC) }
	rows := [][]any{
		{1, day(1), day(1), "", "UPI/000000000001/Rent/john@okicici", 25000.0, 0.0, 75000.0},
		{2, day(3), day(3), "", "NEFT-EMPLOYER PVT LTD-SALARY", 0.0, 135000.5, 210000.5},
		{3, day(5), "05/04/2023", "", "=SUM(A1:A9)", 1234.57, "", 208765.93},
		{4, day(6), day(6), "", "Pending card auth", "", "", 208765.93},
	}
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+2, 13+r)
			set(cell, v)
		}
	}
	set("B19", "Legend :")
	set("C19", "IMPS : Immediate Payment Service")
	var buf bytes.Buffer
	is.NoErr(f.Write(&buf, excelize.Options{Password: password}))
	return buf.Bytes()
}

func TestParseXLSX(t *testing.T) {
	is := is.New(t)
	r, recs, err := readAll(bytes.NewReader(iciciWorkbook(t, "")), Options{})
	is.NoErr(err)
	is.Equal(r.Format(), FormatXLSX)
	is.Equal(r.Currency(), scale.Currency("INR"))
	got := tallyOf(recs)
	is.Equal(got.ok, 3)
	is.Equal(got.rejected, []int{16}) // the row without an amount
	is.Equal(got.sum, int64(-25000_0000+135000_5000-1234_5700))
	is.Equal(recs[0].Date, scale.Date{Year: 2023, Month: 4, Day: 1})
	is.Equal(recs[2].Date, scale.Date{Year: 2023, Month: 4, Day: 5}) // text date in a date column
	is.Equal(recs[2].Description, "=SUM(A1:A9)")                     // formula-like text stored as is
	is.Equal(recs[0].Line, 13)
}

func TestParseXLSXEncrypted(t *testing.T) {
	is := is.New(t)
	data := iciciWorkbook(t, "s3cret")
	is.True(bytes.HasPrefix(data, magicCFB))

	_, _, err := readAll(bytes.NewReader(data), Options{})
	is.Equal(scale.CodeOf(err), CodePasswordRequired)
	is.Equal(scale.KindOf(err), scale.KindInvalid)

	_, _, err = readAll(bytes.NewReader(data), Options{Password: "wrong"})
	is.Equal(scale.CodeOf(err), CodePasswordInvalid)
	is.Equal(scale.KindOf(err), scale.KindInvalid)

	_, recs, err := readAll(bytes.NewReader(data), Options{Password: "s3cret"})
	is.NoErr(err)
	is.Equal(tallyOf(recs).ok, 3)
}

// zipOf builds a zip archive from name → content.
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} {
		if c, ok := files[name]; ok {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = w.Write([]byte(c))
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseXLSXHostile(t *testing.T) {
	plain := iciciWorkbook(t, "")
	// A zip entry whose declared uncompressed size is 8 GiB: refused from
	// the directory alone, nothing is inflated.
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	for _, n := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(n)
		_, _ = w.Write([]byte("<x/>"))
	}
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: 2, UncompressedSize64: 8 << 30})
	_, _ = w.Write([]byte{0x03, 0x00})
	_ = zw.Close()
	// A real compressible bomb against a small limit.
	zeros := strings.Repeat("0", 2<<20)
	smallBomb := zipOf(t, map[string]string{"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<x/>", "xl/worksheets/sheet1.xml": zeros})
	hugeDim := zipOf(t, map[string]string{"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<x/>",
		"xl/worksheets/sheet1.xml": `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData/></worksheet>`})
	notWorkbook := zipOf(t, map[string]string{"[Content_Types].xml": "<x/>"})
	// No <dimension>, but one cell at column XFD in each row: the XLSX
	// library would allocate 16,384 cells per row.
	farRight := zipOf(t, map[string]string{"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<x/>",
		"xl/worksheets/sheet1.xml": `<worksheet><sheetData>` + strings.Repeat(`<row><c r="XFD1" t="n"><v>1</v></c></row>`, 1000) + `</sheetData></worksheet>`})
	manyRows := zipOf(t, map[string]string{"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<x/>",
		"xl/worksheets/sheet1.xml": `<worksheet><sheetData>` + strings.Repeat(`<row r="1"><c r="A1"><v>1</v></c></row>`, 5000) + `</sheetData></worksheet>`})
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	fakeEncrypted := append(append(append([]byte{}, magicCFB...), encryptionInfoName...), random...)
	legacyXLS := append(append([]byte{}, magicCFB...), random...)

	tests := []struct {
		name string
		data []byte
		opt  Options
		code string
		kind scale.Kind
	}{
		{"declared zip bomb", bomb.Bytes(), Options{}, CodeWorkbookTooLarge, scale.KindTooLarge},
		{"compressible bomb over the limit", smallBomb, Options{Limits: Limits{MaxUncompressedBytes: 1 << 20}}, CodeWorkbookTooLarge, scale.KindTooLarge},
		{"1M x 16K sheet", hugeDim, Options{}, CodeWorkbookTooLarge, scale.KindTooLarge},
		{"zip that is no workbook", notWorkbook, Options{}, CodeFormatUnsupported, scale.KindInvalid},
		{"cells far right without a dimension", farRight, Options{}, CodeWorkbookTooLarge, scale.KindTooLarge},
		{"more rows than the limit", manyRows, Options{Limits: Limits{MaxRows: 4000}}, CodeTooManyRows, scale.KindTooLarge},
		{"truncated workbook", plain[:len(plain)/2], Options{}, CodeFileInvalid, scale.KindInvalid},
		{"zip magic then garbage", append([]byte("PK\x03\x04"), random...), Options{}, CodeFileInvalid, scale.KindInvalid},
		{"fake encrypted without password", fakeEncrypted, Options{}, CodePasswordRequired, scale.KindInvalid},
		{"fake encrypted with password", fakeEncrypted, Options{Password: "x"}, CodeFileInvalid, scale.KindInvalid},
		{"legacy xls", legacyXLS, Options{}, CodeFormatUnsupported, scale.KindInvalid},
		{"random bytes", random, Options{}, CodeFormatUnsupported, scale.KindInvalid},
		{"workbook over the size limit", plain, Options{Limits: Limits{MaxWorkbookBytes: 1024}}, CodeWorkbookTooLarge, scale.KindTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			is := is.New(t)
			_, _, err := readAll(bytes.NewReader(tt.data), tt.opt)
			is.True(err != nil)
			is.Equal(scale.CodeOf(err), tt.code)
			is.Equal(scale.KindOf(err), tt.kind)
		})
	}
}

func TestCSVRenamedXLSX(t *testing.T) {
	is := is.New(t)
	csv := "Date,Description,Amount\n2026-01-01,x,-1.00\n"
	// Detection reads the bytes: a CSV is parsed as CSV whatever its name...
	r, recs, err := readAll(strings.NewReader(csv), Options{FileName: "statement.csv"})
	is.NoErr(err)
	is.Equal(r.Format(), FormatCSV)
	is.Equal(len(recs), 1)
	// ...but text named like a workbook is refused rather than guessed at.
	_, _, err = readAll(strings.NewReader(csv), Options{FileName: "statement.XLSX"})
	is.Equal(scale.CodeOf(err), CodeFormatMismatch)
	is.Equal(scale.KindOf(err), scale.KindInvalid)
	// A real workbook under any name is a workbook.
	r, _, err = readAll(bytes.NewReader(iciciWorkbook(t, "")), Options{FileName: "export.csv"})
	is.NoErr(err)
	is.Equal(r.Format(), FormatXLSX)
}

// statementWorkbook writes a workbook with one small statement per sheet
// name given.
func statementWorkbook(t *testing.T, sheets ...string) *excelize.File {
	t.Helper()
	is := is.New(t)
	f := excelize.NewFile()
	for i, sh := range sheets {
		if i == 0 {
			is.NoErr(f.SetSheetName("Sheet1", sh))
		} else {
			_, err := f.NewSheet(sh)
			is.NoErr(err)
		}
		is.NoErr(f.SetSheetRow(sh, "A1", &[]any{"Date", "Description", "Amount"}))
		is.NoErr(f.SetSheetRow(sh, "A2", &[]any{time.Date(2024, 10, 1, 0, 0, 0, 0, time.UTC), "Coffee", -10.0}))
		is.NoErr(f.SetSheetRow(sh, "A3", &[]any{time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC), "Refund", 20.0}))
	}
	return f
}

func workbookBytes(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	is.New(t).NoErr(f.Write(&buf))
	return buf.Bytes()
}

func TestXLSXDate1904(t *testing.T) {
	is := is.New(t)
	f := statementWorkbook(t, "Statement")
	date1904 := true
	is.NoErr(f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}))
	// Serials as a 1904-system workbook stores them: 1,462 days fewer.
	is.NoErr(f.SetCellValue("Statement", "A2", 45566-1462))
	is.NoErr(f.SetCellValue("Statement", "A3", 45580-1462))
	_, recs, err := readAll(bytes.NewReader(workbookBytes(t, f)), Options{})
	is.NoErr(err)
	is.Equal(len(recs), 2)
	is.Equal(recs[0].Date, scale.Date{Year: 2024, Month: time.October, Day: 1})
	is.Equal(recs[1].Date, scale.Date{Year: 2024, Month: time.October, Day: 15})
}

func TestXLSXSeveralStatementSheets(t *testing.T) {
	is := is.New(t)
	_, _, err := readAll(bytes.NewReader(workbookBytes(t, statementWorkbook(t, "Checking", "Savings"))), Options{})
	is.Equal(scale.CodeOf(err), CodeSeveralStatements) // not the first sheet alone, silently

	f := statementWorkbook(t, "Statement")
	_, err = f.NewSheet("Notes")
	is.NoErr(err)
	is.NoErr(f.SetCellValue("Notes", "A1", "Exported by online banking"))
	_, recs, err := readAll(bytes.NewReader(workbookBytes(t, f)), Options{})
	is.NoErr(err) // one statement and a sheet of notes
	is.Equal(len(recs), 2)
}

func TestXLSXTruncatedSheet(t *testing.T) {
	is := is.New(t)
	data := workbookBytes(t, statementWorkbook(t, "Statement"))
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	is.NoErr(err)
	files := map[string]string{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		is.NoErr(err)
		var b bytes.Buffer
		_, err = b.ReadFrom(rc)
		is.NoErr(err)
		files[zf.Name] = b.String()
	}
	sheet := files["xl/worksheets/sheet1.xml"]
	cut := strings.Index(sheet, `<row r="3"`)
	is.True(cut > 0)
	files["xl/worksheets/sheet1.xml"] = sheet[:cut+10]
	_, _, err = readAll(bytes.NewReader(zipOf(t, files)), Options{})
	is.Equal(scale.CodeOf(err), CodeFileInvalid) // not the rows before the cut
}

func TestXLSXSummarySheetBesideStatement(t *testing.T) {
	is := is.New(t)
	f := statementWorkbook(t, "Statement")
	_, err := f.NewSheet("Summary")
	is.NoErr(err)
	is.NoErr(f.SetSheetRow("Summary", "A1", &[]any{"Date", "Description", "Amount"}))
	is.NoErr(f.SetSheetRow("Summary", "A2", &[]any{"Total", "", 10.0})) // a header, but no transaction under it
	_, recs, err := readAll(bytes.NewReader(workbookBytes(t, f)), Options{})
	is.NoErr(err)
	is.Equal(len(recs), 2)
}

func TestXLSXCoverWithClosingBalance(t *testing.T) {
	is := is.New(t)
	f := statementWorkbook(t, "Cover", "Statement")
	is.NoErr(f.SetSheetRow("Cover", "A2", &[]any{time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC), "Closing balance", 1234.56}))
	is.NoErr(f.SetSheetRow("Cover", "A3", &[]any{nil, nil, nil}))
	is.NoErr(f.RemoveRow("Cover", 3))
	_, recs, err := readAll(bytes.NewReader(workbookBytes(t, f)), Options{})
	is.NoErr(err) // the cover's header sits over a balance, not a transaction
	is.Equal(len(recs), 2)
	is.Equal(recs[0].Description, "Coffee")
}
