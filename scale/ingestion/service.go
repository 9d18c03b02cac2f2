package ingestion

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// BatchSize is the number of rows labelled and inserted per call.
const BatchSize = 1000

// Labeller categorizes imported rows, one call per batch of up to
// BatchSize rows (never one call per row). It returns one label per input
// transaction, in order. The SDK satisfies it with the categorization
// service; rows that already carry an import label are not passed in.
type Labeller interface {
	LabelBatch(ctx context.Context, user scale.UserID, txs []scale.Transaction) ([]scale.Label, error)
}

// Deps are the driven ports and settings of a Service.
type Deps struct {
	Transactions ports.TransactionStore
	Uploads      ports.UploadStore
	Accounts     ports.AccountStore
	// Labeller is optional; without it rows stay uncategorized (or keep
	// their import label).
	Labeller Labeller
	// Clock defaults to ports.SystemClock.
	Clock ports.Clock
	// Logger defaults to a logger that discards everything.
	Logger *slog.Logger
	// Limits' zero fields take DefaultLimits.
	Limits Limits
	// TempDir is where uploads are spooled; empty means os.TempDir().
	TempDir string
	// Decoders read XLSX and OFX files (adapters/statements); without them
	// only CSV/TSV statements are accepted.
	Decoders ports.StatementDecoders
}

// Service imports statements for users: spool, dedup, parse, normalize,
// fingerprint, label and store atomically, recording every upload.
type Service struct {
	d   Deps
	lim Limits
	log *slog.Logger
}

// New checks the dependencies and returns a Service.
func New(d Deps) (*Service, error) {
	if d.Transactions == nil || d.Uploads == nil || d.Accounts == nil {
		return nil, scale.Internal(errors.New("ingestion: Deps needs Transactions, Uploads and Accounts"), CodeConfigInvalid)
	}
	if d.Clock == nil {
		d.Clock = ports.SystemClock{}
	}
	log := d.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{d: d, lim: d.Limits.withDefaults(), log: log}, nil
}

// Request is one statement file to import.
type Request struct {
	User scale.UserID
	// Account receives the rows; empty means the user's default account:
	// the first open one, or a new "Main account" in the statement's
	// currency (EUR when the file does not say).
	Account  scale.AccountID
	FileName string
	// Body is read once, up to Limits.MaxFileBytes.
	Body io.Reader
	// Password opens an encrypted workbook.
	Password string
	// Profile names a built-in mapping (see Profiles); Mapping, when set,
	// wins over Profile.
	Profile string
	Mapping *Mapping
	// DryRun parses and reports without storing anything or recording the
	// upload; Result.Transactions holds what would be imported.
	DryRun bool
	// Progress, when set, is called after each batch with the number of
	// records read so far.
	Progress func(records int)
}

// Result is the outcome of an import.
type Result struct {
	// Upload is the upload record: id, status, counts and rejections. On a
	// dry run it is not stored and has no id.
	Upload scale.Upload
	// Replayed is true when the same file (same SHA-256) was imported
	// before: Upload is that earlier upload and nothing new was stored.
	Replayed bool
	// Transactions are the parsed rows of a dry run, at most
	// Limits.MaxDryRunRows of them.
	Transactions []scale.Transaction
	// Truncated says Transactions was cut at Limits.MaxDryRunRows.
	Truncated bool
}

// GetUpload returns one of the user's uploads or KindNotFound.
func (s *Service) GetUpload(ctx context.Context, user scale.UserID, id scale.UploadID) (scale.Upload, error) {
	return s.d.Uploads.GetUpload(ctx, user, id)
}

// ListUploads returns the user's uploads, newest first, one keyset page.
func (s *Service) ListUploads(ctx context.Context, user scale.UserID, limit int, after *ports.UploadCursor) ([]scale.Upload, *ports.UploadCursor, error) {
	return s.d.Uploads.ListUploads(ctx, user, limit, after)
}

// Import imports one statement. Re-importing a byte-identical file returns
// the earlier result (Replayed) unless that earlier import failed or has
// been stuck in "processing" for longer than Limits.StaleAfter, in which
// case it runs again under the same upload id. All valid rows are stored
// in one atomic step; a failure half-way stores none and marks the upload
// failed.
func (s *Service) Import(ctx context.Context, req Request) (Result, error) {
	mapping, err := s.mapping(req)
	if err != nil {
		return Result{}, err
	}
	if req.User == "" || req.Body == nil {
		return Result{}, scale.Invalid(CodeRequestInvalid, "An import needs a user and a file.")
	}
	sp, err := spool(req.Body, s.d.TempDir, s.lim.MaxFileBytes)
	if err != nil {
		return Result{}, err
	}
	defer sp.remove()

	up := scale.Upload{
		User: req.User, Account: req.Account, FileName: clipRunes(cleanText(req.FileName), 255),
		SHA256: sp.sha256, Size: sp.size, Status: scale.UploadProcessing, CreatedAt: s.d.Clock.Now(),
	}
	if !req.DryRun {
		prev, replay, err := s.claim(ctx, &up)
		if err != nil {
			return Result{}, err
		}
		if replay {
			return Result{Upload: prev, Replayed: true}, nil
		}
	}
	claimed := up
	res, err := s.run(ctx, req, mapping, sp.f, &up, false)
	if scale.CodeOf(err) == ports.CodeImportRetry {
		// Another writer stored one of these rows while the import ran
		// without looking for duplicates: nothing was kept; once more,
		// looking for them.
		s.log.InfoContext(ctx, "ingestion: import raced another writer; running it again",
			slog.String("upload", string(up.ID)))
		up = claimed
		res, err = s.run(ctx, req, mapping, sp.f, &up, true)
	}
	if err != nil {
		if !req.DryRun {
			s.fail(ctx, up, err)
		}
		return Result{}, publicError(err)
	}
	return res, nil
}

// mapping resolves Request.Mapping and Request.Profile.
func (s *Service) mapping(req Request) (*Mapping, error) {
	if req.Mapping != nil {
		m := *req.Mapping
		return &m, nil
	}
	if req.Profile == "" {
		return nil, nil
	}
	m, ok := LookupProfile(req.Profile)
	if !ok {
		return nil, scale.InvalidFields(CodeProfileUnknown, "The import profile is not known.",
			scale.FieldError{Field: "profile", Message: "must be one of the built-in profiles: " + strings.Join(Profiles(), ", ")})
	}
	return &m, nil
}

// claim records the upload as processing, or finds the earlier upload of
// the same bytes. replay is true when that earlier result must be
// returned as is.
func (s *Service) claim(ctx context.Context, up *scale.Upload) (scale.Upload, bool, error) {
	for attempt := 0; attempt < 2; attempt++ {
		prev, err := s.d.Uploads.FindUploadBySHA256(ctx, up.User, up.SHA256)
		switch {
		case err == nil:
			switch {
			case prev.Status == scale.UploadCompleted:
				return prev, true, nil
			case prev.Status == scale.UploadProcessing && s.d.Clock.Now().Sub(prev.CreatedAt) < s.lim.StaleAfter:
				return scale.Upload{}, false, scale.Conflict(CodeUploadInProgress, "This file is being imported right now.")
			}
			// A failed or stale upload of the same bytes runs again under
			// its id; fingerprints make a second run harmless.
			up.ID, up.CreatedAt = prev.ID, prev.CreatedAt
			if err := s.d.Uploads.UpdateUpload(ctx, *up); err != nil {
				return scale.Upload{}, false, err
			}
			return scale.Upload{}, false, nil
		case scale.KindOf(err) != scale.KindNotFound:
			return scale.Upload{}, false, err
		}
		up.ID = scale.UploadID(scale.NewID())
		err = s.d.Uploads.CreateUpload(ctx, *up)
		if err == nil {
			return scale.Upload{}, false, nil
		}
		if scale.KindOf(err) != scale.KindConflict {
			return scale.Upload{}, false, err
		}
		// A concurrent request recorded the same file first: look again.
	}
	return scale.Upload{}, false, scale.Conflict(CodeUploadInProgress, "This file is being imported right now.")
}

// fail rolls the upload record to failed with a message safe to show.
func (s *Service) fail(ctx context.Context, up scale.Upload, cause error) {
	now := s.d.Clock.Now()
	up.Status, up.Error, up.FinishedAt = scale.UploadFailed, safeMessage(cause), &now
	up.Counts, up.Rejections = scale.ImportCounts{}, nil
	ctx = context.WithoutCancel(ctx)
	if err := s.d.Uploads.UpdateUpload(ctx, up); err != nil {
		s.log.ErrorContext(ctx, "ingestion: marking upload failed", slog.String("upload", string(up.ID)), slog.Any("error", err))
	}
	s.log.WarnContext(ctx, "ingestion: import failed", slog.String("upload", string(up.ID)),
		slog.String("code", scale.CodeOf(cause)), slog.Any("error", cause))
}

// safeMessage is the part of an error its owner may see.
func safeMessage(err error) string {
	var e *scale.Error
	if errors.As(err, &e) && e.Kind != scale.KindInternal && e.Message != "" {
		return e.Message
	}
	return "The import failed; nothing was stored. Try again later."
}

// publicError makes sure the caller gets a *scale.Error.
func publicError(err error) error {
	var e *scale.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return scale.Wrap(err, scale.KindUnavailable, CodeImportFailed, "The import was interrupted; nothing was stored.")
	}
	return scale.Internal(err, CodeImportFailed)
}

// spooled is an upload copied to a temporary file.
type spooled struct {
	f      *os.File
	sha256 string
	size   int64
}

func (s spooled) remove() {
	_ = s.f.Close()
	_ = os.Remove(s.f.Name())
}
