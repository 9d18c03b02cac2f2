package statements

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/scalehq/scale/ports"
)

// Decoders implements ports.StatementDecoders. The zero value is ready.
type Decoders struct{}

var _ ports.StatementDecoders = Decoders{}

// New returns the decoders.
func New() Decoders { return Decoders{} }

// guard turns a decoder panic into an error.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("decoder failed: %v", r)
	}
}

// DecryptWorkbook implements ports.StatementDecoders.
func (Decoders) DecryptWorkbook(data []byte, password string) (plain []byte, err error) {
	defer guard(&err)
	plain, err = excelize.Decrypt(data, &excelize.Options{Password: password})
	if errors.Is(err, excelize.ErrWorkbookPassword) {
		return nil, ports.ErrWorkbookPassword
	}
	if err != nil {
		return nil, err
	}
	// A wrong key of the standard scheme decrypts to noise, not an error.
	if _, zerr := zip.NewReader(bytes.NewReader(plain), int64(len(plain))); zerr != nil {
		return nil, ports.ErrWorkbookPassword
	}
	return plain, nil
}

// OpenWorkbook implements ports.StatementDecoders.
func (Decoders) OpenWorkbook(data []byte, opt ports.WorkbookOptions) (wb ports.Workbook, err error) {
	defer guard(&err)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: opt.MaxUncompressedBytes, UnzipXMLSizeLimit: opt.MaxXMLBytes, TmpDir: opt.TempDir,
	})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		switch {
		case errors.Is(err, excelize.ErrWorkbookPassword):
			return nil, ports.ErrWorkbookPassword
		case strings.Contains(err.Error(), "unzip size limit"):
			return nil, ports.ErrWorkbookTooLarge
		}
		return nil, err
	}
	return workbook{f}, nil
}

type workbook struct{ f *excelize.File }

func (w workbook) Sheets() []string { return w.f.GetSheetList() }

func (w workbook) Rows(sheet string) (r ports.SheetRows, err error) {
	defer guard(&err)
	rows, err := w.f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	return sheetRows{rows}, nil
}

func (w workbook) Close() error { return w.f.Close() }

type sheetRows struct{ r *excelize.Rows }

func (s sheetRows) Next() (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return s.r.Next()
}

func (s sheetRows) Columns() (cells []string, err error) {
	defer guard(&err)
	return s.r.Columns(excelize.Options{RawCellValue: true})
}

func (s sheetRows) Err() error   { return s.r.Error() }
func (s sheetRows) Close() error { return s.r.Close() }
