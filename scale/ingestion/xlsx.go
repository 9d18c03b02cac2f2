package ingestion

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// encryptionInfoName is the UTF-16LE directory name of the stream an
// encrypted OOXML package carries inside its OLE2 container.
var encryptionInfoName = []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00")

// openXLSX checks a workbook cheaply (size, encryption, zip directory,
// declared sheet dimensions) before handing it to excelize, then streams
// the first sheet that has a header row.
func openXLSX(src Source, opt Options) (Reader, error) {
	lim := opt.Limits.withDefaults()
	size, err := src.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, scale.Internal(err, CodeFileInvalid)
	}
	if size > lim.MaxWorkbookBytes {
		return nil, scale.E(scale.KindTooLarge, CodeWorkbookTooLarge, "The workbook is larger than %d MiB.", lim.MaxWorkbookBytes>>20)
	}
	head := make([]byte, 8)
	if _, err := src.ReadAt(head, 0); err != nil {
		return nil, scale.Invalid(CodeFileInvalid, "The workbook is damaged.")
	}
	data := make([]byte, size)
	if _, err := src.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, scale.Internal(err, CodeFileInvalid)
	}
	if bytes.Equal(head, magicCFB) {
		if data, err = decryptWorkbook(opt.Decoders, data, opt.Password); err != nil {
			return nil, err
		}
	}
	// The same cheap checks for a plain and a decrypted package.
	pkg, err := checkZip(bytes.NewReader(data), int64(len(data)), lim)
	if err != nil {
		return nil, err
	}
	xmlLimit := min(lim.MaxUncompressedBytes, 16<<20)
	f, err := opt.Decoders.OpenWorkbook(data, ports.WorkbookOptions{
		MaxUncompressedBytes: lim.MaxUncompressedBytes, MaxXMLBytes: xmlLimit, TempDir: opt.TempDir,
	})
	data = nil
	if err != nil {
		switch {
		case errors.Is(err, ports.ErrWorkbookPassword):
			return nil, scale.Wrap(err, scale.KindInvalid, CodePasswordInvalid, "The password does not open this workbook.")
		case errors.Is(err, ports.ErrWorkbookTooLarge):
			return nil, scale.Wrap(err, scale.KindTooLarge, CodeWorkbookTooLarge, "The workbook unpacks to more data than allowed.")
		}
		return nil, scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The workbook is damaged or not an XLSX file.")
	}
	t, err := statementOf(f, pkg, opt)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return t, nil
}

// sheetTable is one sheet read as a statement.
type sheetTable struct {
	t     *table
	src   *xlsxSource
	sheet string
}

// statementOf picks the sheet that holds the statement: the one sheet with
// a header row and a transaction under it (a cover, notes or summary
// sheet — even one with a header over a closing balance — does not
// count), else the first sheet with a header (an empty statement). Two
// sheets with transactions may be two accounts: the workbook is refused
// (ingestion.several_statements) rather than half imported.
func statementOf(f ports.Workbook, pkg workbookFacts, opt Options) (*table, error) {
	var lastErr error = scale.Invalid(CodeNoTransactions, "The workbook has no sheets.")
	var chosen, empty *sheetTable
	release := func(st *sheetTable) {
		if st != nil {
			_ = st.src.closeRows()
		}
	}
	for _, sheet := range f.Sheets() {
		xs := &xlsxSource{f: f, sheet: sheet}
		if pkg.date1904 {
			xs.shift = date1904Shift
		}
		if err := xs.rewind(); err != nil {
			lastErr = err
			continue
		}
		t, err := newTable(xs, FormatXLSX, true, false, opt)
		if err != nil {
			_ = xs.closeRows()
			lastErr = err
			if scale.CodeOf(err) != CodeHeaderNotFound {
				break
			}
			continue
		}
		st := &sheetTable{t: t, src: xs, sheet: sheet}
		has := t.hasTransaction()
		switch {
		case has && chosen != nil:
			release(chosen)
			release(empty)
			release(st)
			return nil, scale.Invalid(CodeSeveralStatements,
				"The workbook holds statements on more than one sheet (%q and %q); save each sheet as its own file and import them one by one, so that each goes to its account.",
				clip(chosen.sheet, 40), clip(sheet, 40))
		case has:
			chosen = st
		case empty == nil:
			empty = st
		default:
			release(st)
		}
	}
	if chosen == nil {
		chosen, empty = empty, nil
	}
	release(empty)
	if chosen == nil {
		return nil, lastErr
	}
	if err := chosen.t.restart(); err != nil {
		release(chosen)
		return nil, err
	}
	return chosen.t, nil
}

// decryptWorkbook opens an OLE2 compound file: an ECMA-376 encrypted
// workbook (it has an EncryptionInfo stream) is decrypted with password; a
// legacy BIFF .xls is refused.
func decryptWorkbook(dec ports.StatementDecoders, data []byte, password string) ([]byte, error) {
	if !bytes.Contains(data, encryptionInfoName) {
		return nil, scale.Invalid(CodeFormatUnsupported,
			"Legacy Excel 97-2003 (.xls) workbooks are not supported; save the statement as .xlsx or CSV.")
	}
	if password == "" {
		return nil, scale.Invalid(CodePasswordRequired, "The workbook is protected by a password; provide the password.")
	}
	plain, err := dec.DecryptWorkbook(data, password)
	switch {
	case errors.Is(err, ports.ErrWorkbookPassword):
		return nil, scale.Wrap(err, scale.KindInvalid, CodePasswordInvalid, "The password does not open this workbook.")
	case err != nil || len(plain) == 0:
		return nil, scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The workbook is damaged or not a protected XLSX file.")
	}
	if _, err := zip.NewReader(bytes.NewReader(plain), int64(len(plain))); err != nil {
		// A wrong key decrypts to noise: that is how a wrong password shows.
		return nil, scale.Wrap(err, scale.KindInvalid, CodePasswordInvalid, "The password does not open this workbook.")
	}
	return plain, nil
}

var dimensionRef = regexp.MustCompile(`<(?:\w+:)?dimension\s+ref="([A-Za-z]*)(\d*)(?::([A-Za-z]+)(\d+))?"`)

// workbookFacts is what checkZip learns about a package on the way.
type workbookFacts struct {
	// date1904: the workbook counts date serials from 1904 (older Mac
	// Excel), 1,462 days after the 1900 system.
	date1904 bool
}

// date1904Shift turns a 1904-system date serial into a 1900-system one.
const date1904Shift = 1462

var date1904Attr = regexp.MustCompile(`<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"`)

// checkZip refuses zip bombs and giant sheets from the zip directory and the
// first bytes of each sheet, before anything is decompressed in bulk. The
// declared sizes are binding: archive/zip fails a read that goes past them.
// A sheet whose XML stops before its end (a truncated part) is damaged.
func checkZip(src io.ReaderAt, size int64, lim Limits) (facts workbookFacts, err error) {
	zr, err := zip.NewReader(src, size)
	if err != nil {
		return facts, scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The workbook is damaged or not an XLSX file.")
	}
	if len(zr.File) > lim.MaxZipEntries {
		return facts, scale.E(scale.KindTooLarge, CodeWorkbookTooLarge, "The workbook has too many parts.")
	}
	var total uint64
	hasWorkbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(lim.MaxUncompressedBytes) || f.UncompressedSize64 > uint64(lim.MaxUncompressedBytes) {
			return facts, scale.E(scale.KindTooLarge, CodeWorkbookTooLarge, "The workbook unpacks to more than %d MiB.", lim.MaxUncompressedBytes>>20)
		}
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if name == "xl/workbook.xml" {
			hasWorkbook = true
			facts.date1904 = declares1904(f)
		}
	}
	if !hasWorkbook {
		return facts, scale.Invalid(CodeFormatUnsupported, "The file is a zip archive but not an XLSX workbook.")
	}
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if !strings.HasPrefix(name, "xl/worksheets/") || !strings.HasSuffix(name, ".xml") {
			continue
		}
		cells, err := declaredCells(f)
		if err != nil {
			return facts, scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The workbook is damaged.")
		}
		if cells > lim.MaxCells {
			return facts, scale.E(scale.KindTooLarge, CodeWorkbookTooLarge, "A sheet of the workbook declares more than %d cells.", lim.MaxCells)
		}
		if err := scanSheet(f, lim); err != nil {
			return facts, err
		}
	}
	return facts, nil
}

// declares1904 reports a workbook part that sets the 1904 date system.
func declares1904(f *zip.File) bool {
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	head, _ := io.ReadAll(io.LimitReader(rc, 64<<10))
	return date1904Attr.Match(head)
}

// declaredCells reads the <dimension ref="A1:XFD1048576"/> of one sheet
// from its first 16 KiB and returns rows × columns (0 when absent).
func declaredCells(f *zip.File) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	head, err := io.ReadAll(io.LimitReader(rc, 16<<10))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return 0, err
	}
	m := dimensionRef.FindSubmatch(head)
	if m == nil || len(m[3]) == 0 {
		return 0, nil
	}
	c1, r1 := colNumber(string(m[1])), atoi64(string(m[2]))
	c2, r2 := colNumber(string(m[3])), atoi64(string(m[4]))
	rows, cols := r2-r1+1, c2-c1+1
	if rows < 1 || cols < 1 {
		return 0, nil
	}
	if rows > 1<<40 || cols > 1<<40 {
		return 1 << 62, nil
	}
	return rows * cols, nil
}

func colNumber(s string) int64 {
	var n int64
	for _, c := range strings.ToUpper(s) {
		if c < 'A' || c > 'Z' || n > 1<<40 {
			return n
		}
		n = n*26 + int64(c-'A'+1)
	}
	return n
}

func atoi64(s string) int64 {
	if len(s) > 15 {
		return 1 << 50
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// xlsxSource streams one sheet's rows with raw cell values.
type xlsxSource struct {
	f     ports.Workbook
	sheet string
	rows  ports.SheetRows
	n     int
	// shift is added to date serials (date1904Shift in a 1904 workbook).
	shift int
}

// serialShift tells the table how to read the sheet's date serials.
func (x *xlsxSource) serialShift() int { return x.shift }

func (x *xlsxSource) rewind() error {
	_ = x.closeRows()
	rows, err := x.f.Rows(x.sheet)
	if err != nil {
		return scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The workbook's sheet could not be read.")
	}
	x.rows, x.n = rows, 0
	return nil
}

func (x *xlsxSource) next() ([]string, int, error) {
	if !x.rows.Next() {
		if err := x.rows.Err(); err != nil {
			return nil, 0, scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The workbook's sheet could not be read.")
		}
		return nil, 0, io.EOF
	}
	x.n++
	cells, err := x.rows.Columns()
	if err != nil {
		return nil, 0, scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The workbook's sheet could not be read.")
	}
	return cells, x.n, nil
}

func (x *xlsxSource) closeRows() error {
	if x.rows == nil {
		return nil
	}
	err := x.rows.Close()
	x.rows = nil
	return err
}

func (x *xlsxSource) close() error {
	_ = x.closeRows()
	return x.f.Close()
}

var (
	cellRefAttr = []byte(` r="`)
	rowOpen     = []byte(`<row `)
	rowOpenBare = []byte(`<row>`)
)

// scanSheet streams one sheet's XML once, without parsing it, and refuses
// a sheet with more rows than Limits.MaxRows or a cell beyond
// Limits.MaxColumns: the XLSX library would allocate every blank cell up to
// a far-right cell of every row, so a small, highly compressed sheet with
// one cell at column XFD per row costs it gigabytes. A sheet without a
// <dimension> is caught here too.
func scanSheet(f *zip.File, lim Limits) error {
	rc, err := f.Open()
	if err != nil {
		return scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The workbook is damaged.")
	}
	defer rc.Close()
	const keep = 32
	chunk := make([]byte, 256<<10)
	data := make([]byte, 0, len(chunk)+keep)
	rows := 0
	for {
		n, rerr := io.ReadFull(rc, chunk)
		data = append(data, chunk[:n]...)
		final := rerr != nil
		limit := len(data)
		if !final {
			limit -= keep
		}
		for i := 0; i < limit; {
			j := bytes.Index(data[i:], cellRefAttr)
			if j < 0 || i+j >= limit {
				break
			}
			i += j + len(cellRefAttr)
			col := int64(0)
			for k := i; k < len(data) && k < i+8 && data[k] >= 'A' && data[k] <= 'Z'; k++ {
				col = col*26 + int64(data[k]-'A'+1)
			}
			if col > int64(lim.MaxColumns) {
				return scale.E(scale.KindTooLarge, CodeWorkbookTooLarge, "A sheet of the workbook uses more than %d columns.", lim.MaxColumns)
			}
		}
		rows += countBefore(data, rowOpen, limit) + countBefore(data, rowOpenBare, limit)
		if rows > lim.MaxRows {
			return scale.E(scale.KindTooLarge, CodeTooManyRows, "A sheet of the workbook has more than %d rows.", lim.MaxRows)
		}
		if final {
			if !errors.Is(rerr, io.EOF) && !errors.Is(rerr, io.ErrUnexpectedEOF) {
				return scale.Wrap(rerr, scale.KindInvalid, CodeFileInvalid, "The workbook is damaged.")
			}
			if !closesWorksheet(data) {
				return scale.Invalid(CodeFileInvalid, "The workbook is damaged: a sheet stops before its end.")
			}
			return nil
		}
		data = append(data[:0], data[limit:]...)
	}
}

// closesWorksheet reports whether a sheet's XML ends with its closing
// </worksheet> tag (with any namespace prefix): a truncated part does not,
// and the XLSX library would read its first rows and stop without a word.
func closesWorksheet(tail []byte) bool {
	t := bytes.TrimRight(tail, " \t\r\n\x00")
	if !bytes.HasSuffix(t, []byte("worksheet>")) {
		return false
	}
	open := bytes.LastIndex(t, []byte("</"))
	return open >= 0 && bytes.IndexByte(t[open:], ' ') < 0
}

// countBefore counts occurrences of pat in data that start before limit.
func countBefore(data, pat []byte, limit int) int {
	n := 0
	for i := 0; i < limit; {
		j := bytes.Index(data[i:], pat)
		if j < 0 || i+j >= limit {
			break
		}
		n++
		i += j + len(pat)
	}
	return n
}
