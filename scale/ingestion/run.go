package ingestion

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"strconv"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// importRun is the state of one import while its rows stream through.
type importRun struct {
	s    *Service
	req  Request
	acct scale.Account
	up   *scale.Upload
	itx  ports.ImportTx
	occ  *occurrences
	// sorted says the rows come in date order, so the occurrence counts
	// of a day can be dropped once the next day starts: memory stays
	// bounded by the rows of one day instead of the whole file.
	sorted  bool
	lastDay scale.Date
	batch   []scale.Transaction
	// pending are the store's answers for the batches being inserted while
	// the next one is parsed and labelled, oldest first.
	pending []chan insertOutcome
	// refSeen holds the fingerprints (their first 16 bytes) of the rows
	// with a bank reference seen so far: a repeat of one is a duplicate of
	// the first, counted here and never sent to the store, so that no two
	// rows of one import share a fingerprint and the order in which the
	// store applies overlapping batches cannot decide which row is kept.
	// (Rows without a reference have unique fingerprints by construction:
	// the occurrence index.)
	refSeen map[[16]byte]struct{}
	res     Result
	records int
	// safe withholds the store the promise of unique fingerprints
	// (ports.ImportOptions): the second attempt after another writer
	// stored one of the rows meanwhile.
	safe bool
}

// run parses the spooled file and stores its rows (or, on a dry run,
// collects them). It fills in up (format, account, counts) as it goes, so
// that a failed upload still records what was detected.
func (s *Service) run(ctx context.Context, req Request, m *Mapping, src Source, up *scale.Upload, safe bool) (Result, error) {
	r, err := Open(src, Options{Mapping: m, Password: req.Password, Limits: s.lim, TempDir: s.d.TempDir, FileName: req.FileName, Decoders: s.d.Decoders})
	if err != nil {
		return Result{}, err
	}
	defer r.Close()
	up.Format = string(r.Format())
	cur := r.Currency()
	if cur == "" && m != nil {
		cur = m.DefaultCurrency
	}
	acct, err := s.account(ctx, req.User, req.Account, cur, req.DryRun)
	if err != nil {
		return Result{}, err
	}
	up.Account = acct.ID
	run := &importRun{s: s, req: req, acct: acct, up: up, occ: newOccurrences(), batch: make([]scale.Transaction, 0, BatchSize), safe: safe}
	if x, ok := r.(interface{ sortedByDate() bool }); ok {
		run.sorted = x.sortedByDate()
	}
	run.refSeen = map[[16]byte]struct{}{}
	if !req.DryRun {
		itx, err := s.d.Transactions.BeginImport(ctx, req.User, ports.ImportOptions{UniqueFingerprints: !run.safe})
		if err != nil {
			return Result{}, err
		}
		run.itx = itx
		defer func() {
			_ = run.waitAll() // never roll back under an insert still in flight
			_ = itx.Rollback(context.WithoutCancel(ctx))
		}()
	}
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Result{}, err
		}
		run.records++
		if err := run.add(ctx, rec); err != nil {
			return Result{}, err
		}
	}
	if err := run.flush(ctx); err != nil {
		return Result{}, err
	}
	if err := run.waitAll(); err != nil {
		return Result{}, err
	}
	now := s.d.Clock.Now()
	up.Status, up.FinishedAt = scale.UploadCompleted, &now
	if !req.DryRun {
		if err := run.itx.Commit(ctx, *up); err != nil {
			return Result{}, err
		}
		s.log.InfoContext(ctx, "ingestion: import completed", slog.String("upload", string(up.ID)),
			slog.String("format", up.Format), slog.Int("inserted", up.Counts.Inserted),
			slog.Int("duplicates", up.Counts.Duplicates), slog.Int("rejected", up.Counts.Rejected),
			slog.Int("skipped", up.Counts.Skipped))
	}
	run.res.Upload = *up
	return run.res, nil
}

// add normalizes one record into the current batch.
func (run *importRun) add(ctx context.Context, rec Record) error {
	switch rec.Status {
	case RecordSkipped:
		run.up.Counts.Skipped++
		return nil
	case RecordRejected:
		run.reject(rec.Line, rec.Reason)
		return nil
	}
	tx, reason := run.transaction(rec)
	if reason != "" {
		run.reject(rec.Line, reason)
		return nil
	}
	if tx.Reference != "" && len(tx.Fingerprint) >= 32 {
		var key [16]byte
		if _, err := hex.Decode(key[:], []byte(tx.Fingerprint[:32])); err == nil {
			if _, dup := run.refSeen[key]; dup {
				run.up.Counts.Duplicates++
				return nil
			}
			run.refSeen[key] = struct{}{}
		}
	}
	run.batch = append(run.batch, tx)
	if len(run.batch) >= BatchSize {
		return run.flush(ctx)
	}
	return nil
}

func (run *importRun) reject(line int, reason string) {
	run.up.Counts.Rejected++
	if len(run.up.Rejections) < run.s.lim.MaxRejections {
		run.up.Rejections = append(run.up.Rejections, scale.Rejection{Line: line, Reason: reason})
	}
}

// transaction builds and validates the transaction of one record; reason
// is non-empty when the row must be rejected.
func (run *importRun) transaction(rec Record) (scale.Transaction, string) {
	cur := rec.Currency
	if cur == "" {
		cur = run.acct.Currency
	}
	minor, err := MinorUnits(rec.Amount, cur)
	if err != nil {
		return scale.Transaction{}, "the amount has more decimals than " + string(cur) + " allows"
	}
	tx := scale.Transaction{
		ID: scale.TransactionID(scale.NewID()), User: run.req.User, Account: run.acct.ID, Date: rec.Date,
		Amount: scale.Money{Minor: minor, Currency: cur}, Description: rec.Description, Merchant: rec.Counterparty,
		Reference: rec.Reference, FingerprintVersion: FingerprintVersion, Upload: run.up.ID, Raw: rec.Raw,
	}
	if c := CategoryFromText(rec.Category); c != "" {
		tx.Label = scale.Label{Category: c, Source: scale.SourceImport, Confidence: 1}
	}
	check := tx
	if check.Account == "" {
		check.Account = "dry-run" // a dry run may have no account yet
	}
	if err := check.Validate(); err != nil {
		return scale.Transaction{}, validationReason(err)
	}
	if tx.Reference != "" {
		tx.Fingerprint = Fingerprint(FingerprintInput{Account: tx.Account, Reference: tx.Reference})
	} else {
		if run.sorted && tx.Date != run.lastDay {
			run.occ.reset()
			run.lastDay = tx.Date
		}
		key := contentKey(tx.Account, tx.Date, minor, cur, NormalizeDescription(tx.Description))
		tx.Fingerprint = rowFingerprint(key, run.occ.next(key))
	}
	return tx, ""
}

// rowFingerprint equals Fingerprint for a reference-less row whose
// content key is key.
func rowFingerprint(key string, occurrence int) string {
	h := sha256.New()
	h.Write([]byte("scale-fp\x1fv1\x1frow\x1f"))
	h.Write([]byte(key))
	h.Write([]byte("\x1f" + strconv.Itoa(occurrence)))
	return hex.EncodeToString(h.Sum(nil))
}

// validationReason turns a Validate error into a rejection reason.
func validationReason(err error) string {
	var e *scale.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return e.Fields[0].Field + " " + e.Fields[0].Message
	}
	return "the row is not a valid transaction"
}

// flush labels and stores the current batch.
func (run *importRun) flush(ctx context.Context) error {
	if len(run.batch) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// One time stamp per batch: the rows of a batch are stored together,
	// and a store can send what they share once.
	now := run.s.d.Clock.Now()
	for i := range run.batch {
		run.batch[i].CreatedAt, run.batch[i].UpdatedAt = now, now
	}
	run.label(ctx)
	if run.req.DryRun {
		stored, err := run.storedFingerprints(ctx)
		if err != nil {
			return err
		}
		for _, tx := range run.batch {
			if _, dup := stored[tx.Fingerprint]; dup {
				run.up.Counts.Duplicates++
				continue
			}
			run.up.Counts.Inserted++
			if len(run.res.Transactions) < run.s.lim.MaxDryRunRows {
				run.res.Transactions = append(run.res.Transactions, tx)
			} else {
				run.res.Truncated = true
			}
		}
	} else {
		// At most maxInFlight inserts at a time: while one batch is stored,
		// the next is encoded for the store and the one after is parsed and
		// labelled, so the database and the CPU work overlap. The store
		// applies overlapping batches one after the other in either order,
		// which is safe because no two rows of an import share a
		// fingerprint (see refSeen).
		if len(run.pending) >= maxInFlight {
			if err := run.wait(); err != nil {
				return err
			}
		}
		batch := run.batch
		run.batch = make([]scale.Transaction, 0, BatchSize)
		done := make(chan insertOutcome, 1)
		run.pending = append(run.pending, done)
		go func() {
			res, err := run.itx.Insert(ctx, batch)
			done <- insertOutcome{res, err}
		}()
	}
	run.batch = run.batch[:0]
	if run.req.Progress != nil {
		run.req.Progress(run.records)
	}
	return nil
}

// storedFingerprints returns, for a dry run, the fingerprints of the
// batch that the user already has, so that the dry run counts the same
// duplicates the import would. Without an account nothing can be stored yet.
func (run *importRun) storedFingerprints(ctx context.Context) (map[string]struct{}, error) {
	if run.acct.ID == "" {
		return nil, nil
	}
	fps := make([]string, len(run.batch))
	for i, tx := range run.batch {
		fps[i] = tx.Fingerprint
	}
	have, err := run.s.d.Transactions.ExistingFingerprints(ctx, run.req.User, fps)
	if err != nil {
		return nil, err
	}
	set := make(map[string]struct{}, len(have))
	for _, fp := range have {
		set[fp] = struct{}{}
	}
	return set, nil
}

// insertOutcome is the store's answer for one batch.
type insertOutcome struct {
	res ports.InsertResult
	err error
}

// maxInFlight is the most batch inserts of one import in flight at once.
const maxInFlight = 2

// wait collects the oldest batch insert in flight, if any, into the counts.
func (run *importRun) wait() error {
	if len(run.pending) == 0 {
		return nil
	}
	out := <-run.pending[0]
	run.pending = run.pending[1:]
	if out.err != nil {
		// The batch in flight with this one may have failed first and
		// made the store refuse this one (a failed precondition): report
		// the cause.
		for _, p := range run.pending {
			if o := <-p; o.err != nil && scale.KindOf(out.err) == scale.KindFailedPrecondition &&
				scale.KindOf(o.err) != scale.KindFailedPrecondition {
				out.err = o.err
			}
		}
		run.pending = nil
		return out.err
	}
	run.up.Counts.Inserted += len(out.res.Inserted)
	run.up.Counts.Duplicates += len(out.res.Duplicates)
	return nil
}

// waitAll collects every batch insert in flight; it returns the first
// error and still waits for the rest.
func (run *importRun) waitAll() error {
	var first error
	for len(run.pending) > 0 {
		if err := run.wait(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// label asks the Labeller once for the rows of the batch that carry no
// import label. A labelling failure leaves the rows uncategorized and is
// logged; it never fails the import.
func (run *importRun) label(ctx context.Context) {
	if run.s.d.Labeller == nil {
		return
	}
	var idx []int
	var txs []scale.Transaction
	for i, tx := range run.batch {
		if tx.Label.Source != scale.SourceImport {
			idx = append(idx, i)
			txs = append(txs, tx)
		}
	}
	if len(txs) == 0 {
		return
	}
	labels, err := run.s.d.Labeller.LabelBatch(ctx, run.req.User, txs)
	if err != nil || len(labels) != len(txs) {
		run.s.log.WarnContext(ctx, "ingestion: labelling a batch failed; rows stay uncategorized",
			slog.String("upload", string(run.up.ID)), slog.Any("error", err), slog.Int("rows", len(txs)), slog.Int("labels", len(labels)))
		return
	}
	for k, i := range idx {
		l := labels[k]
		if l.Source.Valid() && l.Confidence >= 0 && l.Confidence <= 1 {
			run.batch[i].Label = l
		}
	}
}
