package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/scalehq/scale/adapters/hypcd"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/categorization"
)

// runTrain implements `scale train`: it trains a HypCD model from
// labelled.csv (and, transductively, unlabelled.csv) into a model
// directory, or generates the project's deterministic corpus.
func runTrain(ctx context.Context, e *cliEnv, args []string) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	data := fs.String("data", "", "labelled CSV: date,description,amount,currency,category")
	unlabelled := fs.String("unlabelled", "", "optional unlabelled CSV: id,date,description,amount,currency (transductive training)")
	out := fs.String("out", "", "output model directory (manifest.json, weights.bin)")
	seed := fs.Int64("seed", 1, "random seed (training and corpus generation)")
	steps := fs.Int("steps", 0, "training steps (0 = automatic)")
	extra := fs.Int("extra-heads", hypcd.DefaultConfig().ExtraHeads, "spare prototypes for unlabelled categories (with --unlabelled; -1 for none)")
	name := fs.String("name", "scale-default", "model name written into the manifest")
	version := fs.String("version", "dev", "model version written into the manifest")
	gen := fs.String("generate-corpus", "", "write the generated corpus into this directory instead of training")
	size := fs.Int("size", 50000, "rows of the generated training corpus (with --generate-corpus)")
	pool := fs.String("merchant-pool", categorization.PoolDefault,
		"payees of the generated corpus (with --generate-corpus): empty for the default, \"alternate\" or \"blind\" for other payees in the new categories")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *gen != "" {
		if !categorization.ValidPool(*pool) {
			return errors.New(`--merchant-pool must be empty, "alternate" or "blind"`)
		}
		return generateCorpus(e, *gen, *seed, *size, *pool)
	}
	if *data == "" || *out == "" {
		fs.Usage()
		return errors.New("--data and --out are required")
	}
	labelled, err := readCSVFile(*data, categorization.ReadLabelledCSV)
	if err != nil {
		return err
	}
	set := ports.TrainingSet{Seed: *seed, Labels: labelsOf(labelled)}
	for _, x := range labelled {
		set.Labelled = append(set.Labelled, ports.LabelledItem{ClassifyInput: x.Input(), Category: x.Category})
	}
	if *unlabelled != "" {
		un, err := readCSVFile(*unlabelled, categorization.ReadUnlabelledCSV)
		if err != nil {
			return err
		}
		for _, x := range un {
			set.Unlabelled = append(set.Unlabelled, x.Input())
		}
	}
	cfg := hypcd.DefaultConfig()
	cfg.Steps = *steps
	cfg.ExtraHeads = *extra
	tr := hypcd.NewTrainer(cfg, *name, *version)
	start := time.Now()
	if e.IsTerminal {
		tr.OnStep(func(step, total int, loss float64) {
			el := time.Since(start)
			eta := time.Duration(float64(el) / float64(step) * float64(total-step)).Round(time.Second)
			fmt.Fprintf(e.Stderr, "\rstep %d/%d  loss %.4f  elapsed %s  ETA %s   ", step, total, loss, el.Round(time.Second), eta)
		})
	}
	fmt.Fprintf(e.Stderr, "training on %d labelled and %d unlabelled rows, %d categories\n", len(set.Labelled), len(set.Unlabelled), len(set.Labels))
	m, err := tr.TrainModel(ctx, set, nil)
	if e.IsTerminal {
		fmt.Fprintln(e.Stderr)
	}
	if err != nil {
		return err
	}
	man, w, err := m.Parts()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, hypcd.ManifestFile), man, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, hypcd.WeightsFile), w, 0o644); err != nil {
		return err
	}
	info := m.Info()
	fmt.Fprintf(e.Stdout, "model %s %s written to %s (%d KB weights)\n", info.Name, info.Version, *out, len(w)/1024)
	keys := make([]string, 0, len(info.Metrics))
	for k := range info.Metrics {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(e.Stdout, "  %-18s %.4f\n", k, info.Metrics[k])
	}
	fmt.Fprintf(e.Stdout, "  wall time          %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// labelsOf returns the categories of the examples: the default taxonomy's
// order first, then the others sorted.
func labelsOf(es []categorization.Example) []scale.CategoryID {
	seen := map[scale.CategoryID]bool{}
	for _, x := range es {
		seen[x.Category] = true
	}
	var out []scale.CategoryID
	for _, c := range scale.DefaultCategories() {
		if seen[c.ID] {
			out = append(out, c.ID)
			delete(seen, c.ID)
		}
	}
	var rest []scale.CategoryID
	for c := range seen {
		rest = append(rest, c)
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i] < rest[j] })
	return append(out, rest...)
}

func readCSVFile(path string, read func(io.Reader) ([]categorization.Example, error)) ([]categorization.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	es, err := read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return es, nil
}

func writeCSVFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// generateCorpus writes the deterministic corpus: labelled.csv (training),
// heldout.csv (another seed), heldout-old.csv (its rows of the GCD split's
// old categories) and a GCD split (gcd-labelled.csv, gcd-unlabelled.csv,
// gcd-truth.csv) holding back the new categories.
func generateCorpus(e *cliEnv, dir string, seed int64, size int, pool string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	train := categorization.Generate(categorization.CorpusConfig{Seed: seed, Size: size, IDPrefix: "t", Pool: pool})
	held := categorization.Generate(categorization.CorpusConfig{Seed: seed + 1000, Size: max(size/5, 1000), IDPrefix: "h", Pool: pool})
	gcd := categorization.SplitGCD(categorization.Generate(categorization.CorpusConfig{Seed: seed + 2000, Size: max(size/5, 2000), IDPrefix: "g", Pool: pool}),
		categorization.DefaultNewCategories(), 0.5, seed)
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"labelled.csv", func(w io.Writer) error { return categorization.WriteLabelledCSV(w, train) }},
		{"heldout.csv", func(w io.Writer) error { return categorization.WriteLabelledCSV(w, held) }},
		{"heldout-old.csv", func(w io.Writer) error { return categorization.WriteLabelledCSV(w, onlyCategories(held, gcd.Old)) }},
		{"gcd-labelled.csv", func(w io.Writer) error { return categorization.WriteLabelledCSV(w, gcd.Labelled) }},
		{"gcd-unlabelled.csv", func(w io.Writer) error { return categorization.WriteUnlabelledCSV(w, gcd.Unlabelled) }},
		{"gcd-truth.csv", func(w io.Writer) error { return categorization.WriteTruthCSV(w, gcd.Unlabelled) }},
	}
	for _, f := range files {
		if err := writeCSVFile(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.Stdout, "corpus (seed %d) written to %s: %d training rows, %d held-out rows, GCD split %d labelled / %d unlabelled (new: %v)\n",
		seed, dir, len(train), len(held), len(gcd.Labelled), len(gcd.Unlabelled), gcd.New)
	return nil
}

// onlyCategories keeps the examples of the given categories.
func onlyCategories(es []categorization.Example, cats []scale.CategoryID) []categorization.Example {
	keep := map[scale.CategoryID]bool{}
	for _, c := range cats {
		keep[c] = true
	}
	var out []categorization.Example
	for _, x := range es {
		if keep[x.Category] {
			out = append(out, x)
		}
	}
	return out
}
