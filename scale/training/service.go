package training

import (
	"context"
	"log/slog"
	"time"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// The job types this package handles. Register them with Service.Register.
const (
	// JobTrain trains one model for one training job.
	JobTrain = "training.run"
	// JobReap returns stale running jobs to the queue or fails them.
	JobReap = "training.reap"
	// JobPruneModels deletes model versions beyond the newest KeepModels.
	JobPruneModels = "training.prune_models"
	// JobPurgeJobs deletes finished jobs older than JobRetention.
	JobPurgeJobs = "training.purge_jobs"
)

// Stable error codes of this package.
const (
	CodeNotEnoughLabels = "training.not_enough_labels"
	CodeInProgress      = "training.in_progress"
	CodeNotCancellable  = "training.not_cancellable"
	CodeBaseModel       = "training.base_model"
	CodePayloadInvalid  = "training.payload_invalid"
	CodeFailed          = "training.failed"
	CodeEnqueueFailed   = "training.enqueue_failed"
	CodeDepsInvalid     = "training.deps_invalid"
	CodeUserRequired    = "training.user_required"
)

// ErrBaseModel is returned by ActiveModel when the user has no trained
// model: the caller serves the shipped base model. Match it with
// errors.Is(err, ErrBaseModel); its kind is NotFound.
var ErrBaseModel = scale.NotFound(CodeBaseModel, "no trained model; the shipped base model applies")

// Swapper is told when a user's active model changed, so that a serving
// process can swap it in without waiting for its next poll. The SDK
// satisfies it. Activated must be safe for concurrent use.
type Swapper interface {
	Activated(ctx context.Context, user scale.UserID, m scale.ModelVersion) error
}

// Config tunes the service. Zero values take the defaults noted.
type Config struct {
	// MinLabels is how many labelled transactions (source import,
	// correction or rule) a user needs before training (default 50).
	MinLabels int
	// HeartbeatEvery is how often a running job records a heartbeat and
	// checks whether it was cancelled (default 10s).
	HeartbeatEvery time.Duration
	// StaleAfter is how old a running job's heartbeat may get before the
	// reaper decides its worker died (default 2m; at least 3×HeartbeatEvery).
	StaleAfter time.Duration
	// MaxAttempts bounds how many times a job is started (default 3).
	MaxAttempts int
	// KeepModels is how many of each user's newest versions pruning keeps,
	// besides the active one (default 5).
	KeepModels int
	// JobRetention is how long finished jobs are kept (default 30 days).
	JobRetention time.Duration
	// MaxUnlabelled caps the unlabelled transactions given to the trainer
	// (default 5000).
	MaxUnlabelled int
	// Metric is the held-out metric that decides activation; higher is
	// better (default "accuracy").
	Metric string
	// ReapEvery, PruneEvery and PurgeEvery are the housekeeping periods
	// (defaults 1m, 1h, 6h).
	ReapEvery, PruneEvery, PurgeEvery time.Duration
}

// The defaults of Config.
const (
	DefaultMinLabels      = 50
	DefaultHeartbeatEvery = 10 * time.Second
	DefaultStaleAfter     = 2 * time.Minute
	DefaultMaxAttempts    = 3
	DefaultKeepModels     = 5
	DefaultJobRetention   = 30 * 24 * time.Hour
	DefaultMaxUnlabelled  = 5000
	DefaultMetric         = "accuracy"
	DefaultReapEvery      = time.Minute
	DefaultPruneEvery     = time.Hour
	DefaultPurgeEvery     = 6 * time.Hour
)

func (c Config) withDefaults() Config {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if c.MinLabels <= 0 {
		c.MinLabels = DefaultMinLabels
	}
	def(&c.HeartbeatEvery, DefaultHeartbeatEvery)
	def(&c.StaleAfter, DefaultStaleAfter)
	c.StaleAfter = max(c.StaleAfter, 3*c.HeartbeatEvery)
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = DefaultMaxAttempts
	}
	if c.KeepModels <= 0 {
		c.KeepModels = DefaultKeepModels
	}
	def(&c.JobRetention, DefaultJobRetention)
	if c.MaxUnlabelled <= 0 {
		c.MaxUnlabelled = DefaultMaxUnlabelled
	}
	if c.Metric == "" {
		c.Metric = DefaultMetric
	}
	def(&c.ReapEvery, DefaultReapEvery)
	def(&c.PruneEvery, DefaultPruneEvery)
	def(&c.PurgeEvery, DefaultPurgeEvery)
	return c
}

// Deps is what the service needs. Swapper, Clock and Logger are optional.
type Deps struct {
	Jobs         ports.JobStore
	Models       ports.ModelStore
	Transactions ports.TransactionStore
	Queue        ports.Queue
	Trainer      ports.Trainer
	// Swapper is told about activations (default: nobody).
	Swapper Swapper
	// Clock stamps jobs and models (default: the system clock).
	Clock ports.Clock
	// Logger receives job outcomes and housekeeping counts (default: discard).
	Logger *slog.Logger
	Config Config
}

// Service runs training jobs and keeps the model registry.
type Service struct {
	jobs    ports.JobStore
	models  ports.ModelStore
	txs     ports.TransactionStore
	queue   ports.Queue
	trainer ports.Trainer
	swapper Swapper
	clock   ports.Clock
	log     *slog.Logger
	cfg     Config
}

// New returns a Service. Jobs, Models, Transactions, Queue and Trainer are
// required. It registers no handlers: call Register on the worker.
func New(d Deps) (*Service, error) {
	var missing []scale.FieldError
	for _, f := range []struct {
		name string
		ok   bool
	}{{"Jobs", d.Jobs != nil}, {"Models", d.Models != nil}, {"Transactions", d.Transactions != nil},
		{"Queue", d.Queue != nil}, {"Trainer", d.Trainer != nil}} {
		if !f.ok {
			missing = append(missing, scale.FieldError{Field: f.name, Message: "is required"})
		}
	}
	if len(missing) > 0 {
		return nil, scale.InvalidFields(CodeDepsInvalid, "training.New: missing dependencies", missing...)
	}
	if d.Clock == nil {
		d.Clock = ports.SystemClock{}
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{
		jobs: d.Jobs, models: d.Models, txs: d.Transactions, queue: d.Queue, trainer: d.Trainer,
		swapper: d.Swapper, clock: d.Clock, log: d.Logger.With("component", "training"), cfg: d.Config.withDefaults(),
	}, nil
}

// Config returns the effective configuration, defaults filled in.
func (s *Service) Config() Config { return s.cfg }

// Register installs the handlers of JobTrain and the housekeeping jobs on
// q. Call it on the worker's queue before starting it.
func (s *Service) Register(q ports.Queue) {
	q.Handle(JobTrain, s.Handler())
	q.Handle(JobReap, s.ReapHandler())
	q.Handle(JobPruneModels, s.PruneHandler())
	q.Handle(JobPurgeJobs, s.PurgeHandler())
}

// now is the service clock, truncated to microseconds like PostgreSQL.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }
