package ports

import (
	"context"

	"github.com/scalehq/scale/scale"
)

// ClassifyInput is what a model sees of a transaction.
type ClassifyInput struct {
	// ID is echoed back by discovery; optional for classification.
	ID          string
	Description string
	Merchant    string
	// Amount is signed, in minor units of Currency.
	Amount   int64
	Currency scale.Currency
	Date     scale.Date
}

// Prediction is a model's answer for one input.
type Prediction struct {
	// Category is the best known category.
	Category scale.CategoryID
	// Confidence is calibrated: wrong answers get visibly lower values.
	Confidence float64
	// Novel names a discovered cluster ("new:2") when the item fits no known
	// category better than one the model discovered; empty otherwise.
	Novel string
}

// ModelInfo describes a loaded model.
type ModelInfo struct {
	Name          string
	Version       string
	FeatureSchema string
	Labels        []scale.CategoryID
	Metrics       map[string]float64
}

// DiscoveredCategory is a proposal for a category nobody defined: a
// suggested name from its most distinctive tokens and its members.
type DiscoveredCategory struct {
	Key       string
	Name      string
	Tokens    []string
	MemberIDs []string
	Examples  []string
	Score     float64
}

// Model classifies transactions. Loaded once and shared read-only by all
// requests, it must be safe for concurrent use.
type Model interface {
	Info() ModelInfo
	// Predict answers every input in order, in one call per batch.
	Predict(ctx context.Context, items []ClassifyInput) ([]Prediction, error)
	// Discover proposes new categories among items that fit no known one.
	Discover(ctx context.Context, items []ClassifyInput) ([]DiscoveredCategory, error)
}

// LabelledItem is one training example.
type LabelledItem struct {
	ClassifyInput
	Category scale.CategoryID
}

// TrainingSet is the input of a training run.
type TrainingSet struct {
	Labelled   []LabelledItem
	Unlabelled []ClassifyInput
	// Labels is the label set; categories absent from Labelled are allowed.
	Labels []scale.CategoryID
	Seed   int64
}

// TrainProgress reports training progress, 0–100, with the current loss.
type TrainProgress func(percent int, loss float64)

// Trainer trains models and loads serialized ones.
type Trainer interface {
	// Train fits a model and returns its serialized artifact and held-out
	// metrics (at least "accuracy").
	Train(ctx context.Context, set TrainingSet, progress TrainProgress) (artifact []byte, metrics map[string]float64, err error)
	// Load deserializes an artifact produced by Train.
	Load(artifact []byte) (Model, error)
}
