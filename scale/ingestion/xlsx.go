package ingestion

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/scalehq/scale/scale"
	"github.com/xuri/excelize/v2"
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
	if bytes.Equal(head, magicCFB) {
		enc, err := containsAt(src, size, encryptionInfoName)
		if err != nil {
			return nil, scale.Internal(err, CodeFileInvalid)
		}
		if !enc {
			return nil, scale.Invalid(CodeFormatUnsupported,
				"Legacy Excel 97-2003 (.xls) workbooks are not supported; save the statement as .xlsx or CSV.")
		}
		if opt.Password == "" {
			return nil, scale.Invalid(CodePasswordRequired, "The workbook is protected by a password; provide the password.")
		}
	} else if err := checkZip(src, size, lim); err != nil {
		return nil, err
	}
	data := make([]byte, size)
	if _, err := src.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, scale.Internal(err, CodeFileInvalid)
	}
	xmlLimit := min(lim.MaxUncompressedBytes, 16<<20)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		Password: opt.Password, UnzipSizeLimit: lim.MaxUncompressedBytes, UnzipXMLSizeLimit: xmlLimit, TmpDir: opt.TempDir,
	})
	data = nil
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		switch {
		case errors.Is(err, excelize.ErrWorkbookPassword):
			return nil, scale.Wrap(err, scale.KindInvalid, CodePasswordInvalid, "The password does not open this workbook.")
		case strings.Contains(err.Error(), "unzip size limit"):
			return nil, scale.Wrap(err, scale.KindTooLarge, CodeWorkbookTooLarge, "The workbook unpacks to more data than allowed.")
		}
		return nil, scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The workbook is damaged or not an XLSX file.")
	}
	var lastErr error = scale.Invalid(CodeNoTransactions, "The workbook has no sheets.")
	for _, sheet := range f.GetSheetList() {
		xs := &xlsxSource{f: f, sheet: sheet}
		if err := xs.rewind(); err != nil {
			lastErr = err
			continue
		}
		t, err := newTable(xs, FormatXLSX, true, false, opt)
		if err == nil {
			return t, nil
		}
		_ = xs.closeRows()
		lastErr = err
		if scale.CodeOf(err) != CodeHeaderNotFound {
			break
		}
	}
	_ = f.Close()
	return nil, lastErr
}

// containsAt reports whether the file holds needle, reading in chunks.
func containsAt(r io.ReaderAt, size int64, needle []byte) (bool, error) {
	const chunk = 64 << 10
	buf := make([]byte, chunk+len(needle))
	for off := int64(0); off < size; off += chunk {
		n, err := r.ReadAt(buf, off)
		if bytes.Contains(buf[:n], needle) {
			return true, nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return false, err
		}
	}
	return false, nil
}

var dimensionRef = regexp.MustCompile(`<(?:\w+:)?dimension\s+ref="([A-Za-z]*)(\d*)(?::([A-Za-z]+)(\d+))?"`)

// checkZip refuses zip bombs and giant sheets from the zip directory and the
// first bytes of each sheet, before anything is decompressed in bulk. The
// declared sizes are binding: archive/zip fails a read that goes past them.
func checkZip(src io.ReaderAt, size int64, lim Limits) error {
	zr, err := zip.NewReader(src, size)
	if err != nil {
		return scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The workbook is damaged or not an XLSX file.")
	}
	if len(zr.File) > lim.MaxZipEntries {
		return scale.E(scale.KindTooLarge, CodeWorkbookTooLarge, "The workbook has too many parts.")
	}
	var total uint64
	hasWorkbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(lim.MaxUncompressedBytes) || f.UncompressedSize64 > uint64(lim.MaxUncompressedBytes) {
			return scale.E(scale.KindTooLarge, CodeWorkbookTooLarge, "The workbook unpacks to more than %d MiB.", lim.MaxUncompressedBytes>>20)
		}
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if name == "xl/workbook.xml" {
			hasWorkbook = true
		}
	}
	if !hasWorkbook {
		return scale.Invalid(CodeFormatUnsupported, "The file is a zip archive but not an XLSX workbook.")
	}
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if !strings.HasPrefix(name, "xl/worksheets/") || !strings.HasSuffix(name, ".xml") {
			continue
		}
		cells, err := declaredCells(f)
		if err != nil {
			return scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The workbook is damaged.")
		}
		if cells > lim.MaxCells {
			return scale.E(scale.KindTooLarge, CodeWorkbookTooLarge, "A sheet of the workbook declares more than %d cells.", lim.MaxCells)
		}
	}
	return nil
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
	f     *excelize.File
	sheet string
	rows  *excelize.Rows
	n     int
}

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
		if err := x.rows.Error(); err != nil {
			return nil, 0, scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The workbook's sheet could not be read.")
		}
		return nil, 0, io.EOF
	}
	x.n++
	cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
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
