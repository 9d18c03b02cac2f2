package hypcd

import "github.com/scalehq/scale/scale"

// Config sets the model's shape and the training schedule. The zero value
// of a field means its default (DefaultConfig).
type Config struct {
	// Buckets is the size of the hashed feature vocabulary.
	Buckets int
	// MaxTokens is the number of feature ids per transaction.
	MaxTokens int
	// EmbedDim, Hidden and Dim are the widths of the embedding, the hidden
	// layer and the ball.
	EmbedDim, Hidden, Dim int
	// Curvature is c of the Poincaré ball (radius 1/√c).
	Curvature float64
	// ClipRadius bounds the Euclidean feature before the exponential map.
	ClipRadius float64
	// ProtoTemperature divides negative distances into logits in training.
	ProtoTemperature float64
	// ExtraHeads is the number of spare prototypes for categories nobody
	// labelled, used when training with unlabelled items; 0 means the
	// default, a negative value none.
	ExtraHeads int
	// Steps is the number of training steps; 0 picks about two epochs,
	// bounded to [200, 600].
	Steps int
	// BatchSize is the number of items per step (each seen in two views).
	BatchSize int
	// LearningRate of Adam.
	LearningRate float64
	// TokenDropout is the share of feature ids each view drops.
	TokenDropout float64
	// MinClusterSize is the smallest discovered category.
	MinClusterSize int
	// MaxClusters bounds the number of categories one Discover call proposes.
	MaxClusters int
	// PayeeDiscovery makes Discover cluster payees (MerchantKey) instead of
	// items: all items of a payee go to one cluster, and payees are
	// clustered on their words, their mean ball point and their amount
	// range, the number of clusters estimated by the eigengap of their
	// affinity. Transductive training always discovers by payee (a payee
	// never seen among the labelled items that recurs among the unlabelled
	// ones is new, and the model remembers the payees of every cluster);
	// this flag extends it to Discover on new data. Off by default.
	PayeeDiscovery bool `json:",omitempty"`
}

// DefaultConfig returns the configuration of the shipped model.
func DefaultConfig() Config {
	return Config{
		Buckets: 1 << 14, MaxTokens: 64, EmbedDim: 32, Hidden: 64, Dim: 32,
		Curvature: 0.1, ClipRadius: 2.3, ProtoTemperature: 0.5, ExtraHeads: 4,
		BatchSize: 128, LearningRate: 3e-3, TokenDropout: 0.25, MinClusterSize: 5, MaxClusters: 8,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	setF := func(v *float64, def float64) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&c.Buckets, d.Buckets)
	set(&c.MaxTokens, d.MaxTokens)
	set(&c.EmbedDim, d.EmbedDim)
	set(&c.Hidden, d.Hidden)
	set(&c.Dim, d.Dim)
	set(&c.BatchSize, d.BatchSize)
	set(&c.MinClusterSize, d.MinClusterSize)
	set(&c.MaxClusters, d.MaxClusters)
	setF(&c.Curvature, d.Curvature)
	setF(&c.ClipRadius, d.ClipRadius)
	setF(&c.ProtoTemperature, d.ProtoTemperature)
	setF(&c.LearningRate, d.LearningRate)
	setF(&c.TokenDropout, d.TokenDropout)
	switch {
	case c.ExtraHeads == 0:
		c.ExtraHeads = d.ExtraHeads
	case c.ExtraHeads < 0:
		c.ExtraHeads = -1
	}
	return c
}

// Error codes of this package.
const (
	CodeArtifactInvalid = "model.artifact_invalid"
	CodeTrainingInvalid = "model.training_invalid"
	CodeTrainingFailed  = "model.training_failed"
	CodeCancelled       = "model.cancelled"
)

func errArtifact(format string, args ...any) error {
	return scale.Invalid(CodeArtifactInvalid, format, args...)
}
