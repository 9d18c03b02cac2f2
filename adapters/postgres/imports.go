package postgres

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// BeginImport implements ports.TransactionStore: it opens one database
// transaction that every Insert of the import and the final upload update
// share. Nothing is visible to others before Commit; a crash rolls back.
//
// With opts.UniqueFingerprints, the import's first write (a full batch of
// BatchSize rows) asks whether the user holds any transaction; when not —
// a user's first import —, its batches are stored without the duplicate
// probe: that first batch by the statement without ON CONFLICT and
// RETURNING, every later one by a binary COPY (copyInsert; ADR 0006).
// Should another writer store one of the fingerprints in the meantime, the
// unique index refuses the row and Insert answers ports.CodeImportRetry.
func (s *Store) BeginImport(ctx context.Context, user scale.UserID, opts ports.ImportOptions) (ports.ImportTx, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, mapError(err, "import")
	}
	return &importTx{tx: tx, user: user, unique: opts.UniqueFingerprints}, nil
}

type importTx struct {
	mu   sync.Mutex
	tx   pgx.Tx
	user scale.UserID
	done bool
	// failed is set when a statement failed: PostgreSQL has aborted the
	// transaction, so only Rollback is left.
	failed bool
	// unique is the importer's promise of unique fingerprints; fresh
	// says whether the user held no transaction when the import first
	// wrote, decided then (later, the import's own rows would answer).
	unique, decided, fresh bool
	// copying is set once the import skips the probe: later batches are
	// encoded for COPY (copyInsert) instead of the batch statement.
	copying atomic.Bool
}

// skipsProbe reports whether the batches of p may skip the duplicate
// probe: the importer promised unique fingerprints, the batches take the
// uniform form (freshInsert is a variant of it), and at the import's first
// write — a full batch, so small imports never pay for the check — the
// user held no transaction. Once that is decided, later batches go by
// COPY (insertCopy), whatever their form.
func (x *importTx) skipsProbe(ctx context.Context, p *preparedInsert) (bool, error) {
	if !x.decided {
		x.decided = true
		if x.unique && len(p.txs) >= BatchSize {
			// One index probe. (No index leads with the account, so asking
			// about the account alone would read all of a large user's
			// rows; an empty user has empty accounts, and a user's first
			// import is the large one.)
			var held bool
			err := x.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM transactions WHERE user_id = $1)`, string(x.user)).Scan(&held)
			if err != nil {
				return false, err
			}
			x.fresh = !held
		}
	}
	return x.fresh && p.uniformOnly(), nil
}

func errFinished() error {
	return scale.E(scale.KindFailedPrecondition, "import.finished", "the import is already finished")
}

func errAborted() error {
	return scale.E(scale.KindFailedPrecondition, "import.aborted",
		"an earlier step of this import failed; roll it back and start again")
}

// Insert implements ports.ImportTx. Calls may overlap: each encodes its
// rows on its own and then stores them under the import's lock. A database
// error aborts the import: the caller must Rollback and start again.
func (x *importTx) Insert(ctx context.Context, txs []scale.Transaction) (ports.InsertResult, error) {
	if err := validateBatch(x.user, txs); err != nil {
		return ports.InsertResult{}, err
	}
	// Encoded before taking the lock: while one call stores its batch,
	// the next one encodes — for COPY once the import is known to be the
	// user's first.
	if x.copying.Load() {
		return x.insertCopy(ctx, txs)
	}
	p, err := prepareInsert(x.user, txs)
	if err != nil {
		return ports.InsertResult{}, scale.Internal(err, scale.CodeInternal)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.usable(); err != nil || len(txs) == 0 {
		return ports.InsertResult{}, err
	}
	fresh, err := x.skipsProbe(ctx, p)
	if err != nil {
		x.failed = true
		return ports.InsertResult{}, mapError(err, "transaction")
	}
	var res ports.InsertResult
	if fresh {
		x.copying.Store(true)
		res, err = p.execFresh(ctx, x.tx)
	} else {
		res, err = p.exec(ctx, x.tx)
	}
	return res, x.storeError(err, fresh)
}

// insertCopy stores txs with one binary COPY (copyInsert); only an
// import that skips the duplicate probe comes here.
func (x *importTx) insertCopy(ctx context.Context, txs []scale.Transaction) (ports.InsertResult, error) {
	c := prepareCopy(x.user, txs)
	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.usable(); err != nil || len(txs) == 0 {
		return ports.InsertResult{}, err
	}
	res, err := c.exec(ctx, x.tx)
	return res, x.storeError(err, true)
}

// usable reports why the import can take no more rows, if it cannot; the
// caller holds x.mu.
func (x *importTx) usable() error {
	if x.done {
		return errFinished()
	}
	if x.failed {
		return errAborted()
	}
	return nil
}

// storeError maps the error of a store step and marks the import failed
// when there is one. A fingerprint's unique violation while skipping the
// probe means another writer stored one of the rows: ports.CodeImportRetry
// (a repeated id is the caller's fault, and a retry would not cure it).
func (x *importTx) storeError(err error, fresh bool) error {
	if err == nil {
		return nil
	}
	x.failed = true
	mapped := mapError(err, "transaction")
	var pe *pgconn.PgError
	if fresh && errors.As(err, &pe) && pe.Code == sqlUniqueViolation && pe.ConstraintName == fingerprintKey {
		return scale.E(scale.KindConflict, ports.CodeImportRetry,
			"another writer stored one of these transactions during the import; run the import again")
	}
	return mapped
}

// Commit implements ports.ImportTx: it saves the finished upload and
// commits. An upload that is not the importing user's is KindNotFound and
// rolls everything back.
func (x *importTx) Commit(ctx context.Context, up scale.Upload) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.done {
		return errFinished()
	}
	x.done = true
	if x.failed {
		_ = x.tx.Rollback(ctx)
		return errAborted()
	}
	if up.User != x.user || !scale.ValidID(string(up.ID)) {
		_ = x.tx.Rollback(ctx)
		return notFound("upload")
	}
	n, err := updateUpload(ctx, x.tx, up)
	if err == nil && n == 0 {
		err = notFound("upload")
	}
	if err == nil {
		err = x.tx.Commit(ctx)
	}
	if err != nil {
		_ = x.tx.Rollback(context.WithoutCancel(ctx))
	}
	return mapError(err, "upload")
}

// Rollback implements ports.ImportTx; after Commit it does nothing.
func (x *importTx) Rollback(ctx context.Context) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.done {
		return nil
	}
	x.done = true
	err := x.tx.Rollback(ctx)
	if errors.Is(err, pgx.ErrTxClosed) {
		return nil
	}
	return mapError(err, "import")
}
