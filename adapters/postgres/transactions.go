package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

const transactionColumns = `id::text, user_id, account_id::text, booked_on, amount, currency,
	description, merchant, notes, reference, category, label_source, confidence,
	fingerprint, fingerprint_version, raw_data, coalesce(upload_id::text, ''), created_at, updated_at`

func scanTransaction(row pgx.Row) (scale.Transaction, error) {
	var (
		t      scale.Transaction
		booked time.Time
		raw    []byte
		fp     []byte
	)
	err := row.Scan(&t.ID, &t.User, &t.Account, &booked, &t.Amount.Minor, &t.Amount.Currency,
		&t.Description, &t.Merchant, &t.Notes, &t.Reference, &t.Label.Category, &t.Label.Source, &t.Label.Confidence,
		&fp, &t.FingerprintVersion, &raw, &t.Upload, &t.CreatedAt, &t.UpdatedAt)
	t.Date, t.Raw, t.Fingerprint = dateOf(booked), unmarshalRaw(raw), decodeFingerprint(fp)
	t.CreatedAt, t.UpdatedAt = utc(t.CreatedAt), utc(t.UpdatedAt)
	return t, err
}

// GetTransaction implements ports.TransactionStore.
func (s *Store) GetTransaction(ctx context.Context, user scale.UserID, id scale.TransactionID) (scale.Transaction, error) {
	if !scale.ValidID(string(id)) {
		return scale.Transaction{}, notFound("transaction")
	}
	var t scale.Transaction
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		t, err = scanTransaction(s.pool.QueryRow(ctx,
			`SELECT `+transactionColumns+` FROM transactions WHERE id = $1 AND user_id = $2`, id, user))
		return err
	})
	return t, mapError(err, "transaction")
}

// UpdateTransaction implements ports.TransactionStore.
func (s *Store) UpdateTransaction(ctx context.Context, tx scale.Transaction) error {
	if !scale.ValidID(string(tx.ID)) {
		return notFound("transaction")
	}
	var n int64
	err := retry(ctx, func(ctx context.Context) error {
		ct, err := s.pool.Exec(ctx, `
			UPDATE transactions
			SET merchant = $3, notes = $4, category = $5, label_source = $6, confidence = $7, updated_at = $8
			WHERE id = $1 AND user_id = $2`,
			tx.ID, tx.User, tx.Merchant, tx.Notes,
			string(tx.Label.Category), string(tx.Label.Source), tx.Label.Confidence, utc(tx.UpdatedAt))
		n = ct.RowsAffected()
		return err
	})
	if err != nil {
		return mapError(err, "transaction")
	}
	if n == 0 {
		return notFound("transaction")
	}
	return nil
}

// SetLabels implements ports.TransactionStore in one statement; ids the
// user does not own (or that are not ids at all) are ignored. When an id
// appears more than once, its last update wins.
func (s *Store) SetLabels(ctx context.Context, user scale.UserID, updates []ports.LabelUpdate) (int, error) {
	last := map[scale.TransactionID]int{}
	for i, u := range updates {
		if scale.ValidID(string(u.ID)) {
			last[u.ID] = i
		}
	}
	if len(last) == 0 {
		return 0, nil
	}
	var ids, cats, srcs []string
	var confs []float64
	for i, u := range updates {
		if j, ok := last[u.ID]; !ok || j != i {
			continue
		}
		ids, cats = append(ids, string(u.ID)), append(cats, string(u.Label.Category))
		srcs, confs = append(srcs, string(u.Label.Source)), append(confs, u.Label.Confidence)
	}
	var n int64
	err := retry(ctx, func(ctx context.Context) error {
		ct, err := s.pool.Exec(ctx, `
			UPDATE transactions AS t
			SET category = u.category, label_source = u.label_source, confidence = u.confidence
			FROM unnest($2::uuid[], $3::text[], $4::text[], $5::float8[]) AS u(id, category, label_source, confidence)
			WHERE t.id = u.id AND t.user_id = $1`,
			user, ids, cats, srcs, confs)
		n = ct.RowsAffected()
		return err
	})
	return int(n), mapError(err, "transaction")
}

// DeleteTransaction implements ports.TransactionStore. Its findings go with
// it (ON DELETE CASCADE).
func (s *Store) DeleteTransaction(ctx context.Context, user scale.UserID, id scale.TransactionID) error {
	if !scale.ValidID(string(id)) {
		return notFound("transaction")
	}
	var n int64
	err := retry(ctx, func(ctx context.Context) error {
		ct, err := s.pool.Exec(ctx, `DELETE FROM transactions WHERE id = $1 AND user_id = $2`, id, user)
		n = ct.RowsAffected()
		return err
	})
	if err != nil {
		return mapError(err, "transaction")
	}
	if n == 0 {
		return notFound("transaction")
	}
	return nil
}

// existingFingerprintsSQL looks the fingerprints up in the unique index
// (user_id, fingerprint), one probe each.
const existingFingerprintsSQL = `SELECT DISTINCT fingerprint FROM transactions
WHERE user_id = $1 AND fingerprint = ANY($2::bytea[])`

// ExistingFingerprints implements ports.TransactionStore.
func (s *Store) ExistingFingerprints(ctx context.Context, user scale.UserID, fingerprints []string) ([]string, error) {
	if len(fingerprints) == 0 {
		return nil, nil
	}
	encoded := make([][]byte, len(fingerprints))
	for i, fp := range fingerprints {
		encoded[i] = encodeFingerprint(fp)
	}
	var out []string
	err := retry(ctx, func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, existingFingerprintsSQL, string(user), encoded)
		if err != nil {
			return err
		}
		found, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		out = make([]string, len(found))
		for i, b := range found {
			out[i] = decodeFingerprint(b)
		}
		return err
	})
	return out, mapError(err, "transaction")
}
