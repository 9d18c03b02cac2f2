package postgres

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

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

// insertStatement is the name insertBatchSQL is prepared under on a
// connection (once per connection; pgx keeps the description).
const insertStatement = "scale_insert_transactions"

// insertParamOIDs are the types of insertBatchSQL's parameters, as its
// casts fix them.
var insertParamOIDs = []uint32{
	pgtype.TextOID,
	pgtype.UUIDArrayOID, pgtype.UUIDArrayOID, pgtype.DateArrayOID, pgtype.Int8ArrayOID, pgtype.TextArrayOID,
	pgtype.TextArrayOID, pgtype.TextArrayOID, pgtype.TextArrayOID, pgtype.TextArrayOID,
	pgtype.TextArrayOID, pgtype.TextArrayOID, pgtype.Float8ArrayOID,
	pgtype.TextArrayOID, pgtype.TextArrayOID, pgtype.JSONBArrayOID, pgtype.TextArrayOID,
	pgtype.TimestamptzArrayOID, pgtype.TimestamptzArrayOID,
}

// binaryFormats asks for every parameter in binary format.
var binaryFormats = func() []int16 {
	f := make([]int16, len(insertParamOIDs))
	for i := range f {
		f[i] = pgtype.BinaryFormatCode
	}
	return f
}()

// typeMaps lends each encoding goroutine its own pgtype.Map (a Map caches
// encode plans and is not safe for concurrent use).
var typeMaps = sync.Pool{New: func() any { return pgtype.NewMap() }}

// preparedInsert is an input split into batches, each already encoded in
// PostgreSQL's binary format: encoding needs no connection, so an import
// encodes its next batch while the previous one is being stored.
type preparedInsert struct {
	ids     []string   // ids[i]: the id of input row i
	dupOf   []bool     // dupOf[i]: input row i repeats an earlier row of the input
	batches [][]int    // input indexes of each batch
	params  [][][]byte // encoded parameters of each batch
}

// prepareInsert removes repeats within txs (the first occurrence wins) and
// encodes the rest in batches of BatchSize.
func prepareInsert(user scale.UserID, txs []scale.Transaction) (*preparedInsert, error) {
	p := &preparedInsert{ids: make([]string, len(txs)), dupOf: make([]bool, len(txs))}
	for i, t := range txs {
		p.ids[i] = string(t.ID)
	}
	first := make(map[string]struct{}, len(txs))
	unique := make([]int, 0, len(txs))
	for i, t := range txs {
		if _, seen := first[t.Fingerprint]; seen {
			p.dupOf[i] = true
			continue
		}
		first[t.Fingerprint] = struct{}{}
		unique = append(unique, i)
	}
	m := typeMaps.Get().(*pgtype.Map)
	defer typeMaps.Put(m)
	for start := 0; start < len(unique); start += BatchSize {
		idx := unique[start:min(start+BatchSize, len(unique))]
		params, err := encodeBatch(m, user, txs, idx)
		if err != nil {
			return nil, err
		}
		p.batches = append(p.batches, idx)
		p.params = append(p.params, params)
	}
	return p, nil
}

// encodeBatch encodes the parameters of insertBatchSQL for txs[idx...].
func encodeBatch(m *pgtype.Map, user scale.UserID, txs []scale.Transaction, idx []int) ([][]byte, error) {
	c := newColumns(len(idx))
	for _, i := range idx {
		c.add(txs[i])
	}
	args := []any{string(user),
		c.ids, c.accounts, c.bookedOn, c.amounts, c.currencies,
		c.descriptions, c.merchants, c.notes, c.references,
		c.categories, c.sources, c.confidences,
		c.fingerprints, c.versions, c.raws, c.uploads,
		c.created, c.updated}
	params := make([][]byte, len(args))
	for i, a := range args {
		b, err := m.Encode(insertParamOIDs[i], pgtype.BinaryFormatCode, a, nil)
		if err != nil {
			return nil, fmt.Errorf("postgres: encoding parameter %d of a batch: %w", i+1, err)
		}
		params[i] = b
	}
	return params, nil
}

// exec stores the prepared batches through tx and reports, by input index,
// which rows were new and which duplicated a stored row or an earlier row
// of the input.
func (p *preparedInsert) exec(ctx context.Context, tx pgx.Tx) (ports.InsertResult, error) {
	stored := make(map[string]struct{}, len(p.ids))
	if len(p.params) > 0 {
		conn := tx.Conn()
		sd, err := conn.Prepare(ctx, insertStatement, insertBatchSQL)
		if err != nil {
			return ports.InsertResult{}, err
		}
		for _, params := range p.params {
			rr := conn.PgConn().ExecPrepared(ctx, sd.Name, params, binaryFormats, nil)
			for rr.NextRow() {
				stored[string(rr.Values()[0])] = struct{}{}
			}
			if _, err := rr.Close(); err != nil {
				return ports.InsertResult{}, err
			}
		}
	}
	var res ports.InsertResult
	for i, id := range p.ids {
		if _, ok := stored[id]; ok && !p.dupOf[i] {
			res.Inserted = append(res.Inserted, i)
		} else {
			res.Duplicates = append(res.Duplicates, i)
		}
	}
	return res, nil
}

// columns holds a batch column by column, as the unnest statement takes it.
type columns struct {
	ids, accounts                               [][16]byte
	currencies                                  []string
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
		ids: make([][16]byte, 0, n), accounts: make([][16]byte, 0, n), currencies: str(),
		descriptions: str(), merchants: str(), notes: str(), references: str(),
		categories: str(), sources: str(), fingerprints: str(), versions: str(),
		raws: str(), uploads: str(),
		amounts: make([]int64, 0, n), confidences: make([]float64, 0, n),
		bookedOn: make([]time.Time, 0, n), created: make([]time.Time, 0, n), updated: make([]time.Time, 0, n),
	}
}

// add appends t; ids were checked by validateBatch, so they parse.
func (c *columns) add(t scale.Transaction) {
	id, _ := uuidBytes(string(t.ID))
	account, _ := uuidBytes(string(t.Account))
	c.ids = append(c.ids, id)
	c.accounts = append(c.accounts, account)
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
	p, err := prepareInsert(user, txs)
	if err != nil {
		return ports.InsertResult{}, scale.Internal(err, scale.CodeInternal)
	}
	var res ports.InsertResult
	err = retry(ctx, func(ctx context.Context) error {
		tx, err := s.pool.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		if res, err = p.exec(ctx, tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
	return res, mapError(err, "transaction")
}
