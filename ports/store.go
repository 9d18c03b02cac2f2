package ports

import (
	"context"
	"time"

	"github.com/scalehq/scale/scale"
)

// Store is everything the core persists. The memory and postgres adapters
// implement all of it.
type Store interface {
	ProfileStore
	AccountStore
	TransactionStore
	UploadStore
	CategoryStore
	JobStore
	ModelStore
	AnomalyStore
	// Ping reports whether the store can serve requests.
	Ping(ctx context.Context) error
}

// ProfileStore keeps one profile per user.
type ProfileStore interface {
	// GetProfile returns the user's profile, or KindNotFound when the user
	// has never saved one.
	GetProfile(ctx context.Context, user scale.UserID) (scale.Profile, error)
	// PutProfile creates or replaces p (p.User is the owner).
	PutProfile(ctx context.Context, p scale.Profile) error
}

// AccountStore keeps bank accounts.
type AccountStore interface {
	// CreateAccount stores a; an existing ID is KindConflict.
	CreateAccount(ctx context.Context, a scale.Account) error
	// GetAccount returns the account, or KindNotFound (also when another
	// user owns it).
	GetAccount(ctx context.Context, user scale.UserID, id scale.AccountID) (scale.Account, error)
	// ListAccounts returns the user's accounts, oldest first.
	ListAccounts(ctx context.Context, user scale.UserID) ([]scale.Account, error)
	// UpdateAccount replaces name, kind, institution, closed-at and
	// updated-at of the account a.ID owned by a.User, or KindNotFound.
	UpdateAccount(ctx context.Context, a scale.Account) error
}

// TransactionCursor is the keyset position after which a page starts.
type TransactionCursor struct {
	Date scale.Date
	ID   scale.TransactionID
}

// TransactionQuery selects and orders a user's transactions. Zero fields do
// not filter. Amount bounds are signed minor units, inclusive.
type TransactionQuery struct {
	From, To      scale.Date
	MinAmount     *int64
	MaxAmount     *int64
	Type          scale.Type
	Categories    []scale.CategoryID
	Merchant      string // case-insensitive equality
	Account       scale.AccountID
	Upload        scale.UploadID
	Text          string // case-insensitive substring of description or merchant
	LabelSource   *scale.LabelSource
	Uncategorized bool
	// Ascending orders by (date, id) ascending; the default is descending.
	Ascending bool
	// Limit is the page size; implementations cap it at MaxPageSize.
	Limit int
	After *TransactionCursor
}

// MaxPageSize bounds every listing.
const MaxPageSize = 1000

// TransactionPage is one page of a listing. Next is nil on the last page.
type TransactionPage struct {
	Items []scale.Transaction
	Next  *TransactionCursor
}

// InsertResult tells, by index into the input slice, which transactions were
// new and which were already stored (same user and fingerprint).
type InsertResult struct {
	Inserted   []int
	Duplicates []int
}

// LabelUpdate sets the label of one transaction.
type LabelUpdate struct {
	ID    scale.TransactionID
	Label scale.Label
}

// TransactionStore keeps transactions. A transaction's fingerprint is unique
// per user.
type TransactionStore interface {
	// InsertTransactions stores txs of user atomically, skipping (and
	// reporting) those whose fingerprint the user already has, including
	// repeats within txs. Invalid input — including a transaction on an
	// account the user does not own — is KindInvalid and writes nothing.
	InsertTransactions(ctx context.Context, user scale.UserID, txs []scale.Transaction) (InsertResult, error)
	// GetTransaction returns one transaction or KindNotFound.
	GetTransaction(ctx context.Context, user scale.UserID, id scale.TransactionID) (scale.Transaction, error)
	// ListTransactions returns one keyset page ordered by (date, id).
	ListTransactions(ctx context.Context, user scale.UserID, q TransactionQuery) (TransactionPage, error)
	// UpdateTransaction replaces merchant, notes, label and updated-at of
	// tx.ID owned by tx.User, or KindNotFound.
	UpdateTransaction(ctx context.Context, tx scale.Transaction) error
	// SetLabels sets labels of many transactions of user in one step;
	// ids the user does not own are ignored. It returns how many changed.
	SetLabels(ctx context.Context, user scale.UserID, updates []LabelUpdate) (int, error)
	// DeleteTransaction removes one transaction or reports KindNotFound.
	DeleteTransaction(ctx context.Context, user scale.UserID, id scale.TransactionID) error
	// ExistingFingerprints returns those of fingerprints that the user
	// already has (each once, in no particular order): the rows an insert
	// would report as duplicates. A dry-run import asks it per batch.
	ExistingFingerprints(ctx context.Context, user scale.UserID, fingerprints []string) ([]string, error)
	// BeginImport opens an atomic import of one upload: nothing written
	// through it is visible until Commit, and Rollback (or a crash) leaves
	// nothing behind.
	BeginImport(ctx context.Context, user scale.UserID, opts ImportOptions) (ImportTx, error)
}

// ImportOptions tunes an import.
type ImportOptions struct {
	// UniqueFingerprints promises that no two rows inserted through the
	// import share a fingerprint (the ingestion service guarantees it: an
	// occurrence index or a bank reference makes each row's fingerprint
	// its own). A store may then store rows that cannot duplicate a stored
	// one (an account with no transactions when the import first wrote to
	// it) without looking for duplicates. Should another writer store a row with one of the
	// import's fingerprints in that account meanwhile, Insert fails with
	// KindConflict and CodeImportRetry, nothing of the import is stored,
	// and the import must be rolled back and run again without the
	// promise.
	UniqueFingerprints bool
}

// CodeImportRetry: an import that promised unique fingerprints met a row
// stored by another writer meanwhile; run it again without the promise.
const CodeImportRetry = "import.retry"

// ImportTx is one atomic import in progress. An importer may call Insert
// again before an earlier call has returned (it overlaps the encoding of
// one batch with the storing of the previous one); the store applies the
// calls one after the other, in no promised order, so an importer that
// overlaps calls sends each fingerprint at most once. Commit and Rollback
// come after every Insert has returned.
type ImportTx interface {
	// Insert behaves as TransactionStore.InsertTransactions inside the
	// import; repeats across calls of one import are duplicates too. After
	// an error other than KindInvalid the import is unusable: roll back.
	Insert(ctx context.Context, txs []scale.Transaction) (InsertResult, error)
	// Commit makes the rows visible and saves the finished upload record in
	// the same step.
	Commit(ctx context.Context, upload scale.Upload) error
	// Rollback discards everything; it is safe after Commit (a no-op).
	Rollback(ctx context.Context) error
}

// UploadCursor is the keyset position after which a page of uploads starts.
type UploadCursor struct {
	CreatedAt time.Time
	ID        scale.UploadID
}

// UploadStore records uploaded statement files. SHA256 is unique per user.
type UploadStore interface {
	// CreateUpload stores u; an upload of the same user with the same
	// SHA256 is KindConflict.
	CreateUpload(ctx context.Context, u scale.Upload) error
	// GetUpload returns one upload or KindNotFound.
	GetUpload(ctx context.Context, user scale.UserID, id scale.UploadID) (scale.Upload, error)
	// FindUploadBySHA256 returns the user's upload of that content or
	// KindNotFound.
	FindUploadBySHA256(ctx context.Context, user scale.UserID, sha256 string) (scale.Upload, error)
	// ListUploads returns the user's uploads, newest first.
	ListUploads(ctx context.Context, user scale.UserID, limit int, after *UploadCursor) ([]scale.Upload, *UploadCursor, error)
	// UpdateUpload replaces the mutable fields (account, status, counts,
	// rejections, error, finished-at, format) of u.ID owned by u.User.
	UpdateUpload(ctx context.Context, u scale.Upload) error
}

// Correction remembers that a user put transactions with this key (a
// normalized merchant or description) in Category.
type Correction struct {
	User      scale.UserID
	Key       string
	Category  scale.CategoryID
	UpdatedAt time.Time
}

// CategoryStore keeps a user's own categories, rules and corrections. The
// default taxonomy is not stored: it is scale.DefaultCategories.
type CategoryStore interface {
	// ListCategories returns the user's own categories, oldest first.
	ListCategories(ctx context.Context, user scale.UserID) ([]scale.Category, error)
	// CreateCategory stores c; a name the user already has (ignoring case)
	// or an existing ID is KindConflict.
	CreateCategory(ctx context.Context, c scale.Category) error
	// UpdateCategory renames c.ID owned by c.User, or KindNotFound.
	UpdateCategory(ctx context.Context, c scale.Category) error
	// DeleteCategory removes one of the user's categories, and the user's
	// corrections that point to it, or reports KindNotFound.
	DeleteCategory(ctx context.Context, user scale.UserID, id scale.CategoryID) error

	// ListRules returns the user's rules by ascending priority, then age.
	ListRules(ctx context.Context, user scale.UserID) ([]scale.Rule, error)
	// CreateRule stores r.
	CreateRule(ctx context.Context, r scale.Rule) error
	// GetRule returns one rule or KindNotFound.
	GetRule(ctx context.Context, user scale.UserID, id scale.RuleID) (scale.Rule, error)
	// UpdateRule replaces r.ID owned by r.User, or KindNotFound.
	UpdateRule(ctx context.Context, r scale.Rule) error
	// DeleteRule removes one rule or KindNotFound.
	DeleteRule(ctx context.Context, user scale.UserID, id scale.RuleID) error

	// PutCorrection creates or replaces the correction for (c.User, c.Key).
	PutCorrection(ctx context.Context, c Correction) error
	// ListCorrections returns all corrections of the user.
	ListCorrections(ctx context.Context, user scale.UserID) ([]Correction, error)
}

// JobStore keeps training jobs. Status changes go through TransitionJob,
// which refuses illegal moves.
type JobStore interface {
	// CreateJob stores j (status queued); an existing ID is KindConflict.
	CreateJob(ctx context.Context, j scale.TrainingJob) error
	// GetJob returns one job or KindNotFound.
	GetJob(ctx context.Context, user scale.UserID, id scale.JobID) (scale.TrainingJob, error)
	// ListJobs returns the user's jobs, newest first, at most limit.
	ListJobs(ctx context.Context, user scale.UserID, limit int) ([]scale.TrainingJob, error)
	// TransitionJob saves j only if the stored job is still in status from
	// and from → j.Status is legal; otherwise KindConflict. It is how a
	// worker claims, finishes or fails a job exactly once.
	TransitionJob(ctx context.Context, j scale.TrainingJob, from scale.JobStatus) error
	// HeartbeatJob records progress and a heartbeat of a running job; a job
	// that is no longer running is KindConflict (it was cancelled or reaped).
	HeartbeatJob(ctx context.Context, user scale.UserID, id scale.JobID, progress int, at time.Time) error
	// StaleJobs lists running jobs of any user whose heartbeat is older
	// than before. It is for the housekeeping reaper, which runs with
	// service credentials.
	StaleJobs(ctx context.Context, before time.Time) ([]scale.TrainingJob, error)
	// PurgeJobs deletes finished jobs of any user finished before the time,
	// returning how many. Housekeeping only.
	PurgeJobs(ctx context.Context, finishedBefore time.Time) (int, error)
}

// ModelStore keeps model versions per user.
type ModelStore interface {
	// CreateModelVersion stores m with the next version number for its user
	// and returns it. A second version for the same job is KindConflict, so
	// a retried job never publishes twice.
	CreateModelVersion(ctx context.Context, m scale.ModelVersion) (scale.ModelVersion, error)
	// GetModelVersion returns one version (with its artifact) or KindNotFound.
	GetModelVersion(ctx context.Context, user scale.UserID, id scale.ModelVersionID) (scale.ModelVersion, error)
	// ActiveModel returns the user's active version, or KindNotFound.
	ActiveModel(ctx context.Context, user scale.UserID) (scale.ModelVersion, error)
	// ListModelVersions returns the user's versions newest first, without
	// artifacts.
	ListModelVersions(ctx context.Context, user scale.UserID) ([]scale.ModelVersion, error)
	// ActivateModel makes id the user's only active version.
	ActivateModel(ctx context.Context, user scale.UserID, id scale.ModelVersionID) error
	// PruneModels deletes the user's inactive versions beyond the newest
	// keep, returning how many it deleted.
	PruneModels(ctx context.Context, user scale.UserID, keep int) (int, error)
	// ModelUsers lists the users that have model versions. Housekeeping only.
	ModelUsers(ctx context.Context) ([]scale.UserID, error)
}

// AnomalyQuery selects a page of findings, newest first by (date, id).
type AnomalyQuery struct {
	Status scale.AnomalyStatus
	Kind   scale.AnomalyKind
	Limit  int
	After  *TransactionCursor // reuses (date, id) keyset; ID is the anomaly id
}

// AnomalyPage is one page of findings.
type AnomalyPage struct {
	Items []scale.Anomaly
	Next  *TransactionCursor
}

// AnomalyStore keeps findings. (user, transaction, kind) is unique.
type AnomalyStore interface {
	// PutAnomalies stores findings, ignoring ones already stored for the
	// same transaction and kind; it returns how many were new.
	PutAnomalies(ctx context.Context, user scale.UserID, as []scale.Anomaly) (int, error)
	// GetAnomaly returns one finding or KindNotFound.
	GetAnomaly(ctx context.Context, user scale.UserID, id scale.AnomalyID) (scale.Anomaly, error)
	// ListAnomalies returns one keyset page.
	ListAnomalies(ctx context.Context, user scale.UserID, q AnomalyQuery) (AnomalyPage, error)
	// SetAnomalyStatus records the user's feedback, or KindNotFound.
	SetAnomalyStatus(ctx context.Context, user scale.UserID, id scale.AnomalyID, s scale.AnomalyStatus, at time.Time) error
}
