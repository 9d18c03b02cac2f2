package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/scalehq/scale/adapters/hypcd"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/categorization"
)

// runEvalModel implements `scale eval`: accuracy, macro-F1 and the
// per-category table of a model on labelled data, the GCD accuracies
// All/Old/New with truth for unlabelled data, and the TF-IDF baseline in
// the same run, side by side, with latency figures.
func runEvalModel(ctx context.Context, e *cliEnv, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	modelDir := fs.String("model", "", "model directory (manifest.json, weights.bin)")
	data := fs.String("data", "", "labelled CSV to evaluate on: date,description,amount,currency,category")
	unlabelled := fs.String("unlabelled", "", "optional unlabelled CSV for the GCD evaluation")
	truthFile := fs.String("truth", "", "true categories of the unlabelled rows: id,category")
	baseData := fs.String("baseline-data", "", "labelled CSV the baseline is fitted on (the model's training data); without it the baseline is skipped")
	seed := fs.Int64("seed", 1, "seed of the baseline's k-means")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *modelDir == "" || *data == "" {
		fs.Usage()
		return errors.New("--model and --data are required")
	}
	if (*unlabelled == "") != (*truthFile == "") {
		return errors.New("--unlabelled and --truth go together")
	}
	m, err := hypcd.LoadFS(os.DirFS(*modelDir), ".")
	if err != nil {
		return err
	}
	rows, err := readCSVFile(*data, categorization.ReadLabelledCSV)
	if err != nil {
		return err
	}
	var un []categorization.Example
	var truth map[string]scale.CategoryID
	if *unlabelled != "" {
		if un, err = readCSVFile(*unlabelled, categorization.ReadUnlabelledCSV); err != nil {
			return err
		}
		f, err := os.Open(*truthFile)
		if err != nil {
			return err
		}
		truth, err = categorization.ReadTruthCSV(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	info := m.Info()
	models := []namedModel{{"hypcd", m}}
	if *baseData != "" {
		train, err := readCSVFile(*baseData, categorization.ReadLabelledCSV)
		if err != nil {
			return err
		}
		items := make([]ports.LabelledItem, len(train))
		for i, x := range train {
			items[i] = ports.LabelledItem{ClassifyInput: x.Input(), Category: x.Category}
		}
		newK := countNew(truth, info.Labels)
		b := categorization.TrainBaseline(items, labelsOf(train), newK, *seed)
		if len(un) > 0 {
			if err := b.FitClusters(ctx, inputsOf(un)); err != nil {
				return err
			}
		}
		models = append(models, namedModel{"baseline", b})
	}
	fmt.Fprintf(e.Stdout, "model %s %s (%s), %d labels; evaluating on %d labelled rows\n\n", info.Name, info.Version, info.FeatureSchema, len(info.Labels), len(rows))
	ins := inputsOf(rows)
	want := make([]scale.CategoryID, len(rows))
	for i, x := range rows {
		want[i] = x.Category
	}
	scores := make([]categorization.Scores, len(models))
	gcd := make([]categorization.GCDScores, len(models))
	lat := make([]latency, len(models))
	for i, nm := range models {
		preds, err := nm.m.Predict(ctx, ins)
		if err != nil {
			return err
		}
		got := make([]scale.CategoryID, len(preds))
		for j, p := range preds {
			got[j] = p.Category
		}
		scores[i] = categorization.Score(want, got)
		if len(un) > 0 {
			if gcd[i], err = gcdEval(ctx, nm.m, un, truth, info.Labels); err != nil {
				return err
			}
		}
		lat[i] = measure(ctx, nm.m, ins)
	}
	printComparison(e.Stdout, models, scores, gcd, lat, len(un) > 0)
	return nil
}

type namedModel struct {
	name string
	m    ports.Model
}

// countNew is the number of true categories of the unlabelled rows that
// are not among the model's labels.
func countNew(truth map[string]scale.CategoryID, labels []scale.CategoryID) int {
	known := map[scale.CategoryID]bool{}
	for _, l := range labels {
		known[l] = true
	}
	seen := map[scale.CategoryID]bool{}
	for _, c := range truth {
		if !known[c] {
			seen[c] = true
		}
	}
	return len(seen)
}

// gcdEval labels the unlabelled rows (a discovered cluster or a known
// category) and computes the GCD accuracies with one Hungarian matching.
// A model that remembered no clusters from training discovers them here.
func gcdEval(ctx context.Context, m ports.Model, un []categorization.Example, truth map[string]scale.CategoryID, old []scale.CategoryID) (categorization.GCDScores, error) {
	ins := inputsOf(un)
	preds, err := m.Predict(ctx, ins)
	if err != nil {
		return categorization.GCDScores{}, err
	}
	member := map[string]string{}
	anyNovel := false
	for _, p := range preds {
		anyNovel = anyNovel || p.Novel != ""
	}
	if !anyNovel {
		ds, err := m.Discover(ctx, ins)
		if err != nil {
			return categorization.GCDScores{}, err
		}
		for _, d := range ds {
			for _, id := range d.MemberIDs {
				member[id] = d.Key
			}
		}
	}
	var t []scale.CategoryID
	var p []string
	for i, x := range un {
		c, ok := truth[x.ID]
		if !ok {
			continue
		}
		label := predictionLabel(preds[i])
		if k, ok := member[x.ID]; ok {
			label = k
		}
		t = append(t, c)
		p = append(p, label)
	}
	return categorization.GCDAccuracy(t, p, old), nil
}

// latency is the time of single-item and 1,000-item predictions.
type latency struct {
	p50, p99, batch1000 time.Duration
}

func measure(ctx context.Context, m ports.Model, ins []ports.ClassifyInput) latency {
	n := min(len(ins), 2000)
	ds := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		start := time.Now()
		_, _ = m.Predict(ctx, ins[i:i+1])
		ds = append(ds, time.Since(start))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	var l latency
	if n > 0 {
		l.p50, l.p99 = ds[n/2], ds[min(n*99/100, n-1)]
	}
	batch := ins[:min(len(ins), 1000)]
	best := time.Duration(1<<63 - 1)
	for r := 0; r < 5; r++ {
		start := time.Now()
		_, _ = m.Predict(ctx, batch)
		best = min(best, time.Since(start))
	}
	l.batch1000 = best
	return l
}

func printComparison(w io.Writer, models []namedModel, scores []categorization.Scores, gcd []categorization.GCDScores, lat []latency, withGCD bool) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	row := func(name string, f func(i int) string) {
		fmt.Fprintf(tw, "%s\t", name)
		for i := range models {
			fmt.Fprintf(tw, "%s\t", f(i))
		}
		fmt.Fprintln(tw)
	}
	row("metric", func(i int) string { return models[i].name })
	row("accuracy", func(i int) string { return fmt.Sprintf("%.4f", scores[i].Accuracy) })
	row("macro-F1", func(i int) string { return fmt.Sprintf("%.4f", scores[i].MacroF1) })
	if withGCD {
		row("GCD All", func(i int) string { return fmt.Sprintf("%.4f", gcd[i].All) })
		row("GCD Old", func(i int) string { return fmt.Sprintf("%.4f", gcd[i].Old) })
		row("GCD New", func(i int) string { return fmt.Sprintf("%.4f", gcd[i].New) })
	}
	row("single p50", func(i int) string { return lat[i].p50.String() })
	row("single p99", func(i int) string { return lat[i].p99.String() })
	row("batch 1000", func(i int) string { return lat[i].batch1000.String() })
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "category\tsupport\t")
	for _, m := range models {
		fmt.Fprintf(tw, "%s P\t%s R\t%s F1\t", m.name, m.name, m.name)
	}
	fmt.Fprintln(tw)
	for k, c := range scores[0].PerCategory {
		fmt.Fprintf(tw, "%s\t%d\t", c.Category, c.Support)
		for i := range models {
			s := scores[i].PerCategory[k]
			fmt.Fprintf(tw, "%.3f\t%.3f\t%.3f\t", s.Precision, s.Recall, s.F1)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}
