package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// runDiscover proposes new categories among a user's uncategorized
// transactions in SCALE_DATABASE_URL, as POST /api/v1/categories/discover
// does. It changes nothing.
func runDiscover(ctx context.Context, e *cliEnv, args []string) error {
	fs := flag.NewFlagSet("discover", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	user := fs.String("user", "", "the user whose uncategorized transactions are examined (required)")
	limit := fs.Int("limit", 5000, "at most this many transactions, newest first")
	asJSON := fs.Bool("json", false, "print the proposals as JSON")
	fs.Usage = func() {
		fmt.Fprintln(e.Stderr, "usage: scale discover --user ID [--limit N] [--json]\n\n"+
			"Proposes categories nobody defined among the user's uncategorized transactions.\n"+
			"Proposals are suggestions: accept one with POST /api/v1/categories/discover/accept.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *user == "" {
		fs.Usage()
		return errors.New("--user is required")
	}
	c, err := loadConfig(e.Getenv)
	if err != nil {
		return err
	}
	engine, closeFn, err := cliEngine(ctx, c, e)
	if err != nil {
		return err
	}
	defer closeFn()
	props, considered, err := engine.DiscoverCategories(ctx, scale.UserID(*user), ports.TransactionQuery{}, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"considered": considered, "proposals": props})
	}
	fmt.Fprintf(e.Stdout, "%d uncategorized transactions examined, %d proposals\n", considered, len(props))
	for _, p := range props {
		fmt.Fprintf(e.Stdout, "\n%s  %q  %d transactions  score %.2f\n  tokens: %s\n", p.Key, p.Name, len(p.MemberIDs), p.Score, strings.Join(p.Tokens, ", "))
		for _, ex := range p.Examples {
			fmt.Fprintf(e.Stdout, "  e.g. %s\n", ex)
		}
	}
	return nil
}
