package postgres

import (
	"context"
	"time"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// BatchSize is the most rows one INSERT statement carries. Larger inputs are
// split into batches of this size inside the same database transaction.
const BatchSize = 1000

// insertBatchSQL stores up to BatchSize rows in one statement: the rows
// travel as one array per column, unnest turns them back into rows, and
// ON CONFLICT skips the fingerprints the user already has. RETURNING lists
// the ids that were new; every other input row was a duplicate.
const insertBatchSQL = `
INSERT INTO transactions (
	id, user_id, account_id, booked_on, amount, currency,
	description, merchant, notes, reference,
	category, label_source, confidence,
	fingerprint, fingerprint_version, raw_data, upload_id,
	created_at, updated_at)
SELECT
	r.id, $1, r.account_id, r.booked_on, r.amount, r.currency,
	r.description, r.merchant, r.notes, r.reference,
	r.category, r.label_source, r.confidence,
	r.fingerprint, r.fingerprint_version, r.raw_data, NULLIF(r.upload_id, '')::uuid,
	r.created_at, r.updated_at
FROM unnest(
	$2::uuid[], $3::uuid[], $4::date[], $5::bigint[], $6::text[],
	$7::text[], $8::text[], $9::text[], $10::text[],
	$11::text[], $12::text[], $13::float8[],
	$14::text[], $15::text[], $16::jsonb[], $17::text[],
	$18::timestamptz[], $19::timestamptz[]
) AS r(
	id, account_id, booked_on, amount, currency,
	description, merchant, notes, reference,
	category, label_source, confidence,
	fingerprint, fingerprint_version, raw_data, upload_id,
	created_at, updated_at)
ON CONFLICT (user_id, fingerprint) DO NOTHING
RETURNING id::text`

// validateBatch refuses the whole input when any row is invalid, before
// anything is written.
func validateBatch(user scale.UserID, txs []scale.Transaction) error {
	for i, t := range txs {
		if t.User != user {
			return scale.Invalid(scale.CodeTransactionBad, "transaction %d belongs to another user", i)
		}
		if !scale.ValidID(string(t.ID)) || t.Fingerprint == "" {
			return scale.Invalid(scale.CodeTransactionBad, "transaction %d has no valid id or no fingerprint", i)
		}
		if !scale.ValidID(string(t.Account)) {
			return scale.InvalidFields(scale.CodeTransactionBad, "The transaction is not valid.",
				scale.FieldError{Field: "account_id", Message: "is not a valid id"})
		}
		if t.Upload != "" && !scale.ValidID(string(t.Upload)) {
			return scale.InvalidFields(scale.CodeTransactionBad, "The transaction is not valid.",
				scale.FieldError{Field: "upload_id", Message: "is not a valid id"})
		}
		if err := t.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// insertTransactions stores txs (already validated) through q in batches
// of BatchSize and reports, by input index, which rows were new and which
// duplicated a stored row or an earlier row of txs.
func insertTransactions(ctx context.Context, q querier, user scale.UserID, txs []scale.Transaction) (ports.InsertResult, error) {
	var res ports.InsertResult
	// A repeated fingerprint within the input is a duplicate of its first
	// occurrence; only first occurrences go to the database.
	first := make(map[string]int, len(txs))
	var unique []int
	dupOf := map[int]bool{}
	for i, t := range txs {
		if _, seen := first[t.Fingerprint]; seen {
			dupOf[i] = true
			continue
		}
		first[t.Fingerprint] = i
		unique = append(unique, i)
	}
	stored := make(map[string]bool, len(unique))
	for start := 0; start < len(unique); start += BatchSize {
		idx := unique[start:min(start+BatchSize, len(unique))]
		ids, err := insertBatch(ctx, q, user, txs, idx)
		if err != nil {
			return ports.InsertResult{}, err
		}
		for _, id := range ids {
			stored[id] = true
		}
	}
	for i, t := range txs {
		if !dupOf[i] && stored[string(t.ID)] {
			res.Inserted = append(res.Inserted, i)
		} else {
			res.Duplicates = append(res.Duplicates, i)
		}
	}
	return res, nil
}

// insertBatch sends the rows txs[idx...] as one statement and returns the
// ids that were stored.
func insertBatch(ctx context.Context, q querier, user scale.UserID, txs []scale.Transaction, idx []int) ([]string, error) {
	c := newColumns(len(idx))
	for _, i := range idx {
		c.add(txs[i])
	}
	rows, err := q.Query(ctx, insertBatchSQL, user,
		c.ids, c.accounts, c.bookedOn, c.amounts, c.currencies,
		c.descriptions, c.merchants, c.notes, c.references,
		c.categories, c.sources, c.confidences,
		c.fingerprints, c.versions, c.raws, c.uploads,
		c.created, c.updated)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]string, 0, len(idx))
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// columns holds a batch column by column, as the unnest statement takes it.
type columns struct {
	ids, accounts, currencies                   []string
	descriptions, merchants, notes, references  []string
	categories, sources, fingerprints, versions []string
	raws, uploads                               []string
	amounts                                     []int64
	confidences                                 []float64
	bookedOn, created, updated                  []time.Time
}

func newColumns(n int) *columns {
	str := func() []string { return make([]string, 0, n) }
	return &columns{
		ids: str(), accounts: str(), currencies: str(),
		descriptions: str(), merchants: str(), notes: str(), references: str(),
		categories: str(), sources: str(), fingerprints: str(), versions: str(),
		raws: str(), uploads: str(),
		amounts: make([]int64, 0, n), confidences: make([]float64, 0, n),
		bookedOn: make([]time.Time, 0, n), created: make([]time.Time, 0, n), updated: make([]time.Time, 0, n),
	}
}

func (c *columns) add(t scale.Transaction) {
	c.ids = append(c.ids, string(t.ID))
	c.accounts = append(c.accounts, string(t.Account))
	c.bookedOn = append(c.bookedOn, pgDate(t.Date))
	c.amounts = append(c.amounts, t.Amount.Minor)
	c.currencies = append(c.currencies, string(t.Amount.Currency))
	c.descriptions = append(c.descriptions, t.Description)
	c.merchants = append(c.merchants, t.Merchant)
	c.notes = append(c.notes, t.Notes)
	c.references = append(c.references, t.Reference)
	c.categories = append(c.categories, string(t.Label.Category))
	c.sources = append(c.sources, string(t.Label.Source))
	c.confidences = append(c.confidences, t.Label.Confidence)
	c.fingerprints = append(c.fingerprints, t.Fingerprint)
	c.versions = append(c.versions, t.FingerprintVersion)
	c.raws = append(c.raws, string(rawJSON(t.Raw)))
	c.uploads = append(c.uploads, string(t.Upload))
	c.created = append(c.created, utc(t.CreatedAt))
	c.updated = append(c.updated, utc(t.UpdatedAt))
}

// InsertTransactions implements ports.TransactionStore: all of txs in one
// database transaction, retried as a whole on a serialization failure or
// deadlock.
func (s *Store) InsertTransactions(ctx context.Context, user scale.UserID, txs []scale.Transaction) (ports.InsertResult, error) {
	if err := validateBatch(user, txs); err != nil {
		return ports.InsertResult{}, err
	}
	if len(txs) == 0 {
		return ports.InsertResult{}, nil
	}
	var res ports.InsertResult
	err := retry(ctx, func(ctx context.Context) error {
		tx, err := s.pool.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		if res, err = insertTransactions(ctx, tx, user, txs); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
	return res, mapError(err, "transaction")
}
