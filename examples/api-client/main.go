package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"text/tabwriter"

	"github.com/scalehq/scale/adapters/httpclient"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "api-client:", err)
		os.Exit(1)
	}
}

// envOr returns the environment variable k, or def when it is unset.
func envOr(k, def string) string {
	if v, ok := os.LookupEnv(k); ok {
		return v
	}
	return def
}

// run parses args (flags, then the statement file), imports the file and
// prints the summary and the first page of transactions to out.
func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("api-client", flag.ContinueOnError)
	fs.SetOutput(out)
	baseURL := fs.String("url", envOr("SCALE_URL", "http://localhost:8080"), "server base URL")
	token := fs.String("token", os.Getenv("SCALE_TOKEN"), "bearer token (scale token --user ID)")
	account := fs.String("account", "", "account id; the default account when empty")
	password := fs.String("password", os.Getenv("SCALE_STATEMENT_PASSWORD"), "password of an encrypted XLSX workbook")
	dryRun := fs.Bool("dry-run", false, "parse and report without storing anything")
	limit := fs.Int("limit", 20, "how many transactions to list (1-200)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: api-client [flags] STATEMENT-FILE")
	}
	if *token == "" {
		return errors.New("no token: pass -token or set SCALE_TOKEN (scale token --user ID prints one)")
	}
	c, err := httpclient.New(*baseURL, httpclient.WithToken(*token), httpclient.WithUserAgent("scale-example-api-client/1"))
	if err != nil {
		return err
	}

	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	imp, err := c.Import(ctx, httpclient.ImportRequest{
		FileName: filepath.Base(path), Body: f, AccountID: *account, Password: *password, DryRun: *dryRun,
	})
	if err != nil {
		if p := httpclient.AsProblem(err); p != nil && p.Code == "ingestion.password_required" {
			return fmt.Errorf("%s is encrypted: pass -password or set SCALE_STATEMENT_PASSWORD", path)
		}
		return err
	}
	printSummary(out, imp)
	if *dryRun {
		return printTransactions(out, imp.Transactions)
	}

	page, err := c.Transactions(ctx, httpclient.TransactionQuery{
		TransactionFilter: httpclient.TransactionFilter{AccountID: imp.AccountID}, Limit: *limit,
	})
	if err != nil {
		return err
	}
	if err := printTransactions(out, page.Items); err != nil {
		return err
	}
	if page.Next != "" {
		fmt.Fprintln(out, "… more on the next page")
	}
	return nil
}

// printSummary writes what happened to the statement's rows.
func printSummary(out io.Writer, imp httpclient.Import) {
	switch {
	case imp.Status == httpclient.ImportDryRun:
		fmt.Fprintf(out, "dry run of %s (%s): nothing stored\n", imp.FileName, imp.Format)
	case imp.Replayed:
		fmt.Fprintf(out, "%s was imported before as %s: nothing new stored\n", imp.FileName, imp.ID)
	default:
		fmt.Fprintf(out, "imported %s (%s) into account %s as %s\n", imp.FileName, imp.Format, imp.AccountID, imp.ID)
	}
	k := imp.Counts
	if imp.Replayed {
		fmt.Fprint(out, "that import: ")
	}
	fmt.Fprintf(out, "%d new, %d duplicates, %d rejected, %d skipped\n", k.Inserted, k.Duplicates, k.Rejected, k.Skipped)
	for _, r := range imp.Rejections {
		fmt.Fprintf(out, "  line %d: %s\n", r.Line, r.Reason)
	}
}

// printTransactions writes one aligned line per transaction.
func printTransactions(out io.Writer, ts []httpclient.Transaction) error {
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tAMOUNT\tCURRENCY\tCATEGORY\tDESCRIPTION")
	for _, t := range ts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.Date, t.Amount, t.Currency, t.Category, t.Description)
	}
	return tw.Flush()
}
