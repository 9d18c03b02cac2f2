package categorization

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// The CSV contracts of the command-line tools (header rows included).
var (
	// LabelledHeader is the header of labelled.csv.
	LabelledHeader = []string{"date", "description", "amount", "currency", "category"}
	// UnlabelledHeader is the header of unlabelled.csv and of classify's input.
	UnlabelledHeader = []string{"id", "date", "description", "amount", "currency"}
	// PredictionsHeader is the header of predictions.csv.
	PredictionsHeader = []string{"id", "label", "confidence"}
	// TruthHeader is the header of truth.csv: the true category of each
	// unlabelled row.
	TruthHeader = []string{"id", "category"}
)

// Input returns what a model sees of the example.
func (e Example) Input() ports.ClassifyInput {
	return ports.ClassifyInput{ID: e.ID, Description: e.Description, Amount: e.Amount, Currency: e.Currency, Date: e.Date}
}

// Prediction is one row of predictions.csv: Label is a known category or
// "new:<n>" for a discovered one.
type Prediction struct {
	ID         string
	Label      string
	Confidence float64
}

func amountString(minor int64, cur scale.Currency) string {
	return scale.FormatDecimal(minor, cur.MinorDigits())
}

func writeAll(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteLabelledCSV writes examples as labelled.csv.
func WriteLabelledCSV(w io.Writer, es []Example) error {
	rows := make([][]string, len(es))
	for i, e := range es {
		rows[i] = []string{e.Date.String(), e.Description, amountString(e.Amount, e.Currency), string(e.Currency), string(e.Category)}
	}
	return writeAll(w, LabelledHeader, rows)
}

// WriteUnlabelledCSV writes examples as unlabelled.csv (no category).
func WriteUnlabelledCSV(w io.Writer, es []Example) error {
	rows := make([][]string, len(es))
	for i, e := range es {
		rows[i] = []string{e.ID, e.Date.String(), e.Description, amountString(e.Amount, e.Currency), string(e.Currency)}
	}
	return writeAll(w, UnlabelledHeader, rows)
}

// WriteTruthCSV writes the true category of each example as truth.csv.
func WriteTruthCSV(w io.Writer, es []Example) error {
	rows := make([][]string, len(es))
	for i, e := range es {
		rows[i] = []string{e.ID, string(e.Category)}
	}
	return writeAll(w, TruthHeader, rows)
}

// WritePredictionsCSV writes predictions.csv.
func WritePredictionsCSV(w io.Writer, ps []Prediction) error {
	rows := make([][]string, len(ps))
	for i, p := range ps {
		rows[i] = []string{p.ID, p.Label, strconv.FormatFloat(p.Confidence, 'f', 4, 64)}
	}
	return writeAll(w, PredictionsHeader, rows)
}

// readTable reads a CSV with the given header (case-insensitive, in any
// column order) and calls row with each record's fields in header order.
func readTable(r io.Reader, header []string, row func(line int, f []string) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return scale.Wrap(err, scale.KindInvalid, CodeCSVInvalid, "the CSV file has no header row")
	}
	pos := make([]int, len(header))
	for i, h := range header {
		pos[i] = -1
		for j, got := range head {
			if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(got, "\ufeff")), h) {
				pos[i] = j
			}
		}
		if pos[i] < 0 {
			return scale.Invalid(CodeCSVInvalid, "the CSV header lacks the column %q (want %s)", h, strings.Join(header, ","))
		}
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return scale.Wrap(err, scale.KindInvalid, CodeCSVInvalid, fmt.Sprintf("line %d is not valid CSV", line))
		}
		f := make([]string, len(header))
		for i, p := range pos {
			if p < len(rec) {
				f[i] = strings.TrimSpace(rec[p])
			}
		}
		if err := row(line, f); err != nil {
			return err
		}
	}
}

func bad(line int, field, msg string) error {
	return scale.InvalidFields(CodeCSVInvalid, fmt.Sprintf("line %d is not valid", line),
		scale.FieldError{Field: fmt.Sprintf("line[%d].%s", line, field), Message: msg})
}

// parseRow reads date, description, amount and currency fields.
func parseRow(line int, date, desc, amount, currency string) (Example, error) {
	d, err := scale.ParseDate(date)
	if err != nil {
		return Example{}, bad(line, "date", "is not a date in YYYY-MM-DD form")
	}
	cur, err := scale.ParseCurrency(currency)
	if err != nil {
		return Example{}, bad(line, "currency", "is not a supported ISO 4217 code")
	}
	m, err := scale.ParseMoney(amount, cur, scale.ParseOptions{})
	if err != nil {
		return Example{}, bad(line, "amount", "is not a valid amount")
	}
	if m.Minor == 0 {
		return Example{}, bad(line, "amount", "must not be zero")
	}
	if desc == "" {
		return Example{}, bad(line, "description", "is required")
	}
	return Example{Date: d, Description: desc, Amount: m.Minor, Currency: cur}, nil
}

// ReadLabelledCSV reads labelled.csv; rows get ids "row-<line>". Categories
// are lower-cased (category ids of the default taxonomy are its names in
// lower case).
func ReadLabelledCSV(r io.Reader) ([]Example, error) {
	var out []Example
	err := readTable(r, LabelledHeader, func(line int, f []string) error {
		e, err := parseRow(line, f[0], f[1], f[2], f[3])
		if err != nil {
			return err
		}
		if f[4] == "" {
			return bad(line, "category", "is required")
		}
		e.ID = fmt.Sprintf("row-%d", line)
		e.Category = scale.CategoryID(strings.ToLower(f[4]))
		out = append(out, e)
		return nil
	})
	return out, err
}

// ReadUnlabelledCSV reads unlabelled.csv (Category stays empty).
func ReadUnlabelledCSV(r io.Reader) ([]Example, error) {
	var out []Example
	seen := map[string]bool{}
	err := readTable(r, UnlabelledHeader, func(line int, f []string) error {
		e, err := parseRow(line, f[1], f[2], f[3], f[4])
		if err != nil {
			return err
		}
		if f[0] == "" {
			return bad(line, "id", "is required")
		}
		if seen[f[0]] {
			return bad(line, "id", "is repeated")
		}
		seen[f[0]] = true
		e.ID = f[0]
		out = append(out, e)
		return nil
	})
	return out, err
}

// ReadTruthCSV reads truth.csv into id → category.
func ReadTruthCSV(r io.Reader) (map[string]scale.CategoryID, error) {
	out := map[string]scale.CategoryID{}
	err := readTable(r, TruthHeader, func(line int, f []string) error {
		if f[0] == "" || f[1] == "" {
			return bad(line, "id", "id and category are required")
		}
		out[f[0]] = scale.CategoryID(strings.ToLower(f[1]))
		return nil
	})
	return out, err
}

// ReadPredictionsCSV reads predictions.csv.
func ReadPredictionsCSV(r io.Reader) ([]Prediction, error) {
	var out []Prediction
	err := readTable(r, PredictionsHeader, func(line int, f []string) error {
		c, err := strconv.ParseFloat(f[2], 64)
		if err != nil || c < 0 || c > 1 {
			return bad(line, "confidence", "must be a number between 0 and 1")
		}
		out = append(out, Prediction{ID: f[0], Label: f[1], Confidence: c})
		return nil
	})
	return out, err
}
