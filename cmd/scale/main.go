// Command scale is the reference server and the command-line tool of Scale.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

func commands() []command {
	cs := []command{
		{Name: "serve", Summary: "run the HTTP server (embedded defaults without configuration)", Run: runServe},
		{Name: "worker", Summary: "run background jobs from Redis (training, housekeeping, anomaly scans)", Run: runWorker},
		{Name: "token", Summary: "print a signed development token: scale token --user ID [--role R] [--ttl D]", Run: runToken},
		{Name: "openapi", Summary: "write the OpenAPI document to docs/openapi.yaml (or --out -)", Run: runOpenAPI},
		{Name: "import", Summary: "import statements: scale import --user ID [--account ID] [--password-stdin] [--dry-run] [--json] FILE...", Run: runImport},
		{Name: "migrate", Summary: "apply, roll back or show database migrations: scale migrate up|down|status", Run: runMigrate},
		{Name: "doctor", Summary: "database health: cache hits, scans, unused indexes, vacuum, slow statements", Run: runDoctor},
		{Name: "train", Summary: "train a categorization model: scale train --data labelled.csv --out DIR", Run: runTrain},
		{Name: "classify", Summary: "classify a CSV with a model: scale classify --model DIR --data in.csv --out out.csv", Run: runClassify},
		{Name: "discover", Summary: "propose new categories among a user's uncategorized transactions: scale discover --user ID", Run: runDiscover},
		{Name: "eval", Summary: "evaluate: scale eval --model DIR --data FILE | scale eval forecast | scale eval anomaly", Run: runEval},
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Name < cs[j].Name })
	return cs
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, newCLIEnv(), os.Args[1:]))
}

func run(ctx context.Context, e *cliEnv, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e)
		return 0
	}
	for _, c := range commands() {
		if c.Name == args[0] {
			if err := c.Run(ctx, e, args[1:]); err != nil {
				fmt.Fprintf(e.Stderr, "scale %s: %v\n", c.Name, err)
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(e.Stderr, "scale: unknown command %q\n\n", args[0])
	usage(e)
	return 2
}

func usage(e *cliEnv) {
	fmt.Fprintln(e.Stderr, "usage: scale <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(e.Stderr, "  %-10s %s\n", c.Name, c.Summary)
	}
}

// runEval dispatches `scale eval forecast`, `scale eval anomaly` and the
// model evaluation `scale eval --model DIR ...`.
func runEval(ctx context.Context, e *cliEnv, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "forecast":
			return runEvalForecast(ctx, e, args[1:])
		case "anomaly":
			return runEvalAnomaly(ctx, e, args[1:])
		}
	}
	return runEvalModel(ctx, e, args)
}
