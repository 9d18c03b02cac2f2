package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/scalehq/scale/adapters/hypcd"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale/categorization"
)

// runClassify implements `scale classify`: it labels the rows of an
// unlabelled CSV with a model directory and writes predictions.csv.
func runClassify(ctx context.Context, e *cliEnv, args []string) error {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	modelDir := fs.String("model", "", "model directory (manifest.json, weights.bin)")
	data := fs.String("data", "", "input CSV: id,date,description,amount,currency")
	out := fs.String("out", "", "output CSV: id,label,confidence")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *modelDir == "" || *data == "" || *out == "" {
		fs.Usage()
		return errors.New("--model, --data and --out are required")
	}
	m, err := hypcd.LoadFS(os.DirFS(*modelDir), ".")
	if err != nil {
		return err
	}
	rows, err := readCSVFile(*data, categorization.ReadUnlabelledCSV)
	if err != nil {
		return err
	}
	preds, err := m.Predict(ctx, inputsOf(rows))
	if err != nil {
		return err
	}
	ps := make([]categorization.Prediction, len(rows))
	for i, p := range preds {
		ps[i] = categorization.Prediction{ID: rows[i].ID, Label: predictionLabel(p), Confidence: p.Confidence}
	}
	if err := writeCSVFile(*out, func(w io.Writer) error { return categorization.WritePredictionsCSV(w, ps) }); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "%d predictions written to %s\n", len(ps), *out)
	return nil
}

// predictionLabel is the discovered cluster when there is one, else the
// known category.
func predictionLabel(p ports.Prediction) string {
	if p.Novel != "" {
		return p.Novel
	}
	return string(p.Category)
}

func inputsOf(es []categorization.Example) []ports.ClassifyInput {
	out := make([]ports.ClassifyInput, len(es))
	for i, x := range es {
		out[i] = x.Input()
	}
	return out
}
