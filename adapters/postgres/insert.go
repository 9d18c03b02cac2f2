package postgres

import (
	"context"
	"fmt"
	"strings"
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
	$14::bytea[], $15::text[], $16::jsonb[], $17::text[],
	$18::timestamptz[], $19::timestamptz[]
) AS r(
	id, account_id, booked_on, amount, currency,
	description, merchant, notes, reference,
	category, label_source, confidence,
	fingerprint, fingerprint_version, raw_data, upload_id,
	created_at, updated_at)
ON CONFLICT (user_id, fingerprint) DO NOTHING
RETURNING id::text`

// insertUniformSQL is insertBatchSQL for a batch whose rows share account,
// upload, fingerprint version, notes and timestamps — every batch of an
// import: those travel once, as scalars, and the server decodes 12 arrays
// instead of 18.
const insertUniformSQL = `
INSERT INTO transactions (
	id, user_id, account_id, booked_on, amount, currency,
	description, merchant, notes, reference,
	category, label_source, confidence,
	fingerprint, fingerprint_version, raw_data, upload_id,
	created_at, updated_at)
SELECT
	r.id, $1, $2, r.booked_on, r.amount, r.currency,
	r.description, r.merchant, $7, r.reference,
	r.category, r.label_source, r.confidence,
	r.fingerprint, $4, r.raw_data, NULLIF($3, '')::uuid,
	$5, $6
FROM unnest(
	$8::uuid[], $9::date[], $10::bigint[], $11::text[],
	$12::text[], $13::text[], $14::text[],
	$15::text[], $16::text[], $17::float8[],
	$18::bytea[], $19::jsonb[]
) AS r(
	id, booked_on, amount, currency,
	description, merchant, reference,
	category, label_source, confidence,
	fingerprint, raw_data)
ON CONFLICT (user_id, fingerprint) DO NOTHING
RETURNING id::text`

// insertFreshSQL is insertUniformSQL without the duplicate probe and
// without RETURNING: every row is new (see importTx).
var insertFreshSQL = strings.TrimSuffix(insertUniformSQL, "ON CONFLICT (user_id, fingerprint) DO NOTHING\nRETURNING id::text")

// validateBatch refuses the whole input when any row is invalid, before
// anything is written.
func validateBatch(user scale.UserID, txs []scale.Transaction) error {
	for i, t := range txs {
		if t.User != user {
			return scale.Invalid(scale.CodeTransactionBad, "transaction %d belongs to another user", i)
		}
		if !scale.ValidID(string(t.ID)) || t.Fingerprint == "" || strings.IndexByte(t.Fingerprint, 0) >= 0 {
			return scale.Invalid(scale.CodeTransactionBad, "transaction %d has no valid id or no valid fingerprint", i)
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

// batchStatement is one form of the batch insert: its SQL, the name it is
// prepared under on a connection (once per connection; pgx keeps the
// description) and its parameter types, as its casts fix them.
type batchStatement struct {
	name string
	sql  string
	oids []uint32
}

var (
	generalInsert = batchStatement{"scale_insert_transactions", insertBatchSQL, []uint32{
		pgtype.TextOID,
		pgtype.UUIDArrayOID, pgtype.UUIDArrayOID, pgtype.DateArrayOID, pgtype.Int8ArrayOID, pgtype.TextArrayOID,
		pgtype.TextArrayOID, pgtype.TextArrayOID, pgtype.TextArrayOID, pgtype.TextArrayOID,
		pgtype.TextArrayOID, pgtype.TextArrayOID, pgtype.Float8ArrayOID,
		pgtype.ByteaArrayOID, pgtype.TextArrayOID, pgtype.JSONBArrayOID, pgtype.TextArrayOID,
		pgtype.TimestamptzArrayOID, pgtype.TimestamptzArrayOID,
	}}
	uniformInsert = batchStatement{"scale_insert_transactions_uniform", insertUniformSQL, []uint32{
		pgtype.TextOID, pgtype.UUIDOID, pgtype.TextOID, pgtype.TextOID,
		pgtype.TimestamptzOID, pgtype.TimestamptzOID, pgtype.TextOID,
		pgtype.UUIDArrayOID, pgtype.DateArrayOID, pgtype.Int8ArrayOID, pgtype.TextArrayOID,
		pgtype.TextArrayOID, pgtype.TextArrayOID, pgtype.TextArrayOID,
		pgtype.TextArrayOID, pgtype.TextArrayOID, pgtype.Float8ArrayOID,
		pgtype.ByteaArrayOID, pgtype.JSONBArrayOID,
	}}
	// freshInsert is uniformInsert for an account known to hold none of
	// the rows (importTx): no duplicate probe, nothing returned.
	freshInsert = batchStatement{"scale_insert_transactions_fresh", insertFreshSQL, uniformInsert.oids}
)

// binaryFormats asks for every parameter of form in binary format.
func (form *batchStatement) binaryFormats() []int16 {
	f := make([]int16, len(form.oids))
	for i := range f {
		f[i] = pgtype.BinaryFormatCode
	}
	return f
}

// typeMaps lends each encoding goroutine its own pgtype.Map (a Map caches
// encode plans and is not safe for concurrent use).
var typeMaps = sync.Pool{New: func() any { return pgtype.NewMap() }}

// preparedInsert is an input split into batches, each already encoded in
// PostgreSQL's binary format: encoding needs no connection, so an import
// encodes its next batch while the previous one is being stored.
type preparedInsert struct {
	txs     []scale.Transaction // the input
	dupOf   []bool              // dupOf[i]: input row i repeats an earlier row of the input
	batches []encodedBatch
}

// encodedBatch is one statement's worth of rows: the form of the statement
// and its parameters in binary format.
type encodedBatch struct {
	form   *batchStatement
	params [][]byte
}

// prepareInsert removes repeats within txs (the first occurrence wins) and
// encodes the rest in batches of BatchSize.
func prepareInsert(user scale.UserID, txs []scale.Transaction) (*preparedInsert, error) {
	dupOf, unique := firstOccurrences(txs)
	p := &preparedInsert{txs: txs, dupOf: dupOf}
	m := typeMaps.Get().(*pgtype.Map)
	defer typeMaps.Put(m)
	for start := 0; start < len(unique); start += BatchSize {
		idx := unique[start:min(start+BatchSize, len(unique))]
		form, params, err := encodeBatch(m, user, txs, idx)
		if err != nil {
			return nil, err
		}
		p.batches = append(p.batches, encodedBatch{form, params})
	}
	return p, nil
}

// encodeBatch encodes txs[idx...] for the uniform form of the statement
// when the rows allow it, else for the general one.
func encodeBatch(m *pgtype.Map, user scale.UserID, txs []scale.Transaction, idx []int) (*batchStatement, [][]byte, error) {
	form, args := &generalInsert, generalArgs(user, txs, idx)
	if uniform(txs, idx) {
		form, args = &uniformInsert, uniformArgs(user, txs, idx)
	}
	params := make([][]byte, len(args))
	for i, a := range args {
		b, err := m.Encode(form.oids[i], pgtype.BinaryFormatCode, a, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("postgres: encoding parameter %d of a batch: %w", i+1, err)
		}
		if b == nil {
			b = []byte{} // an empty string, not NULL: no parameter here is ever NULL
		}
		params[i] = b
	}
	return form, params, nil
}

// uniform reports whether the rows txs[idx...] share what insertUniformSQL
// sends once.
func uniform(txs []scale.Transaction, idx []int) bool {
	a := txs[idx[0]]
	for _, i := range idx[1:] {
		b := txs[i]
		if b.Account != a.Account || b.Upload != a.Upload || b.FingerprintVersion != a.FingerprintVersion ||
			b.Notes != a.Notes || !b.CreatedAt.Equal(a.CreatedAt) || !b.UpdatedAt.Equal(a.UpdatedAt) {
			return false
		}
	}
	return true
}

func generalArgs(user scale.UserID, txs []scale.Transaction, idx []int) []any {
	c := newColumns(len(idx))
	for _, i := range idx {
		c.add(txs[i])
		c.addRowOwn(txs[i])
	}
	return []any{string(user),
		c.ids, c.accounts, c.bookedOn, c.amounts, c.currencies,
		c.descriptions, c.merchants, c.notes, c.references,
		c.categories, c.sources, c.confidences,
		c.fingerprints, c.versions, c.raws, c.uploads,
		c.created, c.updated}
}

func uniformArgs(user scale.UserID, txs []scale.Transaction, idx []int) []any {
	c := newColumns(len(idx))
	for _, i := range idx {
		c.add(txs[i])
	}
	t := txs[idx[0]]
	account, _ := uuidBytes(string(t.Account))
	return []any{string(user), account, string(t.Upload), t.FingerprintVersion,
		utc(t.CreatedAt), utc(t.UpdatedAt), t.Notes,
		c.ids, c.bookedOn, c.amounts, c.currencies,
		c.descriptions, c.merchants, c.references,
		c.categories, c.sources, c.confidences,
		c.fingerprints, c.raws}
}

// uniformOnly reports whether every batch takes the uniform form: one
// account, one upload, as every import batch.
func (p *preparedInsert) uniformOnly() bool {
	for _, b := range p.batches {
		if b.form != &uniformInsert {
			return false
		}
	}
	return len(p.batches) > 0
}

// execFresh stores the prepared uniform batches with freshInsert: the
// caller knows no stored row shares a fingerprint with them. A row that
// does anyway (another writer's) fails the statement with a unique
// violation.
func (p *preparedInsert) execFresh(ctx context.Context, tx pgx.Tx) (ports.InsertResult, error) {
	conn := tx.Conn()
	if _, err := conn.Prepare(ctx, freshInsert.name, freshInsert.sql); err != nil {
		return ports.InsertResult{}, err
	}
	for _, b := range p.batches {
		if _, err := conn.PgConn().ExecPrepared(ctx, freshInsert.name, b.params, freshInsert.binaryFormats(), nil).Close(); err != nil {
			return ports.InsertResult{}, err
		}
	}
	return allNew(p.dupOf), nil
}

// firstOccurrences marks the rows of txs that repeat an earlier row's
// fingerprint (dupOf) and lists the indexes of the others, in order.
func firstOccurrences(txs []scale.Transaction) (dupOf []bool, unique []int) {
	dupOf = make([]bool, len(txs))
	unique = make([]int, 0, len(txs))
	first := make(map[string]struct{}, len(txs))
	for i, t := range txs {
		if _, seen := first[t.Fingerprint]; seen {
			dupOf[i] = true
			continue
		}
		first[t.Fingerprint] = struct{}{}
		unique = append(unique, i)
	}
	return dupOf, unique
}

// allNew is the result of storing rows known to be new: every row but the
// repeats within the input (dupOf) was inserted.
func allNew(dupOf []bool) ports.InsertResult {
	var res ports.InsertResult
	for i, dup := range dupOf {
		if dup {
			res.Duplicates = append(res.Duplicates, i)
		} else {
			res.Inserted = append(res.Inserted, i)
		}
	}
	return res
}

// exec stores the prepared batches through tx and reports, by input index,
// which rows were new and which duplicated a stored row or an earlier row
// of the input.
func (p *preparedInsert) exec(ctx context.Context, tx pgx.Tx) (ports.InsertResult, error) {
	stored := make(map[string]struct{}, len(p.txs))
	conn := tx.Conn()
	for _, b := range p.batches {
		if _, err := conn.Prepare(ctx, b.form.name, b.form.sql); err != nil {
			return ports.InsertResult{}, err
		}
		rr := conn.PgConn().ExecPrepared(ctx, b.form.name, b.params, b.form.binaryFormats(), nil)
		for rr.NextRow() {
			stored[string(rr.Values()[0])] = struct{}{}
		}
		if _, err := rr.Close(); err != nil {
			return ports.InsertResult{}, err
		}
	}
	var res ports.InsertResult
	for i, t := range p.txs {
		if _, ok := stored[string(t.ID)]; ok && !p.dupOf[i] {
			res.Inserted = append(res.Inserted, i)
		} else {
			res.Duplicates = append(res.Duplicates, i)
		}
	}
	return res, nil
}

// columns holds a batch column by column, as the unnest statement takes it.
type columns struct {
	ids, accounts                              [][16]byte
	currencies                                 []string
	descriptions, merchants, notes, references []string
	categories, sources, versions              []string
	fingerprints                               [][]byte
	raws, uploads                              []string
	amounts                                    []int64
	confidences                                []float64
	bookedOn, created, updated                 []time.Time
}

func newColumns(n int) *columns {
	str := func() []string { return make([]string, 0, n) }
	return &columns{
		ids: make([][16]byte, 0, n), accounts: make([][16]byte, 0, n), currencies: str(),
		descriptions: str(), merchants: str(), notes: str(), references: str(),
		categories: str(), sources: str(), fingerprints: make([][]byte, 0, n), versions: str(),
		raws: str(), uploads: str(),
		amounts: make([]int64, 0, n), confidences: make([]float64, 0, n),
		bookedOn: make([]time.Time, 0, n), created: make([]time.Time, 0, n), updated: make([]time.Time, 0, n),
	}
}

// add appends t; ids were checked by validateBatch, so they parse.
func (c *columns) add(t scale.Transaction) {
	id, _ := uuidBytes(string(t.ID))
	c.ids = append(c.ids, id)
	c.bookedOn = append(c.bookedOn, pgDate(t.Date))
	c.amounts = append(c.amounts, t.Amount.Minor)
	c.currencies = append(c.currencies, string(t.Amount.Currency))
	c.descriptions = append(c.descriptions, t.Description)
	c.merchants = append(c.merchants, t.Merchant)
	c.references = append(c.references, t.Reference)
	c.categories = append(c.categories, string(t.Label.Category))
	c.sources = append(c.sources, string(t.Label.Source))
	c.confidences = append(c.confidences, t.Label.Confidence)
	c.fingerprints = append(c.fingerprints, encodeFingerprint(t.Fingerprint))
	c.raws = append(c.raws, rawJSON(t.Raw))
}

// addRowOwn appends the columns the uniform form sends once.
func (c *columns) addRowOwn(t scale.Transaction) {
	account, _ := uuidBytes(string(t.Account))
	c.accounts = append(c.accounts, account)
	c.notes = append(c.notes, t.Notes)
	c.versions = append(c.versions, t.FingerprintVersion)
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
