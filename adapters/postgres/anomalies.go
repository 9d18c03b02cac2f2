package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// PutAnomalies implements ports.AnomalyStore in one statement. A finding is
// stored only if its transaction is the user's; one already stored for the
// same transaction and kind (or with the same id) is skipped.
func (s *Store) PutAnomalies(ctx context.Context, user scale.UserID, as []scale.Anomaly) (int, error) {
	var ids, txs, kinds, reasons, statuses []string
	var scores []float64
	var dates, created, updated []time.Time
	for _, a := range as {
		if a.User != user {
			return 0, scale.Invalid(scale.CodeInvalid, "finding belongs to another user")
		}
		if !scale.ValidID(string(a.ID)) || !scale.ValidID(string(a.Transaction)) {
			return 0, scale.Invalid(scale.CodeInvalid, "the finding or its transaction has no valid id")
		}
		ids, txs, kinds = append(ids, string(a.ID)), append(txs, string(a.Transaction)), append(kinds, string(a.Kind))
		reasons, statuses, scores = append(reasons, a.Reason), append(statuses, string(a.Status)), append(scores, a.Score)
		dates, created, updated = append(dates, pgDate(a.Date)), append(created, utc(a.CreatedAt)), append(updated, utc(a.UpdatedAt))
	}
	if len(ids) == 0 {
		return 0, nil
	}
	var n int64
	err := retry(ctx, func(ctx context.Context) error {
		ct, err := s.pool.Exec(ctx, `
			INSERT INTO anomalies (id, user_id, transaction_id, kind, score, reason, status, booked_on, created_at, updated_at)
			SELECT a.id, $1, a.transaction_id, a.kind, a.score, a.reason, a.status, a.booked_on, a.created_at, a.updated_at
			FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::float8[], $6::text[], $7::text[],
				$8::date[], $9::timestamptz[], $10::timestamptz[])
				AS a(id, transaction_id, kind, score, reason, status, booked_on, created_at, updated_at)
			WHERE EXISTS (SELECT 1 FROM transactions t WHERE t.id = a.transaction_id AND t.user_id = $1)
			ON CONFLICT DO NOTHING`,
			user, ids, txs, kinds, scores, reasons, statuses, dates, created, updated)
		n = ct.RowsAffected()
		return err
	})
	return int(n), mapError(err, "anomaly")
}

const anomalyColumns = `id::text, user_id, transaction_id::text, kind, score, reason, status, booked_on, created_at, updated_at`

func scanAnomaly(row pgx.Row) (scale.Anomaly, error) {
	var (
		a      scale.Anomaly
		booked time.Time
	)
	err := row.Scan(&a.ID, &a.User, &a.Transaction, &a.Kind, &a.Score, &a.Reason, &a.Status, &booked, &a.CreatedAt, &a.UpdatedAt)
	a.Date, a.CreatedAt, a.UpdatedAt = dateOf(booked), utc(a.CreatedAt), utc(a.UpdatedAt)
	return a, err
}

// GetAnomaly implements ports.AnomalyStore.
func (s *Store) GetAnomaly(ctx context.Context, user scale.UserID, id scale.AnomalyID) (scale.Anomaly, error) {
	if !scale.ValidID(string(id)) {
		return scale.Anomaly{}, notFound("anomaly")
	}
	var a scale.Anomaly
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		a, err = scanAnomaly(s.pool.QueryRow(ctx, `SELECT `+anomalyColumns+` FROM anomalies WHERE id = $1 AND user_id = $2`, id, user))
		return err
	})
	return a, mapError(err, "anomaly")
}

// ListAnomalies implements ports.AnomalyStore: newest first by keyset on
// (booked_on, id).
func (s *Store) ListAnomalies(ctx context.Context, user scale.UserID, q ports.AnomalyQuery) (ports.AnomalyPage, error) {
	limit := pageSize(q.Limit)
	var b listSQL
	b.and("user_id = " + b.arg(string(user)))
	if q.Status != "" {
		b.and("status = " + b.arg(string(q.Status)))
	}
	if q.Kind != "" {
		b.and("kind = " + b.arg(string(q.Kind)))
	}
	if q.After != nil {
		if !q.After.Date.Valid() || !scale.ValidID(string(q.After.ID)) {
			return ports.AnomalyPage{}, scale.Invalid(scale.CodeCursorInvalid, "the page cursor is not valid")
		}
		b.and("(booked_on, id) < (" + b.arg(pgDate(q.After.Date)) + ", " + b.arg(string(q.After.ID)) + "::uuid)")
	}
	sql := `SELECT ` + anomalyColumns + ` FROM anomalies WHERE ` + joinAnd(b.where) +
		` ORDER BY anomalies.booked_on DESC, anomalies.id DESC LIMIT ` + b.arg(limit+1)
	var items []scale.Anomaly
	err := retry(ctx, func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, sql, b.args...)
		if err != nil {
			return err
		}
		items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (scale.Anomaly, error) { return scanAnomaly(r) })
		return err
	})
	if err != nil {
		return ports.AnomalyPage{}, mapError(err, "anomaly")
	}
	var page ports.AnomalyPage
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.Next = &ports.TransactionCursor{Date: last.Date, ID: scale.TransactionID(last.ID)}
	}
	page.Items = items
	return page, nil
}

// SetAnomalyStatus implements ports.AnomalyStore.
func (s *Store) SetAnomalyStatus(ctx context.Context, user scale.UserID, id scale.AnomalyID, st scale.AnomalyStatus, at time.Time) error {
	if !scale.ValidID(string(id)) {
		return notFound("anomaly")
	}
	return s.execOne(ctx, "anomaly", `UPDATE anomalies SET status = $3, updated_at = $4 WHERE id = $1 AND user_id = $2`,
		id, user, string(st), utc(at))
}
