package categorization

import (
	"bytes"
	"strings"
	"testing"

	"github.com/matryer/is"
	"github.com/scalehq/scale/scale"
)

func TestLabelledCSVRoundTrip(t *testing.T) {
	is := is.New(t)
	es := Generate(CorpusConfig{Seed: 3, Size: 200})
	var buf bytes.Buffer
	is.NoErr(WriteLabelledCSV(&buf, es))
	is.True(strings.HasPrefix(buf.String(), "date,description,amount,currency,category\n"))
	got, err := ReadLabelledCSV(&buf)
	is.NoErr(err)
	is.Equal(len(got), len(es))
	for i := range es {
		is.Equal(got[i].Description, es[i].Description)
		is.Equal(got[i].Amount, es[i].Amount)
		is.Equal(got[i].Currency, es[i].Currency)
		is.Equal(got[i].Date, es[i].Date)
		is.Equal(got[i].Category, es[i].Category)
	}
}

func TestUnlabelledTruthPredictionsRoundTrip(t *testing.T) {
	is := is.New(t)
	es := Generate(CorpusConfig{Seed: 3, Size: 50, IDPrefix: "u"})
	var u, tr, pr bytes.Buffer
	is.NoErr(WriteUnlabelledCSV(&u, es))
	is.NoErr(WriteTruthCSV(&tr, es))
	got, err := ReadUnlabelledCSV(&u)
	is.NoErr(err)
	is.Equal(got[7].ID, es[7].ID)
	is.Equal(got[7].Category, scale.CategoryID(""))
	truth, err := ReadTruthCSV(&tr)
	is.NoErr(err)
	is.Equal(truth[es[9].ID], es[9].Category)
	ps := []Prediction{{ID: "u1", Label: "food", Confidence: 0.93}, {ID: "u2", Label: "new:1", Confidence: 0.2}}
	is.NoErr(WritePredictionsCSV(&pr, ps))
	is.Equal(pr.String(), "id,label,confidence\nu1,food,0.9300\nu2,new:1,0.2000\n")
	back, err := ReadPredictionsCSV(&pr)
	is.NoErr(err)
	is.Equal(back, ps)
}

func TestCSVErrors(t *testing.T) {
	for name, in := range map[string]string{
		"missing column": "date,description,amount,currency\n2025-01-01,x,1.00,USD\n",
		"bad date":       "date,description,amount,currency,category\n2025-13-01,x,1.00,USD,food\n",
		"bad amount":     "date,description,amount,currency,category\n2025-01-01,x,abc,USD,food\n",
		"zero amount":    "date,description,amount,currency,category\n2025-01-01,x,0,USD,food\n",
		"bad currency":   "date,description,amount,currency,category\n2025-01-01,x,1.00,XXX,food\n",
		"no category":    "date,description,amount,currency,category\n2025-01-01,x,1.00,USD,\n",
	} {
		t.Run(name, func(t *testing.T) {
			is := is.New(t)
			_, err := ReadLabelledCSV(strings.NewReader(in))
			is.True(err != nil)
			is.Equal(scale.CodeOf(err), CodeCSVInvalid)
			is.Equal(scale.KindOf(err), scale.KindInvalid)
		})
	}
	is := is.New(t)
	_, err := ReadUnlabelledCSV(strings.NewReader("id,date,description,amount,currency\na,2025-01-01,x,1,USD\na,2025-01-01,y,1,USD\n"))
	is.Equal(scale.CodeOf(err), CodeCSVInvalid) // repeated id
}
