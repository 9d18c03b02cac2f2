// Command embed-memory embeds the Scale SDK with in-memory adapters: it opens
// an account, adds a few transactions and lists them back, newest first.
// No database, queue or network is needed: the store and queue are in
// memory and the categorization model is the one shipped in models/.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/scalehq/scale/adapters/hypcd"
	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/adapters/statements"
	"github.com/scalehq/scale/models"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/accounts"
	"github.com/scalehq/scale/scale/categorization"
	"github.com/scalehq/scale/scale/sdk"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "embed-memory:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	queue := memory.NewQueue(memory.QueueConfig{})
	queue.Start()
	defer queue.Stop(ctx)

	// The shipped HypCD model, embedded in the binary: no files needed.
	model, err := hypcd.LoadFS(models.Default, "default")
	if err != nil {
		return err
	}
	engine, err := sdk.New(sdk.Ports{Statements: statements.New(),
		Store: memory.NewStore(),
		Queue: queue,
		Clock: ports.SystemClock{},
		Model: model,
	}, sdk.Options{})
	if err != nil {
		return err
	}

	const user scale.UserID = "ada"
	acct, err := engine.Accounts.CreateAccount(ctx, user, accounts.NewAccount{Name: "Main", Currency: "EUR"})
	if err != nil {
		return err
	}
	day := func(d int) scale.Date { return scale.Date{Year: 2026, Month: time.March, Day: d} }
	eur := func(s string) scale.Money {
		m, _ := scale.ParseMoney(s, "EUR", scale.ParseOptions{})
		return m
	}
	res, err := engine.Accounts.AddTransactions(ctx, user, []scale.Transaction{
		{Account: acct.ID, Date: day(1), Amount: eur("3500.00"), Description: "ACME GMBH SALARY MARCH"},
		{Account: acct.ID, Date: day(2), Amount: eur("-4.20"), Description: "CARD PAYMENT COFFEE BAR"},
		{Account: acct.ID, Date: day(3), Amount: eur("-1250.00"), Description: "RENT MARCH"},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "stored %d transactions\n", len(res.Inserted))

	page, err := engine.Accounts.Transactions(ctx, user, accounts.Query{})
	if err != nil {
		return err
	}
	for _, t := range page.Items {
		fmt.Fprintf(out, "%s %10s %s %-6s %s\n", t.Date, t.Amount.Decimal(), t.Amount.Currency, t.Type(), t.Description)
	}
	// Categorize one new transaction: rules, corrections, then the model.
	r, err := engine.Categorization.Classify(ctx, user, categorization.Input{ClassifyInput: ports.ClassifyInput{
		Description: "UBER *TRIP HELP.UBER.COM", Amount: -1890, Currency: "EUR", Date: day(4)}})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "UBER *TRIP → %s (%s)\n", r.Label.Category, r.Label.Source)
	return nil
}
