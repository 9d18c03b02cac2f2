// Package models ships the trained default categorization model so that a
// server or an embedding program can load it with no files on disk:
//
//	m, err := hypcd.LoadFS(models.Default, "default")
//
// models/README.md says how the model was trained and how to reproduce it.
package models

import "embed"

// Default holds the default HypCD model: default/manifest.json and
// default/weights.bin.
//
//go:embed default/manifest.json default/weights.bin
var Default embed.FS
