package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/scalehq/scale/adapters/httpapi"
)

// version is the build version, set with -ldflags "-X main.version=...".
var version = "1.0.0"

func runOpenAPI(ctx context.Context, e *cliEnv, args []string) error {
	fs := flag.NewFlagSet("openapi", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	out := fs.String("out", "docs/openapi.yaml", "where to write the spec; - for stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := httpapi.SpecYAML()
	if err != nil {
		return err
	}
	if *out == "-" {
		_, err = e.Stdout.Write(b)
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.Stderr, "wrote %s (%d bytes)\n", *out, len(b))
	return nil
}
