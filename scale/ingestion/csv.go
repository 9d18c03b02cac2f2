package ingestion

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/scalehq/scale/scale"
)

// csvSource reads a delimited text file as rows, streaming.
type csvSource struct {
	src   Source
	cs    charset
	skip  int64 // BOM bytes
	comma rune
	lim   Limits
	r     *csv.Reader
	guard *guardReader
}

// openCSV detects the charset and delimiter and runs the table's first pass.
func openCSV(src Source, opt Options) (Reader, error) {
	lim := opt.Limits.withDefaults()
	cs, skip, err := detectCharset(src)
	if err != nil {
		return nil, scale.Internal(err, CodeFileInvalid)
	}
	s := &csvSource{src: src, cs: cs, skip: int64(skip), lim: lim}
	if err := s.sniffDelimiter(); err != nil {
		return nil, err
	}
	if err := s.rewind(); err != nil {
		return nil, err
	}
	return newTable(s, FormatCSV, false, s.comma == ';', opt)
}

// textReader returns the decoded, line-end-normalized text from the start.
func (s *csvSource) textReader() (io.Reader, error) {
	if _, err := s.src.Seek(s.skip, io.SeekStart); err != nil {
		return nil, scale.Internal(err, CodeFileInvalid)
	}
	return newLineEnds(decoder(bufio.NewReaderSize(s.src, 64<<10), s.cs)), nil
}

// Delimiters tried by sniffDelimiter, in order of preference on a tie.
var delimiters = []rune{',', ';', '\t', '|'}

// sniffDelimiter reads the first 64 KiB of text with every candidate
// delimiter and keeps the one that yields a header row, then the one whose
// rows most often share a field count greater than one.
func (s *csvSource) sniffDelimiter() error {
	tr, err := s.textReader()
	if err != nil {
		return err
	}
	sample, err := io.ReadAll(io.LimitReader(tr, 64<<10))
	if err != nil {
		return scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The file could not be read as text.")
	}
	best, bestScore := delimiters[0], -1
	for _, d := range delimiters {
		r := csv.NewReader(bytes.NewReader(sample))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord = d, true, -1
		counts := map[int]int{}
		header := 0
		for i := 0; i < 200; i++ {
			rec, err := r.Read()
			if err != nil {
				break
			}
			if len(rec) > 1 {
				counts[len(rec)]++
			}
			if header == 0 && i < s.lim.HeaderScanRows {
				if _, ok := matchHeader(rec); ok {
					header = 1
				}
			}
		}
		modal := 0
		for _, c := range counts {
			modal = max(modal, c)
		}
		score := header*100000 + modal
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	s.comma = best
	return nil
}

func (s *csvSource) rewind() error {
	tr, err := s.textReader()
	if err != nil {
		return err
	}
	s.guard = &guardReader{r: tr, max: int64(s.lim.MaxRecordBytes) + 16<<10}
	s.r = csv.NewReader(s.guard)
	s.r.Comma, s.r.LazyQuotes, s.r.FieldsPerRecord, s.r.ReuseRecord = s.comma, true, -1, true
	return nil
}

func (s *csvSource) next() ([]string, int, error) {
	rec, err := s.r.Read()
	if err != nil {
		if errors.Is(err, errRecordTooLarge) {
			return nil, 0, scale.E(scale.KindInvalid, CodeRecordTooLarge,
				"A record of the file is longer than %d bytes (an unclosed quote?).", s.lim.MaxRecordBytes)
		}
		if errors.Is(err, io.EOF) {
			return nil, 0, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, 0, scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The file is not a readable CSV file (line "+itoa(pe.StartLine)+").")
		}
		return nil, 0, scale.Wrap(err, scale.KindInvalid, CodeFileInvalid, "The file could not be read.")
	}
	line, _ := s.r.FieldPos(0)
	s.guard.mark()
	for i, f := range rec {
		rec[i] = unwrapExcelText(f)
	}
	return rec, line, nil
}

// unwrapExcelText reads a field written as an Excel text formula,
// ="13/01/2024" or ="000123" (exports that keep Excel from turning
// dates and leading zeros into numbers), as the text it holds. Any other
// field is returned as is; a field that is a real formula stays one (and
// is neutralized wherever it is exported).
func unwrapExcelText(f string) string {
	if len(f) < 3 || f[0] != '=' || f[1] != '"' || f[len(f)-1] != '"' {
		return f
	}
	inner := f[2 : len(f)-1]
	if strings.Contains(strings.ReplaceAll(inner, `""`, ""), `"`) {
		return f // ="a"&"b": a formula, not one text
	}
	return strings.ReplaceAll(inner, `""`, `"`)
}

func (s *csvSource) close() error { return nil }

var errRecordTooLarge = errors.New("ingestion: record too large")

// guardReader fails once more than max bytes pass without a mark: it
// bounds the memory one CSV record can take.
type guardReader struct {
	r     io.Reader
	since int64
	max   int64
}

// Read implements io.Reader.
func (g *guardReader) Read(p []byte) (int, error) {
	if g.since > g.max {
		return 0, errRecordTooLarge
	}
	n, err := g.r.Read(p)
	g.since += int64(n)
	return n, err
}

func (g *guardReader) mark() { g.since = 0 }

// lineEnds turns CR LF, CR CR LF and lone CR line ends into LF.
type lineEnds struct {
	r         io.Reader
	buf       []byte
	pendingCR bool
	hold      int // a byte owed to the caller, or -1
	eof       bool
}

func newLineEnds(r io.Reader) *lineEnds { return &lineEnds{r: r, buf: make([]byte, 32<<10), hold: -1} }

// Read implements io.Reader.
func (l *lineEnds) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	out := 0
	if l.hold >= 0 {
		p[0] = byte(l.hold)
		l.hold = -1
		out = 1
	}
	for out == 0 {
		if l.eof {
			if l.pendingCR {
				l.pendingCR = false
				p[0] = '\n'
				return 1, nil
			}
			return 0, io.EOF
		}
		// each input byte yields at most 2 output bytes; keep one slot spare
		m := max(1, min((len(p)-out)/2, len(l.buf)))
		n, err := l.r.Read(l.buf[:m])
		chunk := l.buf[:n]
		if !l.pendingCR && bytes.IndexByte(chunk, '\r') < 0 {
			out += copy(p[out:], chunk)
			chunk = nil
		}
		for _, c := range chunk {
			switch {
			case c == '\r':
				l.pendingCR = true
				continue
			case l.pendingCR && c == '\n':
				l.pendingCR = false
			case l.pendingCR:
				l.pendingCR = false
				p[out] = '\n'
				out++
				if out == len(p) {
					l.hold = int(c)
					continue
				}
			}
			p[out] = c
			out++
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return out, err
			}
			l.eof = true
		}
	}
	return out, nil
}
