package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/scalehq/scale/adapters/httpapi"
	"github.com/scalehq/scale/adapters/memory"
	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale/sdk"
)

// version is the build version, set with -ldflags "-X main.version=...".
var version = "1.0.0"

// specYAML renders the OpenAPI document of the API.
func specYAML() ([]byte, error) {
	s, err := sdk.New(sdk.Ports{Store: memory.NewStore(), Queue: memory.NewQueue(memory.QueueConfig{}), Clock: ports.SystemClock{}}, sdk.Options{})
	if err != nil {
		return nil, err
	}
	_, api := httpapi.Handler(s, httpapi.Options{Auth: nil, Version: "1.0.0"})
	return api.OpenAPI().YAML()
}

func runOpenAPI(ctx context.Context, e *cliEnv, args []string) error {
	fs := flag.NewFlagSet("openapi", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	out := fs.String("out", "docs/openapi.yaml", "where to write the spec; - for stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := specYAML()
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
