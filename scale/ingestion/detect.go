package ingestion

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/scalehq/scale/scale"
)

var (
	magicZip = []byte("PK\x03\x04")
	magicCFB = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
	magicPDF = []byte("%PDF")
)

// Detect names the format of a file from its first bytes (at least the
// first 1 KiB when the file is that long), never from its name: a zip
// container or an OLE2 compound file is a workbook, text announcing OFX is
// OFX, other text is CSV. Binary data and PDFs are
// ingestion.format_unsupported.
func Detect(head []byte) (Format, error) {
	if len(head) == 0 {
		return "", scale.Invalid(CodeFileEmpty, "The file is empty.")
	}
	switch {
	case bytes.HasPrefix(head, magicZip), bytes.HasPrefix(head, magicCFB):
		return FormatXLSX, nil
	case bytes.HasPrefix(head, magicPDF):
		return "", scale.Invalid(CodeFormatUnsupported, "PDF statements are not supported; export the statement as CSV, XLSX or OFX.")
	}
	text := bytes.TrimLeft(bytes.TrimPrefix(head, bomUTF8), " \t\r\n")
	probe := bytes.ToUpper(text[:min(len(text), 1024)])
	if bytes.HasPrefix(probe, []byte("OFXHEADER")) || bytes.HasPrefix(probe, []byte("<OFX>")) ||
		(bytes.HasPrefix(probe, []byte("<?XML")) && bytes.Contains(probe, []byte("<?OFX"))) {
		return FormatOFX, nil
	}
	if bytes.HasPrefix(head, bomUTF16LE) || bytes.HasPrefix(head, bomUTF16BE) {
		return FormatCSV, nil
	}
	if _, ok := utf16WithoutBOM(head[:min(len(head), 4096)]); ok {
		return FormatCSV, nil
	}
	if binary(head) {
		return "", scale.Invalid(CodeFormatUnsupported, "The file is not a CSV, XLSX or OFX statement.")
	}
	return FormatCSV, nil
}

// workbookName reports whether a file name claims an Excel workbook.
func workbookName(name string) bool {
	ext := strings.ToLower(filepath.Ext(strings.TrimSpace(name)))
	return ext == ".xlsx" || ext == ".xlsm" || ext == ".xls"
}

func formatNoun(f Format) string {
	if f == FormatOFX {
		return "an OFX statement"
	}
	return "CSV text"
}

// binary reports whether head looks like binary data rather than text in
// any supported encoding: more than one NUL and more than one byte in a
// hundred NUL, or more than one in fifty a C0 control character. A stray
// NUL in a text statement (a broken export) leaves it text: the row that
// holds it is rejected.
func binary(head []byte) bool {
	head = bytes.TrimRight(head, "\x00") // NUL padding after the text (a cut or pre-allocated download)
	nul, ctl := 0, 0
	for _, c := range head {
		switch {
		case c == 0:
			nul++
			ctl++
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f':
			ctl++
		}
	}
	return nul > 1 && nul*100 > len(head) || ctl*50 > len(head)
}

// Open detects the format of src and returns a Reader over its records.
// Errors are *scale.Error values: KindInvalid for unreadable or
// unsupported files (never a panic), KindTooLarge for files over the
// limits.
func Open(src Source, opt Options) (r Reader, err error) {
	head := make([]byte, 8192)
	n, rerr := src.ReadAt(head, 0)
	if rerr != nil && !errors.Is(rerr, io.EOF) {
		return nil, scale.Internal(rerr, CodeFileInvalid)
	}
	format, err := Detect(head[:n])
	if err != nil {
		return nil, err
	}
	if format != FormatXLSX && workbookName(opt.FileName) {
		return nil, scale.Invalid(CodeFormatMismatch,
			"The file is named like an Excel workbook but its content is %s; upload the original workbook or name the file .%s.",
			formatNoun(format), format)
	}
	if opt.Mapping != nil && format == FormatOFX {
		opt.Mapping = nil // OFX has no columns to map
	}
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, scale.Wrap(fmt.Errorf("panic: %v", p), scale.KindInvalid, CodeFileInvalid, "The file could not be read.")
		}
	}()
	if (format == FormatXLSX || format == FormatOFX) && opt.Decoders == nil {
		return nil, scale.Invalid(CodeFormatUnsupported, "This server does not read %s files; upload the statement as CSV.", formatNoun(format))
	}
	switch format {
	case FormatXLSX:
		r, err = openXLSX(src, opt)
	case FormatOFX:
		r, err = openOFX(src, opt)
	default:
		r, err = openCSV(src, opt)
	}
	if err != nil {
		return nil, err
	}
	return safeReader{r}, nil
}

// safeReader turns a panic inside a decoder into a KindInvalid error.
type safeReader struct{ Reader }

// sortedByDate forwards the table's first-pass finding, if any.
func (s safeReader) sortedByDate() bool {
	x, ok := s.Reader.(interface{ sortedByDate() bool })
	return ok && x.sortedByDate()
}

// Next implements Reader.
func (s safeReader) Next() (rec Record, err error) {
	defer func() {
		if p := recover(); p != nil {
			rec, err = Record{}, scale.Wrap(fmt.Errorf("panic: %v", p), scale.KindInvalid, CodeFileInvalid, "The file could not be read.")
		}
	}()
	return s.Reader.Next()
}
