package main

import (
	"context"
	"io"
	"os"
)

// cliEnv is what a command sees of the process: its streams, its
// environment and whether stderr is a terminal (progress bars are drawn
// only then).
type cliEnv struct {
	Stdin      io.Reader
	Stdout     io.Writer
	Stderr     io.Writer
	Getenv     func(string) string
	IsTerminal bool
}

// command is one verb of the scale binary.
type command struct {
	Name    string
	Summary string
	Run     func(ctx context.Context, e *cliEnv, args []string) error
}

func newCLIEnv() *cliEnv {
	return &cliEnv{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		IsTerminal: isTerminal(os.Stderr),
	}
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
